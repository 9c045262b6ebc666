"""Turn an arithmetic expression into a graph spec, so a learner can type a formula.

    spec = expression_to_spec("(apple*apple_num + orange*orange_num)*tax", values)
    core.run_graph(spec)

The grammar: numbers, variables (identifiers of any script, Korean ones too), ``+ - * /``,
unary ``-``, ``**`` with a numeric exponent, ``@`` (matmul), parentheses, and calls of
the ops that take one input and no required attrs (``exp``, ``log``, ``square``,
``sigmoid``, ``relu``, ``tanh``, ``sum``, ``softmax``: :data:`core.ops.FUNCTIONS`).

The text is parsed with Python's :mod:`ast` and never evaluated: only the node types in
this grammar are accepted, everything else (attribute access, subscripts, lambdas,
comprehensions, strings, keyword arguments, other functions) is refused by name.

Each variable becomes an ``input`` node whose id is the variable's name; each number an
``input`` node named by its value (``2``, ``0.5``); each operation a node with a readable
id numbered in the order it is computed (``mul_1``, ``mul_2``, ``add_3``).
"""

from __future__ import annotations

import ast
import math
import unicodedata
from collections.abc import Mapping
from typing import Any

from core.errors import ExpressionError
from core.messages import Message, msg
from core.ops import FUNCTIONS as OP_FUNCTIONS
from core.spec import DEFAULT_LIMITS, ID_PATTERN, Limits, parse_array

MAX_EXPRESSION_CHARS = 2_000
MAX_NESTING = 100

# function name in the expression -> op of the graph: every op that can be called so
FUNCTIONS: dict[str, str] = {name: name for name in OP_FUNCTIONS}

BINARY_OPS: dict[type[ast.operator], str] = {
    ast.Add: "add",
    ast.Sub: "sub",
    ast.Mult: "mul",
    ast.Div: "div",
    ast.MatMult: "matmul",
}

#: The grammar in a message's words (its English text is the API schema's description).
GRAMMAR_WORDS = msg("grammar", functions=", ".join(FUNCTIONS))
GRAMMAR = GRAMMAR_WORDS.text()

# What a learner might try, said in their words rather than the ast's (message keys).
_REFUSED: dict[type[ast.AST], str] = {
    ast.Attribute: "syntax_attribute",
    ast.Subscript: "syntax_subscript",
    ast.Lambda: "syntax_lambda",
    ast.ListComp: "syntax_listcomp",
    ast.SetComp: "syntax_setcomp",
    ast.DictComp: "syntax_dictcomp",
    ast.GeneratorExp: "syntax_genexp",
    ast.Compare: "syntax_compare",
    ast.BoolOp: "syntax_boolop",
    ast.IfExp: "syntax_ifexp",
    ast.NamedExpr: "syntax_namedexpr",
    ast.Tuple: "syntax_tuple",
    ast.List: "syntax_list",
    ast.Dict: "syntax_dict",
    ast.Set: "syntax_set",
    ast.Starred: "syntax_starred",
    ast.JoinedStr: "syntax_fstring",
    ast.Await: "syntax_await",
    ast.Yield: "syntax_yield",
    ast.YieldFrom: "syntax_yield",
}

_OPERATOR_TEXT: dict[type[ast.AST], str | Message] = {
    ast.FloorDiv: "//",
    ast.Mod: "%",
    ast.LShift: "<<",
    ast.RShift: ">>",
    ast.BitOr: "|",
    ast.BitAnd: "&",
    ast.BitXor: "^",
    ast.Invert: "~",
    ast.Not: "not",
    ast.UAdd: msg("syntax_unary_plus"),
}


