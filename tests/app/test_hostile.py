"""The hostile-input catalogue: every endpoint and page, fed what an attacker would send.

Each case answers a 4xx whose message says what is wrong (naming the node, the field or
the limit), within a second (a hang detector, not a benchmark: these answers take
milliseconds), and the server answers /healthz right after. What the API refused before
(strict bodies, early 413s, decompression bombs, traversal, expressions by name) is here
too, so that it stays refused.
"""

from __future__ import annotations

import base64
import html
import json
import re
import time
import zlib
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.share import encode_graph
from core.examples import EXAMPLES
from tests.heavy import chain, fan_in, skip

HANG = 1.0  # seconds: a case slower than this hangs
JSON = {"content-type": "application/json"}
KO = {"accept-language": "ko"}
APPLE = EXAMPLES["apple"].spec
AFFINE = EXAMPLES["affine"].spec
SQUARE = {
    "nodes": [
        {"id": "x", "op": "param", "value": 2.0},
        {"id": "y", "op": "square", "inputs": ["x"]},
    ]
}


def _g(text: str) -> str:
    """A ``g=`` link: the text as base64url, whatever it holds."""
    return base64.urlsafe_b64encode(text.encode("utf-8")).decode("ascii").rstrip("=")


def _z_bytes(data: bytes) -> str:
    deflater = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = deflater.compress(data) + deflater.flush()
    return base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")


def _nested(depth: int, inner: str = "1") -> str:
    return "[" * depth + inner + "]" * depth


def _spec_text(nodes: str) -> str:
    return '{"nodes": [' + nodes + "]}"


X = '{"id": "x", "op": "input", "value": 1}'
SURROGATE_INPUT = _spec_text(X + ', {"id": "y", "op": "relu", "inputs": ["\\ud800"]}')
SURROGATE_ID = _spec_text('{"id": "\\ud800", "op": "input", "value": 1}')
SURROGATE_OUTPUT = '{"nodes": [' + X + '], "output": "\\udfff"}'
DEEP_ATTRS = _spec_text(
    X + ', {"id": "p", "op": "pow", "inputs": ["x"], "attrs": {"exponent": ' + _nested(900) + "}}"
)
CYCLE = {
    "nodes": [
        {"id": "a", "op": "relu", "inputs": ["b"]},
        {"id": "b", "op": "relu", "inputs": ["a"]},
    ]
}
SHAPES = {
    "nodes": [
        {"id": "x", "op": "input", "value": [1.0, 2.0, 3.0]},
        {"id": "W", "op": "param", "value": [[1.0], [2.0]]},
        {"id": "y", "op": "matmul", "inputs": ["x", "W"]},
    ]
}
BIG_VALUE = {"nodes": [{"id": "x", "op": "input", "value": [0.5] * 100_001}]}
TOTAL = {  # 100,000 elements, and ten nodes computing as many from them
    "nodes": [
        {"id": "x", "op": "input", "value": [1] * 100_000},
        *({"id": f"r{i}", "op": "relu", "inputs": ["x"]} for i in range(10)),
    ]
}
MANY_PERTURBED = {
    "nodes": [
        {"id": "x", "op": "param", "value": [0.5] * 6_000},
        {"id": "s", "op": "sum", "inputs": ["x"]},
    ]
}
HEAVY_CHECK = {
    "nodes": [
        {"id": "x", "op": "param", "value": [0.5] * 5_000},
        *({"id": f"r{i}", "op": "relu", "inputs": [f"r{i - 1}" if i else "x"]} for i in range(20)),
        {"id": "s", "op": "sum", "inputs": ["r19"]},
    ]
}
BOMB = _z_bytes(b" " * 50_000_000)  # 50 MB of spaces in a link of about 70 KB


@dataclass(frozen=True)
class Case:
    name: str
    method: str
    path: str
    status: int
    says: tuple[str, ...]  # each in the message (the JSON detail, or the page's text)
    json: Any = None
    content: str | bytes | None = None
    params: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)


