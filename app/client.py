"""A Python client for the REST API, on httpx, typed with the service's own models.

    from app.client import Client
    from core.examples import EXAMPLES

    with Client("http://127.0.0.1:8000") as api:
        result = api.run(EXAMPLES["apple_orange"].spec)     # an app.schemas.GraphResult
        result.value, result.grad("apple")                  # 715.0000000000001 2.2
        api.expression("(x + y) * z", {"x": 1, "y": 2, "z": 3}).result.value
        api.gradcheck(EXAMPLES["affine"].spec).passed
        first = api.step(EXAMPLES["two_layer_net"].spec, "adam", lr=0.01)
        api.step(first.graph.model_dump(), "adam", state=first.state, lr=0.01).after.value
        api.train(dataset="moons", max_epoch=50).final_accuracy

Requests take what a program has at hand (NumPy arrays too); answers are the models of
:mod:`app.schemas` and :mod:`app.train_schemas`, the same the service documents. A result
from :meth:`Client.run` draws itself in Jupyter. Errors that the service answers become
exceptions that carry its ``code`` and ``node``:

    ClientError                  anything this client raises
    ├── UnreachableError         no answer at all: refused, timed out, not HTTP
    └── ServiceError             an error body: .status, .code, .detail, .node, .body
        ├── GraphRejectedError   422 from the core: the graph or its values are wrong;
        │                        also an instance of the core's own class for its code,
        │                        so ``except core.errors.ShapeError`` works here too
        ├── InvalidRequestError  422 "invalid_request": a field does not fit the schema;
        │                        .errors lists every field at fault
        ├── MalformedJSONError   400
        ├── NotFoundError        404; .known lists the names that do exist
        ├── BodyTooLargeError    413
        └── InternalServerError  500: a bug on the server (it is logged there)
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from types import TracebackType
from typing import Any, Self, TypeVar

import httpx
import numpy as np
from pydantic import BaseModel, PrivateAttr, ValidationError

from app.schemas import (
    ErrorBody,
    ExampleSummary,
    ExpressionResponse,
    FieldError,
    GradCheckResponse,
    Graph,
    GraphOut,
    GraphResult,
    Health,
    NodeResult,
    StepResponse,
    StepStateOut,
)
from app.train_schemas import TrainResponse
from core import errors as core_errors

DEFAULT_TIMEOUT = 30.0
ModelT = TypeVar("ModelT", bound=BaseModel)


# --- the errors ------------------------------------------------------------------------


class ClientError(Exception):
    """Anything the client raises."""


class UnreachableError(ClientError):
    """The service gave no answer: nothing listens there, or it took too long."""


class ServiceError(ClientError):
    """The service answered with an error body: ``code`` and ``node`` are its own."""

    def __init__(self, status: int, body: ErrorBody) -> None:
        # Exception.__init__, not super(): a GraphRejectedError also derives from a core error
        # class whose __init__ takes other arguments.
        Exception.__init__(self, body.detail)
        self.status = status
        self.body = body
        self.detail = body.detail
        self.message = body.detail  # as a core GraphError calls it
        self.code = body.code
        self.node = body.node

    def __str__(self) -> str:
        return f"{self.detail} (HTTP {self.status}, {self.code})"


class GraphRejectedError(ServiceError):
    """422 from the core: the graph or its values. ``code`` as the core's (cycle, ...)."""


class InvalidRequestError(ServiceError):
    """422: the request does not fit the schema. ``errors``: every field at fault."""

    @property
    def errors(self) -> list[FieldError]:
        return list(self.body.errors or [])


class MalformedJSONError(ServiceError):
    """400: the body was not JSON."""


class NotFoundError(ServiceError):
    """404; ``known`` lists the names that exist, when the service says them."""

    @property
    def known(self) -> list[str]:
        return list(self.body.known or [])


class BodyTooLargeError(ServiceError):
    """413: the body is over the service's BPX_MAX_BODY_BYTES."""


class InternalServerError(ServiceError):
    """500: a bug in the service."""


_BY_STATUS: dict[int, type[ServiceError]] = {
    400: MalformedJSONError,
    404: NotFoundError,
    413: BodyTooLargeError,
    500: InternalServerError,
}


def _core_classes() -> dict[str, type[core_errors.GraphError]]:
    """Every core error class by its code, walking the tree from GraphError."""
    found: dict[str, type[core_errors.GraphError]] = {}
    stack: list[type[core_errors.GraphError]] = [core_errors.GraphError]
    while stack:
        cls = stack.pop()
        found.setdefault(cls.code, cls)
        stack.extend(cls.__subclasses__())
    return found


@cache
def _rejected_class(code: str) -> type[GraphRejectedError]:
    """GraphRejectedError joined with the core's class for ``code`` (ShapeError for
    shape_mismatch, ...): one class per code, made once."""
    core_class = _core_classes().get(code)
    if core_class is None:
        return GraphRejectedError
    return type(f"Remote{core_class.__name__}", (GraphRejectedError, core_class), {"code": code})


def error_for(status: int, body: ErrorBody) -> ServiceError:
    """The exception for an error answer: by its status, and for 422 by its code."""
    if status == 422:
        if body.code == "invalid_request":
            return InvalidRequestError(status, body)
        return _rejected_class(body.code)(status, body)
    return _BY_STATUS.get(status, ServiceError)(status, body)


# --- results that show themselves ------------------------------------------------------


