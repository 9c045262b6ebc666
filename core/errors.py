"""Errors the core raises for a graph it cannot run.

Every message names the node (when there is one) and says exactly what is wrong, so
that the API can pass it on unchanged and the explorer can show it next to that node.

    GraphError                    base; .node is the node id or None, .code a short tag
    ├── SpecError                 the spec itself is malformed
    │   ├── UnknownOpError        op is not one the engine knows
    │   ├── ArityError            wrong number of inputs for the op
    │   ├── UnknownNodeError      an input or the output names no node
    │   ├── DuplicateNodeError    two nodes share an id
    │   ├── AttributeSpecError    a missing or invalid attrs entry
    │   ├── InvalidValueError     value or dout is ragged, non-numeric or missing
    │   ├── ExpressionError       a typed expression is outside the grammar or lacks a value
    │   └── OptimizerError        an unknown optimizer or hyperparameter, or an unusable value
    ├── CycleError                the graph has a cycle; .cycle lists the nodes on it
    ├── ShapeError                operand shapes do not fit (both shapes named)
    ├── LabelError                labels out of range or of the wrong shape
    ├── NonFiniteError            a non-finite input, or an op produced inf or nan
    └── LimitError                the graph is over a size limit (checked before allocating)

    LayerCheckError               a learner's layer cannot be checked (it lacks the book's
    │                             interface, or cannot be built); not a graph error.
    │                             .hint says what to try, when a known slip is behind it
    └── LearnerCodeError          the learner's own code raised; .exception is what it
                                  raised, .location the line of their file (core.slips)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.slips import Location


class GraphError(ValueError):
    """A graph the engine cannot run. ``node`` names the node at fault, if any."""

    code = "invalid_graph"

    def __init__(self, message: str, node: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.node = node


class SpecError(GraphError):
    code = "invalid_spec"


class UnknownOpError(SpecError):
    code = "unknown_op"


class ArityError(SpecError):
    code = "wrong_number_of_inputs"


class UnknownNodeError(SpecError):
    code = "unknown_node"


class DuplicateNodeError(SpecError):
    code = "duplicate_node"


class AttributeSpecError(SpecError):
    code = "invalid_attrs"


class InvalidValueError(SpecError):
    code = "invalid_value"


class ExpressionError(SpecError):
    """The expression is outside the grammar, too long or too deep, or lacks a value.

    ``node`` names the variable when one is at fault.
    """

    code = "invalid_expression"


class OptimizerError(SpecError):
    """An unknown optimizer, an unknown hyperparameter or an unusable value."""

    code = "invalid_optimizer"


class CycleError(GraphError):
    code = "cycle"

    def __init__(self, message: str, cycle: list[str]) -> None:
        super().__init__(message, node=cycle[0] if cycle else None)
        self.cycle = cycle


class ShapeError(GraphError):
    code = "shape_mismatch"


class LabelError(GraphError):
    code = "invalid_labels"


class NonFiniteError(GraphError):
    code = "non_finite"


class LimitError(GraphError):
    code = "over_limit"


class LayerCheckError(ValueError):
    """A layer object handed to the gradient check broke: the message says where.

    ``hint`` is one sentence on what to change, when the cause is a slip we know.
    """

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if self.hint is None else f"{self.message}\nhint: {self.hint}"


class LearnerCodeError(LayerCheckError):
    """The learner's own code raised ``exception``; ``location`` is the line of their code
    where it happened (a ``core.slips.Location``: file, line, function, source), if found.
    """

    def __init__(
        self,
        message: str,
        exception: BaseException,
        location: Location | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message, hint)
        self.exception = exception
        self.location = location

    def __str__(self) -> str:
        text = self.message
        if self.location is not None:
            text += f"\n  at {self.location}"
            if self.location.source:
                text += f": {self.location.source}"
        return text if self.hint is None else f"{text}\nhint: {self.hint}"
