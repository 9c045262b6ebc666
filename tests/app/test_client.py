"""app.client against a live server: every endpoint answers in the service's own models,
and every kind of error becomes its exception with the service's code and node."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import numpy as np
import pytest

from app.client import (
    BodyTooLargeError,
    Client,
    GraphRejectedError,
    InternalServerError,
    InvalidRequestError,
    MalformedJSONError,
    NotFoundError,
    RunResult,
    ServiceError,
    UnreachableError,
    error_for,
)
from app.schemas import ErrorBody, ExpressionResponse, GradCheckResponse, GraphOut, StepResponse
from app.train_schemas import TrainResponse
from core.errors import CycleError, ExpressionError, GraphError, InvalidValueError, ShapeError
from core.examples import EXAMPLES
from tests.live import free_port

CYCLE = {
    "nodes": [
        {"id": "x", "op": "input", "value": 1.0},
        {"id": "y", "op": "add", "inputs": ["x", "z"]},
        {"id": "z", "op": "neg", "inputs": ["y"]},
    ]
}


@pytest.fixture(scope="module")
def api(live_server: str) -> Iterator[Client]:
    with Client(live_server) as client:
        yield client


def test_health_and_examples(api: Client) -> None:
    assert api.health().status == "ok"
    names = [e.name for e in api.examples()]
    assert names == list(EXAMPLES)
    apple = api.example("apple")
    assert isinstance(apple, GraphOut)
    assert [n.id for n in apple.nodes] == [n["id"] for n in EXAMPLES["apple"].spec["nodes"]]


def test_an_unknown_example_is_not_found_and_lists_the_known_ones(api: Client) -> None:
    with pytest.raises(NotFoundError) as caught:
        api.example("apples")
    error = caught.value
    assert (error.status, error.code, error.node) == (404, "not_found", None)
    assert error.known == list(EXAMPLES)
    assert "no example named 'apples'" in str(error)


def test_run_answers_a_result_that_draws_itself(api: Client) -> None:
    result = api.run(EXAMPLES["apple_orange"].spec)
    assert isinstance(result, RunResult)
    assert result.value == pytest.approx(715)
    assert result.grad("apple") == pytest.approx(2.2)
    assert result.order[-1] == "price"
    svg = result._repr_svg_()
    assert svg.startswith("<svg") and ">715<" in svg and ">650<" in svg


def test_run_takes_numpy_arrays(api: Client) -> None:
    spec = {
        "nodes": [
            {"id": "x", "op": "input", "value": np.array([[1.0, 2.0]])},
            {"id": "W", "op": "param", "value": np.array([[0.5], [-0.5]])},
            {"id": "y", "op": "matmul", "inputs": ["x", "W"]},
        ],
        "dout": np.float64(2.0),
    }
    result = api.run(spec)
    assert result.value == [[-0.5]]
    assert result.grad("W") == [[2.0], [4.0]]


def test_a_cycle_is_the_cores_cycle_error_with_code_and_node(api: Client) -> None:
    with pytest.raises(GraphRejectedError) as caught:
        api.run(CYCLE)
    error = caught.value
    assert (error.status, error.code, error.node) == (422, "cycle", "y")
    assert isinstance(error, CycleError) and isinstance(error, GraphError)
    assert "cycle" in error.detail and error.message == error.detail


def test_a_shape_mismatch_is_a_shape_error_naming_the_node(api: Client) -> None:
    spec = {
        "nodes": [
            {"id": "x", "op": "input", "value": [[1.0, 2.0, 3.0]]},
            {"id": "W", "op": "param", "value": [[1.0], [2.0]]},
            {"id": "s", "op": "matmul", "inputs": ["x", "W"]},
        ]
    }
    with pytest.raises(ShapeError) as caught:  # the core's class, raised by the client
        api.run(spec)
    error = caught.value
    assert isinstance(error, GraphRejectedError)
    assert (error.code, error.node) == ("shape_mismatch", "s")


def test_a_body_that_does_not_fit_the_schema_is_an_invalid_request(api: Client) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        api.run({"nodes": [{"id": "x", "op": "input", "value": 1.0, "colour": "red"}]})
    error = caught.value
    assert (error.status, error.code, error.node) == (422, "invalid_request", "x")
    assert error.errors and error.errors[0].loc == ["nodes", 0, "colour"]


def test_a_value_that_is_not_numbers_is_the_cores_invalid_value(api: Client) -> None:
    with pytest.raises(InvalidValueError) as caught:
        api.run({"nodes": [{"id": "x", "op": "input", "value": "1"}]})
    assert (caught.value.code, caught.value.node) == ("invalid_value", "x")


def test_a_body_over_the_limit_is_too_large(api: Client) -> None:
    # about 2.3 MB of JSON, just over the 2 MB limit
    big = {"nodes": [{"id": "x", "op": "input", "value": [0.123456789] * 180_000}]}
    with pytest.raises(BodyTooLargeError) as caught:
        api.run(big)
    assert (caught.value.status, caught.value.code) == (413, "body_too_large")


def test_expression(api: Client) -> None:
    answer = api.expression("(x + y) * z", {"x": 1, "y": 2, "z": 3})
    assert isinstance(answer, ExpressionResponse)
    assert answer.result.value == 9
    assert {n.id: n.grad for n in answer.result.nodes}["x"] == 3
    with pytest.raises(ExpressionError) as caught:
        api.expression("x +", {"x": 1})
    assert caught.value.code == "invalid_expression"


def test_gradcheck(api: Client) -> None:
    report = api.gradcheck(EXAMPLES["affine"].spec, eps=1e-5)
    assert isinstance(report, GradCheckResponse)
    assert report.passed and not report.problems
    assert {a.node for a in report.arrays} >= {"x", "W", "b"}


def test_step_moves_the_params_downhill(api: Client) -> None:
    answer = api.step(EXAMPLES["two_layer_net"].spec, "sgd", lr=1.0)
    assert isinstance(answer, StepResponse)
    assert answer.optimizer == "sgd" and answer.hyper == {"lr": 1.0} and answer.state.t == 1
    assert isinstance(answer.before.value, float) and isinstance(answer.after.value, float)
    assert answer.after.value < answer.before.value
    again = api.step(answer.graph.model_dump(), "sgd", state=answer.state, lr=1.0)
    assert again.state.t == 2 and again.before.value == pytest.approx(answer.after.value)
    with pytest.raises(GraphRejectedError) as caught:
        api.step(EXAMPLES["two_layer_net"].spec, "adamw")
    assert caught.value.code == "invalid_optimizer"


def test_train(api: Client) -> None:
    answer = api.train(dataset="moons", max_epoch=5, seed=3)
    assert isinstance(answer, TrainResponse)
    assert len(answer.loss) == len(answer.accuracy) == 5
    assert answer.final_loss == answer.loss[-1]
    with pytest.raises(InvalidRequestError, match="the limit is"):
        api.train(max_epoch=1000, batch_size=1)


def test_no_server_is_unreachable_not_a_traceback_from_httpx() -> None:
    with (
        Client(f"http://127.0.0.1:{free_port()}", timeout=2) as client,
        pytest.raises(UnreachableError, match="is it running"),
    ):
        client.health()


@pytest.mark.parametrize(
    ("status", "code", "expected"),
    [
        (400, "malformed_json", MalformedJSONError),
        (404, "not_found", NotFoundError),
        (413, "body_too_large", BodyTooLargeError),
        (500, "internal_error", InternalServerError),
        (405, "method_not_allowed", ServiceError),
    ],
)
def test_each_status_has_its_exception(status: int, code: str, expected: type) -> None:
    error = error_for(status, ErrorBody(detail="what went wrong", code=code))
    assert type(error) is expected and error.code == code


def test_an_answer_that_is_not_an_error_body_still_raises_with_its_status() -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(502, text="Bad Gateway"))
    with Client("http://test", transport=transport) as client, pytest.raises(ServiceError) as e:
        client.health()
    assert (e.value.status, e.value.code, e.value.detail) == (502, "http_502", "Bad Gateway")