class RunResult(GraphResult):
    """POST /api/run's answer: an ``app.schemas.GraphResult`` that also draws itself in
    Jupyter (the annotated SVG) and looks up a node's value and gradient by id."""

    _spec: Mapping[str, Any] | None = PrivateAttr(default=None)

    def node(self, node_id: str) -> NodeResult:
        for n in self.nodes:
            if n.id == node_id:
                return n
        raise KeyError(f"no node {node_id!r}; nodes: {', '.join(n.id for n in self.nodes)}")

    def grad(self, node_id: str) -> Any:
        return self.node(node_id).grad

    def _repr_svg_(self) -> str:
        from app.drawing import render_svg  # the drawing only when it is shown

        spec = self._spec or {
            "nodes": [{"id": n.id, "op": n.op, "inputs": n.inputs} for n in self.nodes],
            "output": self.output,
        }
        return render_svg(spec, self.model_dump())


# --- the client ------------------------------------------------------------------------


def jsonable(value: Any) -> Any:
    """Plain JSON data from what a program has: NumPy arrays and numbers become lists
    and floats, mappings dicts, tuples lists."""
    if isinstance(value, np.ndarray | np.generic):
        return value.tolist()
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


class Client:
    """The REST API of one service at ``base_url``; use it in a ``with`` block, or close it.

    ``transport`` is httpx's, for tests that call an app in process.
    """

    def __init__(
        self,
        base_url: str = "http://127.0.0.1:8000",
        *,
        timeout: float = DEFAULT_TIMEOUT,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._http = httpx.Client(base_url=self.base_url, timeout=timeout, transport=transport)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    # --- the endpoints ---

    def health(self) -> Health:
        """GET /healthz."""
        return self._call("GET", "/healthz", Health)

    def examples(self) -> list[ExampleSummary]:
        """GET /api/examples: names, titles and descriptions (en, ko)."""
        data = self._send("GET", "/api/examples")
        return [ExampleSummary.model_validate(item) for item in data]

    def example(self, name: str) -> GraphOut:
        """GET /api/examples/{name}: a graph spec, ready for :meth:`run`."""
        return self._call("GET", f"/api/examples/{name}", GraphOut)

    def run(self, graph: Graph | Mapping[str, Any]) -> RunResult:
        """POST /api/run: every node's value and gradient, every edge's share."""
        spec = jsonable(graph)
        result = self._call("POST", "/api/run", RunResult, spec)
        result._spec = spec
        return result

    def expression(
        self, expression: str, values: Mapping[str, Any] | None = None, dout: Any = None
    ) -> ExpressionResponse:
        """POST /api/expression: the expression's graph, and that graph run."""
        body: dict[str, Any] = {"expression": expression, "values": jsonable(values or {})}
        if dout is not None:
            body["dout"] = jsonable(dout)
        return self._call("POST", "/api/expression", ExpressionResponse, body)

    def gradcheck(
        self,
        graph: Graph | Mapping[str, Any],
        eps: float | None = None,
        tolerance: float | None = None,
    ) -> GradCheckResponse:
        """POST /api/gradcheck: backprop's gradients against central differences."""
        body: dict[str, Any] = {"graph": jsonable(graph)}
        if eps is not None:
            body["eps"] = eps
        if tolerance is not None:
            body["tolerance"] = tolerance
        return self._call("POST", "/api/gradcheck", GradCheckResponse, body)

    def step(
        self,
        graph: Graph | Mapping[str, Any],
        optimizer: str = "sgd",
        *,
        state: StepStateOut | Mapping[str, Any] | None = None,
        **hyper: float,
    ) -> StepResponse:
        """POST /api/step: every param moved by one step of ``optimizer``.

        ``hyper``: lr, momentum, decay_rate, beta1, beta2 (the book's defaults otherwise).
        ``state``: the ``state`` of the previous step's answer, so that the optimizer
        carries on (Momentum's velocity, Adam's m, v and t); without it, it starts fresh.
        """
        body: dict[str, Any] = {"graph": jsonable(graph), "optimizer": optimizer, "hyper": hyper}
        if state is not None:
            body["state"] = state.model_dump() if isinstance(state, BaseModel) else jsonable(state)
        return self._call("POST", "/api/step", StepResponse, body)

    def train(self, **settings: Any) -> TrainResponse:
        """POST /api/train: dataset, hidden_size, optimizer, lr, max_epoch, batch_size,
        seed (see ``app.train_schemas.TrainRequest``); unset ones keep the book's run."""
        return self._call("POST", "/api/train", TrainResponse, jsonable(settings))

    # --- the plumbing ---

    def _call(self, method: str, path: str, model: type[ModelT], body: Any = None) -> ModelT:
        data = self._send(method, path, body)
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            raise ClientError(
                f"{method} {path}: the answer does not fit {model.__name__}: {exc}"
            ) from exc

    def _send(self, method: str, path: str, body: Any = None) -> Any:
        try:
            response = self._http.request(method, path, json=body)
        except httpx.TransportError as exc:
            raise UnreachableError(
                f"no answer from {self.base_url} ({type(exc).__name__}: {exc}): is it running?"
            ) from exc
        if response.is_success:
            return response.json()
        raise error_for(response.status_code, _error_body(response))


def _error_body(response: httpx.Response) -> ErrorBody:
    try:
        return ErrorBody.model_validate(response.json())
    except (ValueError, ValidationError):  # not the service's error shape (a proxy's page)
        text = response.text.strip()[:200] or response.reason_phrase
        return ErrorBody(detail=text, code=f"http_{response.status_code}")