CASES = [
    # --- POST /api/run ---------------------------------------------------------------------
    Case("run: malformed JSON", "POST", "/api/run", 400, ("JSON",), content="{nodes: ["),
    Case(
        "run: JSON nested 5,000 deep",
        "POST",
        "/api/run",
        400,
        ("nested too deeply",),
        content=_nested(5_000),
    ),
    Case(
        "run: body over 2 MB",
        "POST",
        "/api/run",
        413,
        ("BPX_MAX_BODY_BYTES",),
        content=b" " * 2_100_000,
    ),
    Case("run: no nodes", "POST", "/api/run", 422, ("nodes",), json={"nodes": []}),
    Case(
        "run: an expression as the op",
        "POST",
        "/api/run",
        422,
        ("unknown op", "__import__"),
        json={"nodes": [{"id": "x", "op": "__import__('os')"}]},
    ),
    Case("run: a cycle", "POST", "/api/run", 422, ("cycle", "a"), json=CYCLE),
    Case("run: shapes that do not fit", "POST", "/api/run", 422, ("'y'", "(3,)"), json=SHAPES),
    Case(
        "run: 1,001 nodes",
        "POST",
        "/api/run",
        422,
        ("1001 nodes", "the limit is 1000"),
        json=chain(1_001),
    ),
    Case(
        "run: a value over the element limit",
        "POST",
        "/api/run",
        422,
        ("'x'", "100001 elements", "limit"),
        json=BIG_VALUE,
    ),
    Case(
        "run: over the total element limit",
        "POST",
        "/api/run",
        422,
        ("more than 1000000 elements",),
        json=TOTAL,
    ),
    Case(
        "run: a lone surrogate as an id",
        "POST",
        "/api/run",
        422,
        ("nodes[0].id", "unicode"),
        content=SURROGATE_ID,
    ),
    Case(
        "run: a lone surrogate as an input",
        "POST",
        "/api/run",
        422,
        ("'y'", "unicode"),
        content=SURROGATE_INPUT,
    ),
    Case(
        "run: a lone surrogate as the output",
        "POST",
        "/api/run",
        422,
        ("output", "unicode"),
        content=SURROGATE_OUTPUT,
    ),
    Case(
        "run: NaN",
        "POST",
        "/api/run",
        422,
        ("'x'", "inf or nan"),
        content=_spec_text('{"id": "x", "op": "input", "value": NaN}'),
    ),
    Case(
        "run: 1e400",
        "POST",
        "/api/run",
        422,
        ("'x'", "inf or nan"),
        content=_spec_text('{"id": "x", "op": "input", "value": 1e400}'),
    ),
    Case(
        "run: an integer of 400 digits",
        "POST",
        "/api/run",
        422,
        ("'x'", "too large"),
        content=_spec_text('{"id": "x", "op": "input", "value": 1' + "0" * 400 + "}"),
    ),
    Case(
        "run: true as a value",
        "POST",
        "/api/run",
        422,
        ("'x'", "boolean"),
        json={"nodes": [{"id": "x", "op": "input", "value": True}]},
    ),
    Case(
        "run: code as a value",
        "POST",
        "/api/run",
        422,
        ("'x'", "string"),
        json={"nodes": [{"id": "x", "op": "input", "value": "__import__('os').system('id')"}]},
    ),
    Case(
        "run: attrs nested 900 deep",
        "POST",
        "/api/run",
        422,
        ("'p'", "exponent"),
        content=DEEP_ATTRS,
    ),
    Case(
        "run: an id used twice",
        "POST",
        "/api/run",
        422,
        ("'x'", "used twice"),
        json={"nodes": [{"id": "x", "op": "input", "value": 1}] * 2},
    ),
    Case(
        "run: an unknown field",
        "POST",
        "/api/run",
        422,
        ("exec",),
        json={**APPLE, "exec": "rm -rf /"},
    ),
    Case(
        "run: a path as an id",
        "POST",
        "/api/run",
        422,
        ("id",),
        json={"nodes": [{"id": "../../etc/passwd", "op": "input", "value": 1}]},
    ),
    Case(
        "run: one input listed 8,000 times",
        "POST",
        "/api/run",
        422,
        ("'y'", "8000"),
        json=fan_in(8_000),
    ),
    Case("run: a list as the body", "POST", "/api/run", 422, ("dictionary",), json=[APPLE]),
    Case(
        "run: a value nested 9 deep",
        "POST",
        "/api/run",
        422,
        ("'x'", "8 levels"),
        content=_spec_text('{"id": "x", "op": "input", "value": ' + _nested(9) + "}"),
    ),
    # --- POST /api/expression --------------------------------------------------------------
    Case(
        "expression: code",
        "POST",
        "/api/expression",
        422,
        ("__import__",),
        json={"expression": "__import__('os').system('id')", "values": {}},
    ),
    Case(
        "expression: an attribute",
        "POST",
        "/api/expression",
        422,
        ("attribute access",),
        json={"expression": "x.__class__", "values": {"x": 1}},
    ),
    Case(
        "expression: an unknown function",
        "POST",
        "/api/expression",
        422,
        ("eval",),
        json={"expression": "eval(x)", "values": {"x": 1}},
    ),
    Case(
        "expression: 1,000 parentheses deep",
        "POST",
        "/api/expression",
        422,
        ("deep",),
        json={"expression": "(" * 900 + "x" + ")" * 900, "values": {"x": 1}},
    ),
    Case(
        "expression: too long",
        "POST",
        "/api/expression",
        422,
        ("expression",),
        json={"expression": "x+" * 5_000 + "x", "values": {"x": 1}},
    ),
    Case(
        "expression: a variable without a value",
        "POST",
        "/api/expression",
        422,
        ("'y'",),
        json={"expression": "x*y", "values": {"x": 1}},
    ),
    Case(
        "expression: a lone surrogate as a name",
        "POST",
        "/api/expression",
        422,
        ("unicode",),
        content='{"expression": "x", "values": {"\\ud800": 1}}',
    ),
    # --- POST /api/gradcheck ---------------------------------------------------------------
    Case(
        "gradcheck: eps 0", "POST", "/api/gradcheck", 422, ("eps",), json={"graph": APPLE, "eps": 0}
    ),
    Case(
        "gradcheck: eps NaN",
        "POST",
        "/api/gradcheck",
        422,
        ("eps",),
        content='{"graph": {"nodes": [' + X + ']}, "eps": NaN}',
    ),
    Case(
        "gradcheck: too many elements to perturb",
        "POST",
        "/api/gradcheck",
        422,
        ("6000", "5000"),
        json={"graph": MANY_PERTURBED},
    ),
    Case(
        "gradcheck: over the work limit",
        "POST",
        "/api/gradcheck",
        422,
        ("element evaluations", "2e+08"),
        json={"graph": HEAVY_CHECK},
    ),
    Case(
        "gradcheck: a lone surrogate",
        "POST",
        "/api/gradcheck",
        422,
        ("'y'", "unicode"),
        content='{"graph": ' + SURROGATE_INPUT + "}",
    ),
    Case(
        "gradcheck: tolerance a string",
        "POST",
        "/api/gradcheck",
        422,
        ("tolerance",),
        json={"graph": APPLE, "tolerance": "1e-6"},
    ),
    # --- POST /api/step --------------------------------------------------------------------
    Case(
        "step: an expression as the optimizer",
        "POST",
        "/api/step",
        422,
        ("optimizer",),
        json={"graph": SQUARE, "optimizer": "os.system('id')"},
    ),
    Case(
        "step: a negative learning rate",
        "POST",
        "/api/step",
        422,
        ("lr",),
        json={"graph": SQUARE, "optimizer": "sgd", "hyper": {"lr": -1}},
    ),
    Case(
        "step: an unknown hyperparameter",
        "POST",
        "/api/step",
        422,
        ("gamma",),
        json={"graph": SQUARE, "optimizer": "sgd", "hyper": {"gamma": 1}},
    ),
    Case(
        "step: a lone surrogate",
        "POST",
        "/api/step",
        422,
        ("'y'", "unicode"),
        content='{"optimizer": "sgd", "graph": ' + SURROGATE_INPUT + "}",
    ),
    Case(
        "step: another optimizer's state",
        "POST",
        "/api/step",
        422,
        ("state",),
        json={
            "graph": SQUARE,
            "optimizer": "sgd",
            "state": {"optimizer": "adam", "t": 1, "params": ["x"], "slots": {}},
        },
    ),
    # --- POST /api/train -------------------------------------------------------------------
    Case(
        "train: a million epochs",
        "POST",
        "/api/train",
        422,
        ("max_epoch",),
        json={"max_epoch": 1_000_000},
    ),
    Case(
        "train: over the update limit",
        "POST",
        "/api/train",
        422,
        ("10000",),
        json={"max_epoch": 1_000, "batch_size": 1},
    ),
    Case(
        "train: a path as the data set",
        "POST",
        "/api/train",
        422,
        ("dataset",),
        json={"dataset": "../../etc/passwd"},
    ),
    Case("train: lr 1e400", "POST", "/api/train", 422, ("lr",), content='{"lr": 1e400}'),
    Case(
        "train: no hidden units",
        "POST",
        "/api/train",
        422,
        ("hidden_size",),
        json={"hidden_size": 0},
    ),
    # --- GET /api/examples/{name} ----------------------------------------------------------
    Case("example: unknown", "GET", "/api/examples/nope", 404, ("nope", "apple")),
    Case(
        "example: traversal", "GET", "/api/examples/..%2F..%2Fpyproject.toml", 404, ("not found",)
    ),
    Case("example: broken UTF-8", "GET", "/api/examples/%ED%A0%80", 404, ("no example named",)),
    # --- GET /explore: links and typed expressions -----------------------------------------
    Case("explore: z not base64", "GET", "/explore", 400, ("base64url",), params={"z": "a"}),
    Case("explore: z not deflate", "GET", "/explore", 400, ("deflate",), params={"z": _g("hello")}),
    Case(
        "explore: z a decompression bomb", "GET", "/explore", 400, ("2000000",), params={"z": BOMB}
    ),
    Case(
        "explore: g nested 5,000 deep",
        "GET",
        "/explore",
        400,
        ("nested too deeply",),
        params={"g": _g(_nested(5_000))},
    ),
    Case("explore: g not an object", "GET", "/explore", 400, ("object",), params={"g": _g("[1]")}),
    Case(
        "explore: g not UTF-8",
        "GET",
        "/explore",
        400,
        ("JSON",),
        params={"g": base64.urlsafe_b64encode(b"\xff\xfe").decode().rstrip("=")},
    ),
    Case(
        "explore: g with a lone surrogate",
        "GET",
        "/explore",
        422,
        ("'y'", "Unicode"),
        params={"g": _g(SURROGATE_INPUT)},
    ),
    Case(
        "explore: g attrs nested 900 deep",
        "GET",
        "/explore",
        422,
        ("'p'", "16 levels"),
        params={"g": _g(DEEP_ATTRS)},
    ),
    Case(
        "explore: z long skip edges",
        "GET",
        "/explore",
        422,
        ("too large to draw", "10000"),
        params={"z": encode_graph(skip(400))},
    ),
    Case(
        "explore: z one input 8,000 times",
        "GET",
        "/explore",
        422,
        ("'y'", "8000 inputs"),
        params={"z": encode_graph(fan_in(8_000))},
    ),
    Case(
        "explore: z 50,000 edges",
        "GET",
        "/explore",
        422,
        ("'y'", "50000 inputs"),
        params={"z": encode_graph(fan_in(50_000))},
    ),
    Case(
        "explore: z 1,001 nodes",
        "GET",
        "/explore",
        422,
        ("the limit is 1000",),
        params={"z": encode_graph(chain(1_001))},
    ),
    Case(
        "explore: expr code",
        "GET",
        "/explore",
        422,
        ("__import__",),
        params={"expr": "__import__('os')", "values": ""},
    ),
    Case(
        "explore: expr bad values",
        "GET",
        "/explore",
        422,
        ("could not read the values", "[[["),
        params={"expr": "x*2", "values": "x=[[["},
    ),
    Case(
        "explore: expr in Korean",
        "GET",
        "/explore",
        422,
        ("'y'",),
        params={"expr": "x*y", "values": "x=1"},
        headers=KO,
    ),
    Case(
        "explore: an unknown example",
        "GET",
        "/explore/nope",
        404,
        ("nope",),
        headers={"accept": "text/html"},
    ),
    # --- POST /explore/view, /explore/gradcheck, /explore/step -----------------------------
    Case(
        "view: a lone surrogate",
        "POST",
        "/explore/view",
        422,
        ("'y'", "Unicode"),
        content='{"graph": ' + SURROGATE_INPUT + "}",
    ),
    Case(
        "view: long skip edges",
        "POST",
        "/explore/view",
        422,
        ("too large to draw",),
        json={"graph": skip(400)},
    ),
    Case(
        "view: one input 50,000 times",
        "POST",
        "/explore/view",
        422,
        ("'y'", "50000 inputs"),
        json={"graph": fan_in(50_000)},
    ),
    Case(
        "view: attrs nested 900 deep",
        "POST",
        "/explore/view",
        422,
        ("'p'", "nested"),
        content='{"graph": ' + DEEP_ATTRS + "}",
    ),
    Case(
        "view: 1,001 nodes",
        "POST",
        "/explore/view",
        422,
        ("the limit is 1000",),
        json={"graph": chain(1_001)},
    ),
    Case(
        "view: a graph that is a list",
        "POST",
        "/explore/view",
        422,
        ("graph",),
        json={"graph": [1, 2]},
    ),
    Case(
        "view: in Korean",
        "POST",
        "/explore/view",
        422,
        ("그릴 수 없습니다",),
        json={"graph": skip(400)},
        headers=KO,
    ),
    Case(
        "page gradcheck: over the work limit",
        "POST",
        "/explore/gradcheck",
        422,
        ("element",),
        json={"graph": HEAVY_CHECK},
    ),
    Case(
        "page gradcheck: eps 2",
        "POST",
        "/explore/gradcheck",
        422,
        ("eps",),
        json={"graph": APPLE, "eps": 2},
    ),
    Case(
        "page step: lr 1e999",
        "POST",
        "/explore/step",
        422,
        ("1e999",),
        json={"graph": SQUARE, "optimizer": "sgd", "lr": "1e999"},
    ),
    Case(
        "page step: 1,001 losses",
        "POST",
        "/explore/step",
        422,
        ("losses",),
        json={"graph": SQUARE, "optimizer": "sgd", "losses": [1.0] * 1_001},
    ),
    Case(
        "page step: unknown optimizer",
        "POST",
        "/explore/step",
        422,
        ("optimizer",),
        json={"graph": SQUARE, "optimizer": "eval"},
    ),
    # --- the lab ---------------------------------------------------------------------------
    Case(
        "lab: epochs not a number",
        "GET",
        "/lab",
        422,
        ("Epochs", "whole number"),
        params={"max_epoch": "1e999"},
    ),
    Case(
        "lab: over the update limit",
        "GET",
        "/lab",
        422,
        ("10000",),
        params={"max_epoch": "1000", "batch_size": "1"},
    ),
    Case(
        "lab: a path as the data set",
        "GET",
        "/lab",
        422,
        ("Data set", "spiral"),
        params={"dataset": "../../etc/passwd"},
    ),
    Case(
        "lab figures: over the update limit",
        "POST",
        "/lab/figures",
        422,
        ("10000",),
        json={"max_epoch": 1_000, "batch_size": 1},
    ),
    Case(
        "lab figures: an unknown field", "POST", "/lab/figures", 422, ("exec",), json={"exec": "id"}
    ),
    # --- the course ------------------------------------------------------------------------
    Case(
        "learn: an unknown lesson",
        "GET",
        "/learn/nope",
        404,
        ("nope",),
        headers={"accept": "text/html"},
    ),
    Case("learn: graph 999", "GET", "/learn/chain-rule", 422, ("graph",), params={"graph": "999"}),
    Case(
        "learn check: a part that is code",
        "POST",
        "/learn/check",
        422,
        ("part",),
        json={
            "graph": APPLE,
            "source": "apple",
            "target": "mul_apple",
            "index": 0,
            "part": "eval",
            "answer": "1",
        },
    ),
    Case(
        "learn check: index 1,000",
        "POST",
        "/learn/check",
        422,
        ("index",),
        json={
            "graph": APPLE,
            "source": "apple",
            "target": "mul_apple",
            "index": 1_000,
            "answer": "1",
        },
    ),
    Case(
        "learn check: a lone surrogate",
        "POST",
        "/learn/check",
        422,
        ("unicode",),
        content='{"graph": '
        + SURROGATE_INPUT
        + ', "source": "x", "target": "y", "index": 0, "answer": "\\ud800"}',
    ),
    Case(
        "learn check: a lone surrogate as the output",
        "POST",
        "/learn/check",
        422,
        ("output '\\udfff'", "not a node"),
        content='{"graph": ' + SURROGATE_OUTPUT + ', "source": "x", "target": "x", '
        '"index": 0, "answer": "1"}',
    ),
    # --- /docs -----------------------------------------------------------------------------
    Case(
        "docs: traversal out of the assets",
        "GET",
        "/docs/assets/..%2F..%2F..%2Fpyproject.toml",
        404,
        ("not found",),
    ),
    Case("docs: posted to", "POST", "/docs", 405, ("Method Not Allowed",)),
]


