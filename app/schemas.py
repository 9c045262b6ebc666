"""The API's request and response bodies: the graph spec contract in pydantic form.

Requests are strict: ``false`` is not 0, ``"1"`` is not 1, unknown fields are refused and
every number must be finite. The JSON shapes are exactly the core's (``core/spec.py`` for
a spec, ``GraphResult.to_dict()`` for a result), so the pages and any program see one
contract. Response models document the shapes; the endpoints return the core's dicts.
A value (a number or nested lists of numbers) is described here and checked by the core,
whose message names the node.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, NotRequired

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SkipValidation,
    StringConstraints,
    WithJsonSchema,
    with_config,
)
from typing_extensions import TypeAliasType, TypedDict

from core.examples import EXAMPLES
from core.expression import GRAMMAR
from core.gradcheck import DEFAULT_EPS, DEFAULT_TOLERANCE
from core.ops import OPS, attrs_json_schema
from core.optimizers import OPTIMIZERS, hyperparameters_json_schema
from core.spec import ID_PATTERN

# --- values: a number or rectangular nested lists of numbers ----------------------

# A number or a list of NestedNumbers: the JSON schema of every value and dout.
NestedNumbers = TypeAliasType("NestedNumbers", "float | list[NestedNumbers]")

# The schema describes a value; the core checks it (core.spec.parse_array: numbers, not
# booleans, finite, at most MAX_NDIM deep, rectangular, within float range and the element
# limit) and its message names the node: "node 'x': value contains inf or nan". Checking
# here too would say it twice, without the node. Requests stay bounded without it: the
# body is at most BPX_MAX_BODY_BYTES, JSON nested past Python's recursion limit is a 400
# from the parser, and the core walks a value without recursion, stopping at MAX_NDIM.
Value = SkipValidation[NestedNumbers]

# The schema states the pattern; the core checks it (and names the node's position), so
# the request path does not match every id twice.
NodeId = Annotated[
    str,
    StringConstraints(min_length=1, max_length=64),
    Field(json_schema_extra={"pattern": ID_PATTERN.pattern}),
]
FiniteFloat = Annotated[float, Field(allow_inf_nan=False)]


class StrictModel(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", allow_inf_nan=False, frozen=True)


# --- the graph spec ------------------------------------------------------------------


# Typed dicts, not models: validation hands the core the plain dict it takes, with no
# model objects built and converted back on every request.
STRICT = ConfigDict(strict=True, extra="forbid", allow_inf_nan=False)


# Which attrs an op takes, and their types, are the op registry's (core/ops): the schema
# is drawn from it and the core checks them, naming the node.
Attrs = Annotated[dict[str, Any], WithJsonSchema(attrs_json_schema())]


@with_config(STRICT)
class Node(TypedDict):
    id: Annotated[NodeId, Field(description="1 to 64 letters of any script, digits, _ - or .")]
    op: Annotated[
        str,
        Field(
            description="the operation; input and param carry a value",
            json_schema_extra={"enum": list(OPS)},
        ),
    ]
    inputs: NotRequired[Annotated[list[NodeId], Field(description="the inputs' ids, in order")]]
    value: NotRequired[
        Annotated[
            Value | None,
            Field(description="input and param only: a number or nested lists of numbers"),
        ]
    ]
    attrs: NotRequired[Attrs | None]


#: The book's first graph (book 1, 5.4), the examples' own copy.
APPLE_SPEC: dict[str, Any] = EXAMPLES["apple"].fresh_spec()


@with_config(ConfigDict(**STRICT, json_schema_extra={"examples": [APPLE_SPEC]}))
class Graph(TypedDict):
    """A graph spec. The order of ``nodes`` does not matter."""

    nodes: Annotated[list[Node], Field(min_length=1)]
    output: NotRequired[
        Annotated[NodeId | None, Field(description="defaults to the last node listed")]
    ]
    dout: NotRequired[
        Annotated[
            Value | None,
            Field(description="upstream gradient: a number or shaped like the output"),
        ]
    ]


# --- results (documentation of what the core returns) --------------------------------


class NodeResult(BaseModel):
    id: str
    op: str
    inputs: list[str]
    shape: list[int]
    value: NestedNumbers
    grad: NestedNumbers | None = Field(description="null for a node used only as labels")


class EdgeResult(BaseModel):
    source: str
    target: str
    index: int = Field(description="position among the target's inputs")
    value: NestedNumbers
    grad: NestedNumbers | None = Field(description="what flows back along this edge alone")


class GraphResult(BaseModel):
    output: str
    value: NestedNumbers
    order: list[str] = Field(description="the forward order")
    nodes: list[NodeResult]
    edges: list[EdgeResult]


class NodeOut(BaseModel):
    id: str
    op: str
    inputs: list[str] = Field(default_factory=list)
    value: NestedNumbers | None = None
    attrs: dict[str, float | int | bool | None] | None = None


class GraphOut(BaseModel):
    """A graph spec as the API returns it: send it back to POST /api/run as it is."""

    nodes: list[NodeOut]
    output: str | None = None
    dout: NestedNumbers | None = None


# --- endpoints' own bodies -------------------------------------------------------------


class Health(BaseModel):
    status: Literal["ok"]


class Localized(BaseModel):
    en: str
    ko: str


class ExampleSummary(BaseModel):
    name: str
    title: Localized
    description: Localized


VarName = Annotated[str, StringConstraints(min_length=1, max_length=64)]


EXPRESSION_EXAMPLE: dict[str, Any] = {
    "expression": "(apple*apple_num + orange*orange_num)*tax",
    "values": {"apple": 100, "apple_num": 2, "orange": 150, "orange_num": 3, "tax": 1.1},
}


class ExpressionRequest(StrictModel):
    model_config = ConfigDict(json_schema_extra={"examples": [EXPRESSION_EXAMPLE]})

    expression: str = Field(
        max_length=2_000,
        description=GRAMMAR,
    )
    values: dict[VarName, Value] = Field(
        default_factory=dict, description="a value for every variable of the expression"
    )
    dout: Value | None = None


class ExpressionResponse(BaseModel):
    graph: GraphOut
    result: GraphResult


Eps = Annotated[float, Field(gt=0, le=1, allow_inf_nan=False)]


class GradCheckRequest(StrictModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"graph": APPLE_SPEC, "eps": 1e-5}]})

    graph: Graph
    eps: Eps = Field(default=DEFAULT_EPS, description="the step of the central differences")
    tolerance: Eps = Field(default=DEFAULT_TOLERANCE, description="largest relative error")


class ArrayCheck(BaseModel):
    node: str
    shape: list[int]
    analytic: NestedNumbers
    numeric: NestedNumbers
    max_abs_error: float
    max_rel_error: float
    passed: bool
    kink: str | None = Field(
        description="when the check fails because the value sits where an op it feeds has "
        "no derivative (ReLU at 0): why, naming the node"
    )


class GradCheckResponse(BaseModel):
    passed: bool
    eps: float
    tolerance: float
    problems: list[str]
    arrays: list[ArrayCheck] = Field(description="one entry per input and param node")


# Which optimizer takes which hyperparameter, and their ranges, are the optimizers' own
# (core/optimizers.py): the schema is drawn from them and the core checks, naming the key.
Hyper = Annotated[dict[str, Any], WithJsonSchema(hyperparameters_json_schema())]


STEP_EXAMPLE: dict[str, Any] = {
    "graph": {
        "nodes": [
            {"id": "x", "op": "input", "value": [[1.0, 2.0]]},
            {"id": "W", "op": "param", "value": [[0.5], [-0.5]]},
            {"id": "y", "op": "matmul", "inputs": ["x", "W"]},
            {"id": "loss", "op": "sum", "inputs": ["y"]},
        ],
        "output": "loss",
    },
    "optimizer": "sgd",
    "hyper": {"lr": 0.1},
}


@with_config(STRICT)
class StepStateIn(TypedDict):
    """An earlier step's ``state``, sent back as it came; the core checks it fits."""

    optimizer: str
    t: int
    params: dict[str, dict[str, Value]]