def expression_to_spec(
    expression: str,
    values: Mapping[str, Any],
    dout: Any = None,
    limits: Limits = DEFAULT_LIMITS,
) -> dict[str, Any]:
    """Parse ``expression`` and return a graph spec whose inputs take ``values``.

    Values given for names the expression does not use are left out of the spec, so a
    form can keep them while the learner edits the formula. They are checked all the
    same, as the graph checks its inputs' values (within ``limits``): a bad one is
    refused by its name rather than passed over.
    """
    tree = parse_expression(expression)
    named_values = _normalized(values)
    builder = _Builder(tree, named_values)
    output = builder.build()
    for name, value in named_values.items():
        if name not in builder.ids:
            parse_array(value, name, "value", limits)
    spec: dict[str, Any] = {"nodes": builder.nodes, "output": output}
    if dout is not None:
        spec["dout"] = dout
    return spec


def parse_expression(expression: str) -> ast.expr:
    """Parse and check the grammar; return the expression's tree. Nothing is evaluated."""
    if not isinstance(expression, str):
        raise ExpressionError.of("expr_not_string")
    if len(expression) > MAX_EXPRESSION_CHARS:
        raise ExpressionError.of(
            "expr_too_long", None, count=len(expression), limit=MAX_EXPRESSION_CHARS
        )
    text = expression.strip()
    if not text:
        raise ExpressionError.of("expr_empty")
    if _bracket_depth(text) > MAX_NESTING:
        raise _too_deep()
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as err:
        # Python's own reason ("'(' was never closed") is passed on as it is
        if err.offset:
            raise ExpressionError.of(
                "expr_syntax_at", None, column=err.offset, reason=err.msg
            ) from None
        raise ExpressionError.of("expr_syntax", None, reason=err.msg) from None
    except (RecursionError, MemoryError):
        raise _too_deep() from None
    except ValueError as err:  # e.g. a NUL character
        raise ExpressionError.of("expr_syntax", None, reason=str(err)) from None
    _check_depth(tree.body)
    _check_grammar(tree.body)
    return tree.body


def _too_deep() -> ExpressionError:
    return ExpressionError.of("expr_too_deep", None, max=MAX_NESTING)


def _bracket_depth(text: str) -> int:
    depth = deepest = 0
    for ch in text:
        if ch in "([{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in ")]}":
            depth -= 1
    return deepest