def _message(response: Any) -> str:
    """The JSON's ``detail``; a page's alerts that are shown, else its main text."""
    if response.headers.get("content-type", "").startswith("application/json"):
        detail = response.json().get("detail")
        return detail if isinstance(detail, str) else json.dumps(detail)
    shown = re.findall(r'role="alert"(?![^>]*hidden)[^>]*>(.*?)</div>', response.text, re.S)
    main = re.findall(r"<main[^>]*>(.*?)</main>", response.text, re.S)
    text = " ".join(shown) if shown else " ".join(main)
    return html.unescape(re.sub(r"<[^>]+>", " ", text))


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_input_is_a_clear_4xx_at_once_and_the_server_serves_on(
    client: TestClient, case: Case
) -> None:
    headers = {**(JSON if case.content is not None else {}), **case.headers}
    started = time.perf_counter()
    response = client.request(
        case.method,
        case.path,
        json=case.json,
        content=case.content,
        params=case.params,
        headers=headers,
    )
    took = time.perf_counter() - started
    message = _message(response)
    assert response.status_code == case.status, f"{response.status_code}: {message[:300]}"
    for words in case.says:
        assert words.lower() in message.lower(), f"{words!r} not in {message[:400]!r}"
    assert took < HANG, f"{case.name} took {took:.2f} s"
    assert client.get("/healthz").status_code == 200


