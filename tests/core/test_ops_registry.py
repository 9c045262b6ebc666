"""The op registry is complete: every op has its words in both languages and its rule.

A new op that forgets any of them fails here, naming the op and what it lacks.
"""

from __future__ import annotations

import json

import pytest

from core.expression import expression_to_spec
from core.graph import run_graph
from core.ops import FUNCTIONS, OPS, SOURCE_OPS, attrs_json_schema, catalog

LANGS = ("en", "ko")
COMPUTED = sorted(set(OPS) - SOURCE_OPS)


@pytest.mark.parametrize("name", sorted(OPS))
def test_every_op_has_a_title_in_both_languages(name: str) -> None:
    op = OPS[name]
    for lang in LANGS:
        assert op.title.get(lang, "").strip(), f"{name} has no {lang} title"


@pytest.mark.parametrize("name", COMPUTED)
def test_every_op_has_a_rule_for_each_input_and_a_note_in_both_languages(name: str) -> None:
    op = OPS[name]
    assert op.rule is not None, f"{name} has no local rule"
    assert op.rule.forward.strip(), f"{name} has no forward rule"
    assert len(op.rule.backward) == op.arity, (
        f"{name} takes {op.arity} inputs but its rule has {len(op.rule.backward)} backward lines"
    )
    for index, line in enumerate(op.rule.backward):
        if index in op.label_inputs:
            assert line is None, f"{name}: labels ({op.input_names[index]}) get no gradient"
        else:
            assert line, f"{name} has no backward rule for {op.input_names[index]}"
    for lang in LANGS:
        assert op.rule.note.get(lang, "").strip(), f"{name} has no {lang} note"


@pytest.mark.parametrize("name", COMPUTED)
def test_rule_placeholders_are_the_ops_own_names(name: str) -> None:
    op = OPS[name]
    assert op.rule is not None
    known = {*op.input_names, "out", "dout", *op.attr_names}
    unknown = op.rule.placeholders() - known
    assert not unknown, f"{name}'s rule uses placeholders it cannot fill: {sorted(unknown)}"


@pytest.mark.parametrize("name", COMPUTED)
def test_every_computed_op_has_a_layer_and_a_shape(name: str) -> None:
    op = OPS[name]
    assert op.layer is not None and op.shape_rule is not None


def test_the_catalog_is_data_for_the_pages_in_each_language() -> None:
    for lang in LANGS:
        entries = catalog(lang)
        assert set(entries) == set(OPS)
        json.dumps(entries)  # plain data only
        assert entries["mul"]["backward"] == ["{dout} × {y}", "{dout} × {x}"]
    assert catalog("ko")["mul"]["title"] == "곱셈 ×"
    assert [a["name"] for a in catalog("en")["sum"]["attrs"]] == ["axis", "keepdims"]


def test_the_attrs_schema_lists_every_attr_of_every_op() -> None:
    schema = attrs_json_schema()
    names = {a.name for op in OPS.values() for a in op.attrs}
    assert set(schema["properties"]) == names
    assert schema["properties"]["axis"]["description"].startswith("repeat, sum:")


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_every_function_can_be_called_in_an_expression(name: str) -> None:
    spec = expression_to_spec(f"{name}(x)", {"x": [[0.5, 1.5]]})
    assert spec["nodes"][-1]["op"] == name
    run_graph(spec)


def test_functions_are_the_unary_ops_without_required_attrs() -> None:
    assert {"exp", "log", "square", "sigmoid", "relu", "tanh", "softmax", "sum"} <= set(FUNCTIONS)
    assert not {"pow", "repeat", "neg", "add", "matmul"} & set(FUNCTIONS)
