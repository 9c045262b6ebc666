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
        └── TimeLimitError        the work took longer than the request's time bound
            │                     (core.deadline)
            └── StoppingError     the server is stopping (SIGTERM): work ends at its next
                                  check, with a 503

    LayerCheckError               a learner's layer cannot be checked (it lacks the book's
    │                             interface, or cannot be built); not a graph error.
    │                             .hint says what to try, when a known slip is behind it
    └── LearnerCodeError          the learner's own code raised; .exception is what it
                                  raised, .location the line of their file (core.slips)

The core raises each graph error with a message key and its parameters
(:mod:`core.messages`): ``exc.message`` is the English text, what the API and the command
line say; ``exc.localized("ko")`` is the same error as a page in that language says it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self

from core.messages import Message

if TYPE_CHECKING:
    from core.slips import Location


class GraphError(ValueError):
    """A graph the engine cannot run. ``node`` names the node at fault, if any.

    ``key`` and ``params`` are the message's (None and {} for an error made from a plain
    text, which then reads the same in every language).
    """

    code = "invalid_graph"
    http_status = 422  # what the service answers with (app.errors)
    key: str | None = None
    params: Mapping[str, Any] = {}

    def __init__(self, message: str | Message, node: str | None = None) -> None:
        if isinstance(message, Message):
            self.key, self.params = message.key, message.params
            message = message.text()
        super().__init__(message)
        self.message = message
        self.node = node

    @classmethod
    def of(cls, key: str, node: str | None = None, /, **params: Any) -> Self:
        """``ShapeError.of("matmul_columns", node, x=..., w=...)``: the error saying the
        message ``key`` of :data:`core.messages.MESSAGES` with ``params``."""
        return cls(Message(key, params), node)

    def localized(self, lang: str) -> str:
        """The message as a page in ``lang`` says it (its terms by their labels)."""
        if self.key is None:
            return self.message
        return Message(self.key, self.params).text(lang, page=True)


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

    def __init__(self, message: str | Message, cycle: list[str]) -> None:
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


class TimeLimitError(LimitError):
    """The work went on past the request's time bound (:mod:`core.deadline`)."""

    code = "too_slow"


class StoppingError(TimeLimitError):
    """The server is stopping: the work ends at its next time check (:mod:`core.deadline`),
    so that SIGTERM does not wait for it; try again on another worker or in a moment."""

    code = "stopping"
    http_status = 503


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
