"""The request's time bound: the long loops of the core stop when it is up."""

from __future__ import annotations

import threading
import time

import pytest

from core import Limits, deadline
from core.deadline import check_deadline, seconds_left, time_limit
from core.errors import LimitError, StoppingError, TimeLimitError
from core.examples import EXAMPLES
from core.gradcheck import check_graph
from core.lab import TrainSettings, train
from tests.heavy import scalar_chain

TINY = 1e-9  # seconds: up by the second check


def test_without_a_bound_nothing_is_ever_checked() -> None:
    check_deadline()
    assert seconds_left() is None
    assert check_graph(EXAMPLES["affine"].spec).passed


def test_the_gradient_check_stops_when_the_time_is_up() -> None:
    with time_limit(TINY), pytest.raises(TimeLimitError) as caught:
        check_graph(EXAMPLES["affine"].spec)
    assert caught.value.code == "too_slow"
    assert "longer than the time limit of 1e-09 s (BPX_REQUEST_SECONDS)" in caught.value.message
    assert "제한 시간" in caught.value.localized("ko")


def test_training_stops_between_epochs_when_the_time_is_up() -> None:
    with time_limit(TINY), pytest.raises(TimeLimitError):
        train(TrainSettings(max_epoch=5))


def test_the_bound_is_the_contexts_own_and_ends_with_it() -> None:
    with time_limit(60):
        left = seconds_left()
        assert left is not None and 59 < left <= 60
        with time_limit(TINY):
            check_deadline()  # the work's first check starts its clock
            time.sleep(0.01)
            with pytest.raises(TimeLimitError):
                check_deadline()
        check_deadline()  # the outer bound is back
    assert seconds_left() is None


def test_a_check_of_many_one_number_nodes_is_counted_at_what_they_cost() -> None:
    """100 inputs and 999 nodes of one number: 200 forward passes of 999 NumPy calls,
    0.4 to 0.8 s here at 2 to 4 us a node; counted at 1,000 a node it passed the limit
    meant for about 1 s, so the check took 1.3 to 2.2 s on a busy machine."""
    with pytest.raises(LimitError) as caught:
        check_graph(scalar_chain(100, 800), limits=Limits())
    assert caught.value.code == "over_limit"
    assert "the limit is 2e+08" in caught.value.message


def test_the_clock_starts_when_the_work_does_not_when_the_request_came() -> None:
    """A request that waited for a compute thread still has its whole time: the bound
    counts from the work's first check (the answer must not blame the graph for a queue)."""
    with time_limit(0.2):
        time.sleep(0.3)  # waiting its turn
        report = train(TrainSettings(max_epoch=3))
        assert len(report.history.loss) == 3
        time.sleep(0.3)  # now the work's own time is up
        with pytest.raises(TimeLimitError):
            check_deadline()


def test_a_stopping_server_ends_bounded_work_at_its_next_check(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(deadline, "_STOPPING", threading.Event())
    deadline.stop_all()
    check_deadline()  # unbounded work (a notebook) is never stopped
    with time_limit(60), pytest.raises(StoppingError) as caught:
        train(TrainSettings(max_epoch=3))
    assert caught.value.code == "stopping" and caught.value.http_status == 503
    assert "stopping" in caught.value.message and "서버가 멈추는 중" in caught.value.localized("ko")