def _check_depth(root: ast.expr) -> None:
    """Without recursion: the tree of a 2,000-character text can be 1,000 levels deep."""
    stack: list[tuple[ast.AST, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_NESTING:
            raise _too_deep()
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.expr):
                stack.append((child, depth + 1))


def _check_grammar(root: ast.expr) -> None:
    """Refuse every node type outside the grammar, before anything is built."""
    for node in ast.walk(root):
        if isinstance(node, ast.expr_context | ast.operator | ast.unaryop):
            if isinstance(node, ast.operator | ast.unaryop) and not isinstance(
                node, (*BINARY_OPS, ast.Pow, ast.USub)
            ):
                text = _OPERATOR_TEXT.get(type(node), type(node).__name__)
                raise ExpressionError.of(
                    "expr_operator", None, operator=text, grammar=GRAMMAR_WORDS
                )
            continue
        if isinstance(node, ast.BinOp | ast.UnaryOp | ast.Name):
            continue
        if isinstance(node, ast.Constant):
            _number(node)
            continue
        if isinstance(node, ast.Call):
            _check_call(node)
            continue
        key = _REFUSED.get(type(node))
        what = msg(key) if key else type(node).__name__
        raise ExpressionError.of("expr_refused", None, what=what, grammar=GRAMMAR_WORDS)


def _check_call(node: ast.Call) -> None:
    if not isinstance(node.func, ast.Name):
        raise ExpressionError.of(
            "expr_call_not_name",
            None,
            functions=", ".join(FUNCTIONS),
            found=repr(ast.unparse(node.func)),
        )
    name = node.func.id
    if name not in FUNCTIONS:
        raise ExpressionError.of(
            "expr_unknown_function", None, name=name, functions=", ".join(FUNCTIONS)
        )
    if node.keywords:
        raise ExpressionError.of("expr_keywords", None, name=name)
    if len(node.args) != 1:
        raise ExpressionError.of("expr_arg_count", None, name=name, count=len(node.args))


def _number(node: ast.Constant) -> float:
    value = node.value
    # bool is an int in Python, but True is not a number here
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ExpressionError.of(
            "expr_constant", None, value=f"{value!r:.40}", grammar=GRAMMAR_WORDS
        )
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        raise ExpressionError.of("expr_number_too_large")
    return number


def _normalized(values: Mapping[str, Any]) -> dict[str, Any]:
    # Python reads identifiers in NFKC form (a full-width x is x): look values up the same way.
    return {unicodedata.normalize("NFKC", str(k)): v for k, v in values.items()}


class _Builder:
    """Walks a checked tree (at most MAX_NESTING deep) and lists the spec's nodes."""

    def __init__(self, tree: ast.expr, values: Mapping[str, Any]) -> None:
        self.tree = tree
        self.values = values
        self.nodes: list[dict[str, Any]] = []
        self.ids: set[str] = set()
        self.counter = 0
        # ids the counter must skip: a variable may be called mul_1
        self.variables = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}

    def build(self) -> str:
        return self._visit(self.tree)

    def _visit(self, node: ast.expr) -> str:
        if isinstance(node, ast.Constant):
            return self._constant(_number(node))
        if isinstance(node, ast.Name):
            return self._variable(node.id)
        if isinstance(node, ast.UnaryOp):  # only unary minus passes the grammar check
            if isinstance(node.operand, ast.Constant):
                return self._constant(-_number(node.operand))
            return self._op("neg", [self._visit(node.operand)])
        if isinstance(node, ast.BinOp):
            if isinstance(node.op, ast.Pow):
                base = self._visit(node.left)
                return self._op("pow", [base], {"exponent": _exponent(node.right)})
            left = self._visit(node.left)
            right = self._visit(node.right)
            return self._op(BINARY_OPS[type(node.op)], [left, right])
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            return self._op(FUNCTIONS[node.func.id], [self._visit(node.args[0])])
        raise ExpressionError.of("expr_node", None, what=type(node).__name__, grammar=GRAMMAR_WORDS)

    def _variable(self, name: str) -> str:
        if name in FUNCTIONS:
            raise ExpressionError.of("expr_function_as_variable", name, name=name)
        if not ID_PATTERN.match(name):
            raise ExpressionError.of("expr_bad_name", name, name=f"{name!r:.70}")
        if name not in self.ids:
            if name not in self.values:
                raise ExpressionError.of("expr_no_value", name, name=name)
            self._add({"id": name, "op": "input", "value": self.values[name]})
        return name

    def _constant(self, number: float) -> str:
        text = repr(int(number)) if number.is_integer() and abs(number) < 1e15 else repr(number)
        if not ID_PATTERN.match(text) or text in self.variables:
            text = self._next_id("const")
        if text not in self.ids:
            self._add({"id": text, "op": "input", "value": number})
        return text

    def _op(self, op: str, inputs: list[str], attrs: dict[str, Any] | None = None) -> str:
        node_id = self._next_id(op)
        node: dict[str, Any] = {"id": node_id, "op": op, "inputs": inputs}
        if attrs:
            node["attrs"] = attrs
        self._add(node)
        return node_id

    def _next_id(self, prefix: str) -> str:
        while True:
            self.counter += 1
            candidate = f"{prefix}_{self.counter}"
            if candidate not in self.variables and candidate not in self.ids:
                return candidate

    def _add(self, node: dict[str, Any]) -> None:
        self.ids.add(node["id"])
        self.nodes.append(node)


def _exponent(node: ast.expr) -> float:
    if isinstance(node, ast.Constant):
        return _number(node)
    if (
        isinstance(node, ast.UnaryOp)
        and isinstance(node.op, ast.USub)
        and isinstance(node.operand, ast.Constant)
    ):
        return -_number(node.operand)
    raise ExpressionError.of("expr_exponent", None, text=f"{ast.unparse(node)!r:.60}")


__all__ = [
    "FUNCTIONS",
    "MAX_EXPRESSION_CHARS",
    "MAX_NESTING",
    "ExpressionError",
    "expression_to_spec",
    "parse_expression",
]
