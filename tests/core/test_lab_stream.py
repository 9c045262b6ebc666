"""core.lab.stream: the lab's run as events, with the same numbers as core.lab.train; the
time bound and a non-finite loss end it with a final event; held-out points change nothing."""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import numpy as np
import pytest

from core.errors import NonFiniteError
from core.lab import (
    PARAM_NAMES,
    SNAPSHOTS,
    LabTraining,
    TrainSettings,
    held_out_seed,
    snapshot_every,
    stream,
    train,
)
from core.models import ACTIVATIONS, TwoLayerNet
from core.trainer import Trainer


def by_type(events: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [e for e in events if e["type"] == kind]


def test_the_books_run_streams_the_books_numbers() -> None:
    events = list(stream(TrainSettings()))
    plain = train(TrainSettings())
    epochs = by_type(events, "epoch")
    assert [e["epoch"] for e in epochs] == list(range(1, 301))
    # bit for bit the plain run's, which is the book's: 1.1256 in epoch 1, 0.1085 in 300
    assert [e["loss"] for e in epochs] == plain.history.loss
    assert [e["accuracy"] for e in epochs] == plain.history.accuracy
    assert [e["test_accuracy"] for e in epochs] == plain.test_accuracy
    assert epochs[0]["loss"] == pytest.approx(1.1256, abs=5e-5)
    assert epochs[-1]["loss"] == pytest.approx(0.1085, abs=5e-5) and epochs[-1]["loss"] < 0.12
    end = events[-1]
    assert end["type"] == "end" and end["reason"] == "done" and end["message"] is None
    assert end["epochs"] == 300 and end["final_accuracy"] == 0.97 and end["learned"] is True
    assert end["final_test_accuracy"] == plain.final_test_accuracy > 0.9


def test_events_come_in_order_with_their_fields() -> None:
    events = list(stream(TrainSettings(max_epoch=12)))
    kinds = [e["type"] for e in events]
    assert kinds[:2] == ["start", "snapshot"] and kinds[-1] == "end"
    assert set(kinds[2:-1]) == {"epoch", "snapshot"}
    start = events[0]
    assert start["max_epoch"] == 12 and start["classes"] == 3
    assert start["settings"]["activation"] == "sigmoid"
    assert len(start["points"]["x"]) == len(start["test_points"]["x"]) == 300
    assert start["snapshot_every"] == snapshot_every(12) == 1
    # a snapshot follows its epoch: the boundary and each parameter at that epoch
    last_epoch = 0
    for event in events[1:-1]:
        if event["type"] == "epoch":
            assert event["epoch"] == last_epoch + 1
            last_epoch = event["epoch"]
        else:
            assert event["epoch"] == last_epoch
            assert [p["name"] for p in event["params"]] == list(PARAM_NAMES)
            assert event["boundary"]["nx"] == len(event["boundary"]["classes"][0])
    w1 = by_type(events, "snapshot")[-1]["params"][0]
    assert w1["shape"] == [2, 10] and len(w1["value"]) == 2 and len(w1["grad"][0]) == 10
    assert w1["norm"] == pytest.approx(float(np.linalg.norm(w1["value"])))
    assert w1["grad_norm"] == pytest.approx(float(np.linalg.norm(w1["grad"])))


def test_snapshots_come_every_few_epochs_and_at_the_end() -> None:
    events = list(stream(TrainSettings(max_epoch=301)))
    every = snapshot_every(301)
    assert every == math.ceil(301 / SNAPSHOTS)
    epochs = [e["epoch"] for e in by_type(events, "snapshot")]
    assert epochs == [*range(0, 301, every), 301]


def test_the_time_bound_ends_a_run_with_a_final_event() -> None:
    ticks = itertools.count()  # one "second" per reading of the clock

    events = list(
        stream(TrainSettings(max_epoch=1000), max_seconds=5, clock=lambda: float(next(ticks)))
    )
    end = events[-1]
    assert end["type"] == "end" and end["reason"] == "time_limit"
    assert 0 < end["epochs"] < 1000 and end["epochs"] == by_type(events, "epoch")[-1]["epoch"]
    assert "5 s" in end["message"] and f"epoch {end['epochs']} of 1000" in end["message"]
    # the last boundary is the one the run ended with
    assert by_type(events, "snapshot")[-1]["epoch"] == end["epochs"]
    korean = list(
        stream(
            TrainSettings(max_epoch=1000),
            max_seconds=5,
            lang="ko",
            clock=lambda: float(next(ticks)),
        )
    )
    assert "학습을 멈췄습니다" in korean[-1]["message"]


def test_a_loss_that_runs_off_ends_the_stream_and_names_the_learning_rate(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # No setting the API takes makes the book's stable softmax overflow; a trainer whose
    # loss runs off in epoch 2 stands in for one.
    def running_off(self: Trainer, *args: Any, **kwargs: Any) -> Iterator[tuple[int, float, float]]:
        for epoch, loss in ((1, 1.0), (2, math.inf)):
            self.history.loss.append(loss)
            self.history.accuracy.append(0.5)
            self.history.test_accuracy.append(0.5)
            yield epoch, loss, 0.5

    monkeypatch.setattr(Trainer, "epochs", running_off)
    settings = replace(TrainSettings(), lr=100.0, max_epoch=300)
    events = list(stream(settings))
    end = events[-1]
    assert end["reason"] == "nonfinite" and "epoch 2" in end["message"]
    assert "lr=100.0" in end["message"] and end["epochs"] == 2
    assert [e["epoch"] for e in by_type(events, "epoch")] == [1, 2]
    with pytest.raises(NonFiniteError, match="epoch 2"):
        train(settings)


def test_stopping_between_events_stops_the_training() -> None:
    training_events = stream(TrainSettings(max_epoch=300))
    for event in training_events:
        if event["type"] == "epoch" and event["epoch"] == 3:
            break
    training_events.close()
    # the generator is closed: nothing more is computed
    with pytest.raises(StopIteration):
        next(training_events)


def test_held_out_points_are_other_points_of_the_same_data_set() -> None:
    for dataset in ("spiral", "moons"):
        training = LabTraining(TrainSettings.for_dataset(dataset))
        assert training.test_x.shape == training.x.shape
        assert not np.allclose(training.test_x, training.x)
        assert sorted(set(training.test_labels.tolist())) == sorted(set(training.labels.tolist()))
    assert held_out_seed(1984) != 1984 and held_out_seed(1984) == held_out_seed(1984)


@pytest.mark.parametrize("activation", list(ACTIVATIONS))
def test_each_activation_learns_the_spiral_and_draws_the_same_weights(activation: str) -> None:
    run = train(replace(TrainSettings(), activation=activation, hidden_size=30))
    assert run.final_accuracy >= 0.9 and run.final_test_accuracy >= 0.9, activation
    a = TwoLayerNet(2, 10, 3, rng=0, activation=activation)
    b = TwoLayerNet(2, 10, 3, rng=0)
    assert all(np.array_equal(p, q) for p, q in zip(a.params, b.params, strict=True))
    assert type(a.layers[1]).__name__.lower() == activation


def test_an_unknown_activation_is_refused() -> None:
    with pytest.raises(ValueError, match="activation"):
        TwoLayerNet(2, 3, 2, activation="swish")
    with pytest.raises(ValueError, match="activation"):
        train(replace(TrainSettings(), activation="swish"))


@pytest.mark.parametrize("activation", list(ACTIVATIONS))
def test_the_trained_net_goes_into_the_explorer_with_its_real_weights(activation: str) -> None:
    from core import run_graph
    from core.lab import EXPLORER_BATCH, explorer_spec

    settings = replace(TrainSettings(max_epoch=40), activation=activation)
    training = LabTraining(settings)
    for _ in training.epochs():
        pass
    run = training.run()
    spec = explorer_spec(settings, run.params, run.x, run.labels)
    nodes = {n["id"]: n for n in spec["nodes"]}
    assert nodes["W1"]["value"] == training.model.params[0].tolist()
    assert nodes[activation]["op"] == activation and nodes["loss"]["inputs"] == ["affine2", "t"]
    x = np.asarray(nodes["x"]["value"])
    t = np.asarray(nodes["t"]["value"])
    assert x.shape == (EXPLORER_BATCH, 2)
    # the explorer's engine gives the trained model's own loss on that batch (to the 1e-7
    # inside the book's log, which the engine and the layer place a little differently)
    assert run_graph(spec).value == pytest.approx(training.model.forward(x, t), rel=1e-5)