def test_an_id_that_is_not_unicode_is_named_by_its_escape_never_echoed(client: TestClient) -> None:
    response = client.post("/api/run", content=SURROGATE_ID, headers=JSON)
    assert response.status_code == 422
    body = response.json()
    assert "node" not in body, "the id is not text a client can hold"
    assert body["detail"].startswith("nodes[0].id: ")
    assert "unicode" in body["detail"]
    response.content.decode("utf-8")  # and the reply is UTF-8


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/expression", '{"expression": "x * 2", "values": {"x": 18446744073709551616}}'),
        (
            "/api/expression",
            '{"expression": "x * 2", "values": {"x": 1}, "dout": 18446744073709551616}',
        ),
        (
            "/api/step",
            '{"graph": {"nodes": [{"id": "x", "op": "param", "value": 2}], '
            '"dout": 18446744073709551616}, "optimizer": "sgd"}',
        ),
    ],
    ids=["expression value", "expression dout", "step dout"],
)
def test_a_number_of_2_to_the_64_or_more_is_answered_as_given(
    client: TestClient, path: str, body: str
) -> None:
    """The answer echoes the graph as typed: integers JSON allows, past orjson's 64 bits."""
    response = client.post(path, content=body, headers=JSON)
    assert response.status_code == 200, response.text[:300]
    assert "18446744073709551616" in response.text
    assert response.json()