class StepRequest(StrictModel):
    model_config = ConfigDict(json_schema_extra={"examples": [STEP_EXAMPLE]})

    graph: Graph
    optimizer: Annotated[str, Field(json_schema_extra={"enum": list(OPTIMIZERS)})] = "sgd"
    hyper: Hyper = Field(default_factory=dict, description="unset ones keep the book's defaults")
    state: StepStateIn | None = Field(
        default=None,
        description="the state the previous step returned: the optimizer carries on from it "
        "(Momentum's velocity, AdaGrad's h, Adam's m, v and t); none starts it fresh",
    )


class StepStateOut(BaseModel):
    optimizer: str
    t: int = Field(description="updates made so far")
    params: dict[str, dict[str, NestedNumbers]] = Field(
        description="per param node, each slot the optimizer keeps (v, h, m), shaped like it"
    )


class StepResponse(BaseModel):
    optimizer: str
    hyper: dict[str, float] = Field(description="every hyperparameter, defaults filled in")
    graph: GraphOut = Field(description="the graph after the step: every param moved")
    before: GraphResult
    after: GraphResult
    state: StepStateOut = Field(description="send it back with the next step")


# --- errors ----------------------------------------------------------------------------


class FieldError(BaseModel):
    loc: list[str | int]
    msg: str
    type: str


class ErrorBody(BaseModel):
    """Every error the API returns: what went wrong, and where."""

    detail: str = Field(description="a message that names the node and the problem")
    code: str = Field(description="a short tag: cycle, shape_mismatch, invalid_request, ...")
    node: str | None = Field(default=None, description="the node at fault, if there is one")
    errors: list[FieldError] | None = Field(
        default=None, description="for an invalid request body: every field at fault"
    )
    known: list[str] | None = Field(default=None, description="for 404: the names that exist")
