"""Every message of the core's errors, in English and Korean: one template per key.

An error is raised with a key and its parameters, never with a finished sentence:

    raise ShapeError.of("matmul_columns", node, x="(1, 3)", w="(2, 1)", columns=3, rows=2)

    exc.message            the English text (what the API and the command line say)
    exc.localized("ko")    the same error in Korean, as a page says it

A parameter is a plain value (a node id, a count, a shape already written by
:mod:`core.format`), another :class:`Message` (a cause, a word such as "value"), or a
:class:`Term`: a name the API says one way and a page another (``attrs.exponent`` in the
API, the build panel's "Exponent" / "지수" on the page).

The Korean follows the Korean edition's terms (순전파, 역전파, 기울기, 형상) and puts a
name or a number before a colon rather than before a particle, so that no particle has
to agree with a node's name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from string import Formatter
from typing import Any

#: A text in every language of the pages: "en" and "ko".
Text = Mapping[str, str]

LANGUAGES = ("en", "ko")


@dataclass(frozen=True)
class Term:
    """A name as the API says it (``api``) and as a page labels it (``label``, when the
    page shows it under another name)."""

    api: str
    label: Text | None = None

    def text(self, lang: str, page: bool) -> str:
        if page and self.label is not None:
            return self.label.get(lang) or self.label["en"]
        return self.api


@dataclass(frozen=True)
class Message:
    """A message key and its parameters; the text is made in the language asked for."""

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.key not in MESSAGES:
            raise KeyError(f"no message {self.key!r} in core.messages.MESSAGES")

    def text(self, lang: str = "en", *, page: bool = False) -> str:
        """The message in ``lang`` (English when there is no such language).

        ``page``: as a page says it, each :class:`Term` by its label; otherwise as the API
        says it, by its API name.
        """
        templates = MESSAGES[self.key]
        template = templates.get(lang) or templates["en"]
        return template.format(**{k: _param(v, lang, page) for k, v in self.params.items()})


def msg(key: str, **params: Any) -> Message:
    """``msg("what_value")``: a message to be a parameter of another."""
    return Message(key, params)


def _param(value: Any, lang: str, page: bool) -> Any:
    if isinstance(value, Message):
        return value.text(lang, page=page)
    if isinstance(value, Term):
        return value.text(lang, page)
    return value


def placeholders(template: str) -> set[str]:
    """The parameters a template names: ``"node {node!r}: {what}"`` -> {"node", "what"}."""
    return {name for _, name, _, _ in Formatter().parse(template) if name}


def _m(en: str, ko: str) -> Text:
    return {"en": en, "ko": ko}


MESSAGES: dict[str, Text] = {
    # --- words that are parameters of other messages ----------------------------------
    "none": _m("none", "없음"),
    "a_graph_spec": _m("a graph spec", "그래프 명세"),
    "what_value": _m("value", "값"),
    "what_dout": _m("dout", "dout"),
    "what_state": _m("state {slot}", "상태 {slot}"),
    "the_scores": _m("the scores", "점수(scores)"),
    "entries": _m("{count} entries", "항목 {count}개"),
    "kind_bool": _m("a boolean (true/false)", "불리언(true/false)"),
    "kind_number": _m("a number", "숫자"),
    "kind_null": _m("null (None)", "null(None)"),
    "kind_string": _m("a string ({text})", "문자열({text})"),
    "kind_list": _m("a list", "목록"),
    "kind_object": _m("an object (dict)", "객체(dict)"),
    "kind_other": _m("a {type}", "{type} 객체"),
    "attr_number": _m("a finite number", "유한한 수"),
    "attr_positive_int": _m("a positive integer", "양의 정수"),
    "attr_optional_int": _m("an integer or null", "정수 또는 null"),
    "attr_bool": _m("true or false", "true 또는 false"),
    # --- the spec's structure (core/spec.py) -----------------------------------------
    "spec_not_object": _m("{where} must be an object", "{where}: 객체여야 합니다"),
    "spec_unknown_fields": _m(
        "{where}: unknown field(s) {fields}", "{where}: 알 수 없는 필드가 있습니다: {fields}"
    ),
    "spec_bad_id": _m(
        "nodes[{position}]: id {id} must be 1 to 64 letters, digits, '_', '-' or '.'",
        "nodes[{position}]: id {id}: 글자, 숫자, '_', '-', '.'로 된 1~64자여야 합니다",
    ),
    "spec_op_not_string": _m(
        "node {node!r}: 'op' must be a string", "노드 {node!r}: 'op' 값은 문자열이어야 합니다"
    ),
    "spec_inputs_not_list": _m(
        "node {node!r}: 'inputs' must be a list of node ids",
        "노드 {node!r}: 'inputs' 값은 노드 id의 목록이어야 합니다",
    ),
    "spec_input_not_string": _m(
        "node {node!r}: every input must be a node id (a string)",
        "노드 {node!r}: 모든 입력은 노드 id(문자열)이어야 합니다",
    ),
    "spec_attrs_not_object": _m(
        "node {node!r}: 'attrs' must be an object", "노드 {node!r}: 'attrs' 값은 객체여야 합니다"
    ),
    "spec_nodes_not_list": _m(
        "'nodes' must be a list of nodes", "'nodes' 값은 노드의 목록이어야 합니다"
    ),
    "spec_nodes_empty": _m(
        "'nodes' is empty: a graph needs at least one node",
        "'nodes'가 비어 있습니다: 그래프에는 노드가 하나 이상 있어야 합니다",
    ),
    "spec_output_not_string": _m(
        "'output' must be a node id (a string)", "'output' 값은 노드 id(문자열)이어야 합니다"
    ),
    "limit_time": _m(
        "the work took longer than the time limit of {seconds} s (BPX_REQUEST_SECONDS); "
        "try a smaller graph or fewer epochs",
        "작업이 제한 시간 {seconds}초(BPX_REQUEST_SECONDS)를 넘었습니다. "
        "더 작은 그래프나 더 적은 에폭으로 해 보세요",
    ),
    "limit_stopping": _m(
        "the server is stopping and ended this work; try again in a moment",
        "서버가 멈추는 중이라 이 작업을 끝냈습니다. 잠시 뒤에 다시 해 보세요",
    ),
    "limit_drawing": _m(
        "the graph is too large to draw: its drawing needs {count} {what}; the limit is {limit}",
        "그래프가 너무 커서 그릴 수 없습니다: 그림에 {what} {count}개가 필요합니다. 최대 "
        "{limit}개까지 가능합니다",
    ),
    "drawing_cells": _m(
        "cells (nodes, labels and the columns long edges cross)",
        "칸(노드, 레이블, 긴 연결선이 지나는 열)",
    ),
    "limit_drawing_inputs": _m(
        "node {node!r} lists {count} inputs; no op takes more than {limit}, and a drawing "
        "shows at most that many",
        "노드 {node!r}: 입력이 {count}개입니다. 입력이 {limit}개보다 많은 연산은 없으며, "
        "그림에도 그만큼만 그릴 수 있습니다",
    ),
    "where_node": _m("node {node!r}", "노드 {node!r}"),
    "json_not_unicode": _m(
        "{where}: the text {text} is not valid Unicode (it holds a lone surrogate)",
        "{where}: 텍스트 {text}: 올바른 유니코드가 아닙니다 (짝이 없는 서로게이트가 있습니다)",
    ),
    "json_too_deep": _m(
        "{where} is nested more than {max} levels deep",
        "{where}: {max}단계보다 깊게 중첩되어 있습니다",
    ),
    "limit_nodes": _m(
        "the graph has {count} nodes; the limit is {limit}",
        "그래프의 노드가 {count}개입니다. 최대 {limit}개까지 가능합니다",
    ),
    # --- values (core/spec.py) ------------------------------------------------------
    "value_too_large": _m(
        "node {node!r}: {what} is too large for a float",
        "노드 {node!r}: {what}: 실수(float)로 나타내기에 너무 큽니다",
    ),
    "value_not_finite": _m(
        "node {node!r}: {what} is inf or nan", "노드 {node!r}: {what}: inf 또는 nan입니다"
    ),
    "value_not_numbers": _m(
        "node {node!r}: {what} must hold numbers", "노드 {node!r}: {what}: 숫자여야 합니다"
    ),
    "limit_array": _m(
        "node {node!r}: {what} has {size} elements; the limit is {limit}",
        "노드 {node!r}: {what}: 원소가 {size}개입니다. 최대 {limit}개까지 가능합니다",
    ),
    "value_missing": _m(
        "node {node!r}: {what} is missing", "노드 {node!r}: {what}: 주어지지 않았습니다"
    ),
    "value_kind": _m(
        "node {node!r}: {what} must be a number or nested lists of numbers, found {kind}",
        "노드 {node!r}: {what}: 숫자나 숫자의 중첩 목록이어야 하는데 {kind}입니다",
    ),
    "value_ndim": _m(
        "node {node!r}: {what} has {ndim} dimensions; at most {max} are allowed",
        "노드 {node!r}: {what}: {ndim}차원입니다. 최대 {max}차원까지 가능합니다",
    ),
    "value_empty": _m("node {node!r}: {what} is empty", "노드 {node!r}: {what}: 비어 있습니다"),
    "value_contains_nonfinite": _m(
        "node {node!r}: {what} contains inf or nan",
        "노드 {node!r}: {what}: inf 또는 nan이 들어 있습니다",
    ),
    "value_too_deep": _m(
        "node {node!r}: {what} is nested more than {max} levels deep",
        "노드 {node!r}: {what}: {max}단계보다 깊게 중첩되어 있습니다",
    ),
    "value_ragged": _m(
        "node {node!r}: {what} is ragged: at depth {depth} expected a list of {length} "
        "entries, found {found}",
        "노드 {node!r}: {what}: 직사각형 모양이 아닙니다: 깊이 {depth}에서 항목 {length}개짜리 "
        "목록이어야 하는데 {found}입니다",
    ),
    "value_ragged_list": _m(
        "node {node!r}: {what} is ragged: found a list where a number belongs",
        "노드 {node!r}: {what}: 직사각형 모양이 아닙니다: 숫자가 있어야 할 자리에 목록이 있습니다",
    ),
    "value_holds": _m(
        "node {node!r}: {what} holds {kind} where a number belongs",
        "노드 {node!r}: {what}: 숫자가 있어야 할 자리에 {kind}이(가) 있습니다",
    ),
    "value_int_too_large": _m(
        "node {node!r}: {what} holds a number too large for a float",
        "노드 {node!r}: {what}: 실수(float)로 나타내기에 너무 큰 수가 있습니다",
    ),
    # --- the graph (core/graph.py) -----------------------------------------------------
    "duplicate_node": _m("node id {node!r} is used twice", "노드 id {node!r}: 두 번 쓰였습니다"),
    "unknown_op": _m(
        "node {node!r}: unknown op {op!r} (known: {known})",
        "노드 {node!r}: 알 수 없는 연산 {op!r} (있는 연산: {known})",
    ),
    "arity": _m(
        "node {node!r} ({op}) takes {count} ({names}) inputs, got {got}",
        "노드 {node!r} ({op}): 입력이 {count}개({names})여야 하는데 {got}개입니다",
    ),
    "arity_source": _m(
        "node {node!r} ({op}) takes none (it holds a value) inputs, got {got}",
        "노드 {node!r} ({op}): 값을 가지는 노드라 입력이 없어야 하는데 {got}개입니다",
    ),
    "unknown_input": _m(
        "node {node!r}: input {source!r} is not a node of this graph",
        "노드 {node!r}: 입력 {source!r}: 이 그래프에 없는 노드입니다",
    ),
    "unknown_output": _m(
        "output {node!r} is not a node of this graph",
        "출력 {node!r}: 이 그래프에 없는 노드입니다",
    ),
    "value_on_computed": _m(
        "node {node!r} ({op}) computes its value; only input and param nodes take a value",
        "노드 {node!r} ({op}): 값을 계산하는 노드입니다. 값은 input과 param 노드만 가질 수 "
        "있습니다",
    ),
    "cycle": _m("the graph has a cycle: {path}", "그래프에 순환이 있습니다: {path}"),
    "limit_node": _m(
        "node {node!r} ({op}) would hold {size} elements (shape {shape}); the limit is {limit}",
        "노드 {node!r} ({op}): 원소가 {size}개(형상 {shape})가 됩니다. 최대 {limit}개까지 "
        "가능합니다",
    ),
    "limit_total": _m(
        "the graph would hold more than {limit} elements in all (reached at node {node!r})",
        "그래프 전체의 원소가 {limit}개를 넘게 됩니다 (노드 {node!r}에서)",
    ),
    "dout_shape": _m(
        "dout has shape {dout} but the output {node!r} has shape {shape}",
        "dout의 형상은 {dout}인데 출력 {node!r}의 형상은 {shape}입니다",
    ),
    "nonfinite_forward": _m(
        "node {node!r} ({op}) produced inf or nan: {cause}",
        "노드 {node!r} ({op}): 순전파 결과가 inf 또는 nan입니다: {cause}",
    ),
    "nonfinite_backward": _m(
        "the gradient flowing back from node {node!r} ({op}) to {source!r} is inf or nan: {cause}",
        "노드 {node!r} ({op})에서 {source!r}(으)로 흘러가는 기울기가 inf 또는 nan입니다: {cause}",
    ),
    # --- why an op gave inf or nan (core/ops/table.py) -----------------------------------
    "cause_overflow": _m("the result overflowed", "결과가 너무 커졌습니다(오버플로)"),
    "cause_sum": _m("the sum overflowed", "합이 너무 커졌습니다(오버플로)"),
    "cause_difference": _m("the difference overflowed", "차가 너무 커졌습니다(오버플로)"),
    "cause_product": _m("the product overflowed", "곱이 너무 커졌습니다(오버플로)"),
    "cause_division": _m("division by zero (or an overflow)", "0으로 나누었습니다(또는 오버플로)"),
    "cause_exp": _m(
        "exp overflowed: its input is too large (over about 709)",
        "exp가 너무 커졌습니다(오버플로): 입력이 너무 큽니다(약 709 초과)",
    ),
    "cause_log": _m("log of a non-positive number", "0 이하인 수의 log입니다"),
    "cause_pow": _m(
        "x ** p is undefined or too large here",
        "여기서는 x ** p가 정의되지 않거나 너무 큽니다",
    ),
    "cause_pow_negative_base": _m(
        "a negative base with a fractional exponent has no real power",
        "음수의 소수 거듭제곱은 실수가 아닙니다",
    ),
    "cause_pow_zero": _m(
        "0 to a negative power divides by zero", "0의 음수 거듭제곱은 0으로 나누는 셈입니다"
    ),
    "cause_pow_overflow": _m(
        "x ** p overflowed: the result is larger than a float holds (about 1.8e308)",
        "x ** p가 너무 커졌습니다(오버플로): 결과가 실수(float)의 최댓값(약 1.8e308)보다 큽니다",
    ),
    # --- shapes, attrs and labels of the ops (core/ops) ---------------------------------
    "shape_broadcast": _m(
        "node {node!r} ({op}): cannot broadcast shapes {a} and {b}",
        "노드 {node!r} ({op}): 형상 {a}, {b}: 브로드캐스트할 수 없습니다",
    ),
    "shape_not_2d": _m(
        "node {node!r} ({op}): {what} must be a matrix (2-D), got shape {shape}",
        "노드 {node!r} ({op}): {what}: 행렬(2차원)이어야 하는데 형상이 {shape}입니다",
    ),
    "matmul_columns": _m(
        "node {node!r} (matmul): shapes {x} and {w} do not fit: x has {columns} columns but "
        "W has {rows} rows",
        "노드 {node!r} (matmul): 형상 {x}, {w}: 맞지 않습니다: x의 열은 {columns}개인데 W의 "
        "행은 {rows}개입니다",
    ),
    "affine_columns": _m(
        "node {node!r} (affine): x {x} and W {w} do not fit: x has {columns} columns but W "
        "has {rows} rows",
        "노드 {node!r} (affine): x {x}, W {w}: 맞지 않습니다: x의 열은 {columns}개인데 W의 "
        "행은 {rows}개입니다",
    ),
    "affine_bias": _m(
        "node {node!r} (affine): b has shape {b}; with W {w} it must be ({n},) or (1, {n})",
        "노드 {node!r} (affine): b의 형상이 {b}입니다. W가 {w}이면 ({n},) 또는 (1, {n})"
        "이어야 합니다",
    ),
    "axis_range": _m(
        "node {node!r} ({op}): axis {axis} is out of range for shape {shape}",
        "노드 {node!r} ({op}): 축 {axis}: 형상 {shape}의 범위를 벗어납니다",
    ),
    "softmax_scalar": _m(
        "node {node!r} (softmax): needs at least one axis, got a scalar",
        "노드 {node!r} (softmax): 축이 하나 이상 있어야 하는데 스칼라입니다",
    ),
    "loss_labels_shape": _m(
        "node {node!r} (softmax_with_loss): labels have shape {labels}; with scores {scores} "
        "they must be class indices ({n},) or one-hot ({n}, {c})",
        "노드 {node!r} (softmax_with_loss): 정답 레이블의 형상이 {labels}입니다. 점수가 "
        "{scores}이면 클래스 번호 ({n},) 또는 원-핫 ({n}, {c})이어야 합니다",
    ),
    "labels_one_hot": _m(
        "node {node!r} (softmax_with_loss): one-hot labels must have exactly one 1 per row "
        "and 0 elsewhere",
        "노드 {node!r} (softmax_with_loss): 원-핫 레이블은 행마다 1이 정확히 하나이고 "
        "나머지는 0이어야 합니다",
    ),
    "labels_range": _m(
        "node {node!r} (softmax_with_loss): label {label} is out of range; labels must be "
        "whole numbers from 0 to {last}",
        "노드 {node!r} (softmax_with_loss): 레이블 {label}: 범위를 벗어납니다. 레이블은 "
        "0부터 {last}까지의 정수여야 합니다",
    ),
    "attr_kind": _m(
        "node {node!r} ({op}): {attr} must be {kind}, got {got}",
        "노드 {node!r} ({op}): {attr}: {kind}이어야 합니다 (받은 값: {got})",
    ),
    "attr_unknown": _m(
        "node {node!r} ({op}): unknown attrs {unknown} (allowed: {allowed})",
        "노드 {node!r} ({op}): 알 수 없는 attrs {unknown} (가능한 것: {allowed})",
    ),
    # --- an optimizer step (core/step.py, core/optimizers.py) ------------------------------
    "optimizer_unknown": _m(
        "unknown optimizer {name!r}; known: {known}",
        "알 수 없는 옵티마이저 {name!r} (있는 옵티마이저: {known})",
    ),
    "hyper_unknown": _m(
        "{optimizer} has no hyperparameter {key!r}; allowed: {allowed}",
        "{optimizer}: 하이퍼파라미터 {key!r}: 없는 이름입니다 (가능한 것: {allowed})",
    ),
    "hyper_not_number": _m(
        "{optimizer}: {key} must be a number, got {got}",
        "{optimizer}: {key}: 숫자여야 합니다 (받은 값: {got})",
    ),
    "hyper_not_finite": _m(
        "{optimizer}: {key} must be finite, got {got}",
        "{optimizer}: {key}: 유한한 수여야 합니다 (받은 값: {got})",
    ),
    "hyper_positive": _m(
        "{optimizer}: {key} must be positive, got {got}",
        "{optimizer}: {key}: 0보다 커야 합니다 (받은 값: {got})",
    ),
    "hyper_unit_interval": _m(
        "{optimizer}: {key} must be in [0, 1), got {got}",
        "{optimizer}: {key}: [0, 1) 범위 안에 있어야 합니다 (받은 값: {got})",
    ),
    "step_no_params": _m(
        "the graph has no param node: nothing for the optimizer to update (mark trainable "
        "values with op 'param')",
        "그래프에 param 노드가 없어 옵티마이저가 갱신할 것이 없습니다 (학습할 값은 op를 "
        "'param'으로 하세요)",
    ),
    "step_nonfinite": _m(
        "the {optimizer} step made param {node!r} inf or nan: try a smaller {lr}",
        "param {node!r}: {optimizer} 갱신 뒤 inf 또는 nan이 되었습니다. {lr} 값을 줄여 보세요",
    ),
    "state_not_object": _m(
        "the optimizer state must be an object, as a step returned it",
        "옵티마이저 상태는 갱신 결과로 받은 그대로의 객체여야 합니다",
    ),
    "state_unknown_fields": _m(
        "the optimizer state has unknown field(s) {fields}",
        "옵티마이저 상태에 알 수 없는 필드가 있습니다: {fields}",
    ),
    "state_other_optimizer": _m(
        "the state is {given!r}'s, not {name!r}'s: start {name} without a state",
        "{name!r}의 상태가 아니라 {given!r}의 상태입니다: {name}은(는) 상태 없이 새로 시작하세요",
    ),
    "state_t": _m(
        "the state's t must be a whole number from 0 to {max}",
        "상태의 t는 0부터 {max}까지의 정수여야 합니다",
    ),
    "state_params_not_object": _m(
        "the state's params must be an object: param id -> its slots",
        "상태의 params는 객체여야 합니다: param id -> 그 param의 상태들",
    ),
    "state_extra_param": _m(
        "the state holds param {node!r}, which this graph does not have: start {name} "
        "without a state",
        "상태에 있는 param {node!r}: 이 그래프에 없습니다. {name}은(는) 상태 없이 새로 시작하세요",
    ),
    "state_slots": _m(
        "the state of param {node!r} must hold {name}'s {expected}",
        "param {node!r}의 상태: {name}의 {expected} 값이 있어야 합니다",
    ),
    "state_shape": _m(
        "the state {slot} of param {node!r} has shape {shape} but the param has "
        "{param_shape}: start {name} without a state",
        "param {node!r}의 상태 {slot}: 형상이 {shape}인데 param의 형상은 {param_shape}"
        "입니다. {name}은(는) 상태 없이 새로 시작하세요",
    ),
    # --- the gradient check (core/gradcheck.py) -------------------------------------------
    "check_elements": _m(
        "the gradient check would perturb {count} elements one by one; the limit is {limit}",
        "기울기 확인은 원소 {count}개를 하나씩 바꿔 보아야 합니다. 최대 {limit}개까지 가능합니다",
    ),
    "check_work": _m(
        "the gradient check would take about {work} element evaluations (2 x {perturbed} "
        "elements perturbed x {per_forward} per forward pass); the limit is {limit}",
        "기울기 확인에 원소 계산이 약 {work}번 필요합니다 (2 × 바꿔 볼 원소 {perturbed}개 × "
        "순전파 한 번에 {per_forward}). 최대 {limit}번까지 가능합니다",
    ),
    # --- the training lab (core/lab.py) ----------------------------------------------------
    "lab_too_much_work": _m(
        "{epochs} {max_epoch} with {batch} {batch_size} makes {work} updates ({max_epoch} x "
        "{per_epoch}); the limit is {limit}: use fewer epochs or larger batches",
        "{epochs} {max_epoch}, {batch} {batch_size}: 갱신이 {work}회입니다 ({max_epoch} × "
        "{per_epoch}). 최대 {limit}회까지 가능합니다: 에폭 수를 줄이거나 배치 크기를 늘리세요",
    ),
    "lab_nonfinite": _m(
        "the loss stopped being a finite number in epoch {epoch}: {lr}={value} is too large "
        "for {optimizer}",
        "에폭 {epoch}에서 손실이 유한한 수가 아니게 되었습니다: {lr}={value}: "
        "{optimizer}에는 너무 큽니다",
    ),
    "lab_time_limit": _m(
        "the run was stopped after {seconds} s, at epoch {epoch} of {max_epoch}: the "
        "server's time bound for one run; use fewer epochs, a smaller hidden layer or larger "
        "batches",
        "{seconds}초가 지나 에폭 {epoch}/{max_epoch}에서 학습을 멈췄습니다: 서버가 한 번의 "
        "학습에 허용하는 시간입니다. 에폭 수나 은닉층 크기를 줄이거나 배치 크기를 늘리세요",
    ),
    # --- typed expressions (core/expression.py) --------------------------------------------
    "grammar": _m(
        "numbers, variables, + - * / @, unary -, ** with a number as exponent, parentheses, "
        "and calls of {functions}",
        "숫자, 변수, + - * / @, 단항 -, 지수가 숫자인 **, 괄호, 그리고 함수 {functions}",
    ),
    "expr_not_string": _m("the expression must be a string", "식은 문자열이어야 합니다"),
    "expr_too_long": _m(
        "the expression has {count} characters; the limit is {limit}",
        "식이 {count}자입니다. 최대 {limit}자까지 가능합니다",
    ),
    "expr_empty": _m("the expression is empty", "식이 비어 있습니다"),
    "expr_too_deep": _m(
        "the expression nests deeper than {max} levels (operations inside operations)",
        "식이 {max}단계보다 깊게 중첩되어 있습니다 (연산 안의 연산)",
    ),
    "expr_syntax": _m("the expression is not valid: {reason}", "식이 올바르지 않습니다: {reason}"),
    "expr_syntax_at": _m(
        "the expression is not valid at column {column}: {reason}",
        "식이 올바르지 않습니다 ({column}번째 글자): {reason}",
    ),
    "expr_operator": _m(
        "the operator {operator} is not allowed; allowed: {grammar}",
        "연산자 {operator}: 식에 쓸 수 없습니다. 쓸 수 있는 것: {grammar}",
    ),
    "expr_refused": _m(
        "{what} is not allowed in an expression; allowed: {grammar}",
        "{what}: 식에 쓸 수 없습니다. 쓸 수 있는 것: {grammar}",
    ),
    "expr_node": _m(
        "{what} is not allowed; allowed: {grammar}",
        "{what}: 쓸 수 없습니다. 쓸 수 있는 것: {grammar}",
    ),
    "expr_constant": _m(
        "{value} is not allowed in an expression: only numbers are; allowed: {grammar}",
        "{value}: 식에 쓸 수 없습니다. 상수는 숫자만 됩니다. 쓸 수 있는 것: {grammar}",
    ),
    "expr_call_not_name": _m(
        "only the functions {functions} can be called, by name (found a call of {found})",
        "부를 수 있는 것은 이름으로 쓴 함수 {functions}뿐입니다 (부른 것: {found})",
    ),
    "expr_unknown_function": _m(
        "unknown function {name!r}; the functions are {functions}",
        "알 수 없는 함수 {name!r} (있는 함수: {functions})",
    ),
    "expr_keywords": _m(
        "{name}() takes no keyword arguments", "{name}(): 키워드 인자를 받지 않습니다"
    ),
    "expr_arg_count": _m(
        "{name}() takes exactly one argument, got {count}",
        "{name}(): 인자를 정확히 하나 받는데 {count}개입니다",
    ),
    "expr_number_too_large": _m(
        "a number in the expression is too large (over about 1.8e308)",
        "식에 있는 수가 너무 큽니다 (약 1.8e308 초과)",
    ),
    "expr_function_as_variable": _m(
        "{name} is a function: call it, as in {name}(x)",
        "{name}: 함수입니다. {name}(x)처럼 부르세요",
    ),
    "expr_bad_name": _m(
        "the variable name {name} must be 1 to 64 letters, digits or '_'",
        "변수 이름 {name}: 글자, 숫자, '_'로 된 1~64자여야 합니다",
    ),
    "expr_no_value": _m(
        "the variable {name!r} has no value", "변수 {name!r}: 값이 주어지지 않았습니다"
    ),
    "expr_exponent": _m(
        "the exponent of ** must be a number (as in x ** 2), not {text}",
        "**의 지수는 숫자여야 합니다 (x ** 2처럼). 받은 것: {text}",
    ),
    # what a learner might type that is not in the grammar, in their words
    "syntax_attribute": _m("attribute access (a.b)", "속성 접근 (a.b)"),
    "syntax_subscript": _m("indexing or slicing (a[i])", "인덱싱이나 슬라이싱 (a[i])"),
    "syntax_lambda": _m("lambda", "lambda"),
    "syntax_listcomp": _m("a list comprehension", "리스트 컴프리헨션"),
    "syntax_setcomp": _m("a set comprehension", "집합 컴프리헨션"),
    "syntax_dictcomp": _m("a dict comprehension", "딕셔너리 컴프리헨션"),
    "syntax_genexp": _m("a generator expression", "제너레이터 표현식"),
    "syntax_compare": _m("a comparison", "비교"),
    "syntax_boolop": _m("'and' / 'or'", "'and' / 'or'"),
    "syntax_ifexp": _m("'... if ... else ...'", "'... if ... else ...'"),
    "syntax_namedexpr": _m("assignment (:=)", "대입 (:=)"),
    "syntax_tuple": _m("a tuple", "튜플"),
    "syntax_list": _m("a list literal", "리스트 리터럴"),
    "syntax_dict": _m("a dict literal", "딕셔너리 리터럴"),
    "syntax_set": _m("a set literal", "집합 리터럴"),
    "syntax_starred": _m("unpacking (*a)", "언패킹 (*a)"),
    "syntax_fstring": _m("an f-string", "f-문자열"),
    "syntax_await": _m("await", "await"),
    "syntax_yield": _m("yield", "yield"),
    "syntax_unary_plus": _m("unary +", "단항 +"),
}


__all__ = ["LANGUAGES", "MESSAGES", "Message", "Term", "Text", "msg", "placeholders"]