LIVE_CASES = [
    ("GET", "/explore?z=" + encode_graph(skip(1_000)), None, 422, "too large to draw"),
    ("GET", "/explore?z=" + encode_graph(fan_in(50_000)), None, 422, "50000 inputs"),
    ("POST", "/explore/view", json.dumps({"graph": skip(1_000)}), 422, "too large to draw"),
    ("GET", "/explore?g=" + _g(SURROGATE_INPUT), None, 422, "Unicode"),
    ("POST", "/api/run", SURROGATE_ID, 422, "unicode"),
    ("GET", "/explore?g=" + _g(_nested(5_000)), None, 400, "nested too deeply"),
]


def test_a_live_server_answers_the_drawing_bombs_at_once(live_server: str) -> None:
    """On a real server: the links that held a worker for a minute each (1,000 nodes of
    long skip edges, 7 KB; one node listing its input 50,000 times) answer at once."""
    import urllib.error
    import urllib.request

    for method, path, body, status, says in LIVE_CASES:
        request = urllib.request.Request(
            live_server + path,
            data=body.encode("utf-8", "surrogatepass") if body is not None else None,
            headers=JSON if body is not None else {},
            method=method,
        )
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                got, text = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            got, text = error.code, error.read().decode()
        took = time.perf_counter() - started
        assert (got, took < HANG) == (status, True), f"{path[:60]}: {got} in {took:.2f} s"
        assert says.lower() in html.unescape(text).lower(), text[:300]
        with urllib.request.urlopen(live_server + "/healthz", timeout=HANG) as health:
            assert health.status == 200
