"""Named example graphs, each with a title and a short explanation in English and Korean.

Every ``spec`` is a plain dict in the graph-spec JSON form, runnable as it is.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

import numpy as np

from core.datasets import load_spiral


@dataclass(frozen=True)
class Example:
    name: str
    title: dict[str, str]  # "en", "ko"
    description: dict[str, str]
    spec: dict[str, Any]

    def fresh_spec(self) -> dict[str, Any]:
        """A deep copy, so a caller may change it without touching the shared example."""
        return copy.deepcopy(self.spec)


def _node(node_id: str, op: str, *inputs: str, **extra: Any) -> dict[str, Any]:
    node: dict[str, Any] = {"id": node_id, "op": op}
    if inputs:
        node["inputs"] = list(inputs)
    node.update(extra)
    return node


def _two_layer_net_spec(batch_size: int = 10, hidden_size: int = 10) -> dict[str, Any]:
    """One mini-batch of the spiral data through TwoLayerNet(2, hidden, 3), seeded."""
    x, t = load_spiral()
    rng = np.random.default_rng(0)
    idx = rng.choice(len(x), size=batch_size, replace=False)
    W1 = 0.01 * rng.standard_normal((2, hidden_size))
    W2 = 0.01 * rng.standard_normal((hidden_size, 3))

    def r(a: Any) -> Any:  # short numbers keep the shareable URL short
        return np.round(np.asarray(a, dtype=np.float64), 6).tolist()

    return {
        "nodes": [
            _node("x", "input", value=r(x[idx])),
            _node("t", "input", value=[int(c) for c in t[idx].argmax(axis=1)]),
            _node("W1", "param", value=r(W1)),
            _node("b1", "param", value=r(np.zeros(hidden_size))),
            _node("W2", "param", value=r(W2)),
            _node("b2", "param", value=r(np.zeros(3))),
            _node("affine1", "affine", "x", "W1", "b1"),
            _node("sigmoid", "sigmoid", "affine1"),
            _node("affine2", "affine", "sigmoid", "W2", "b2"),
            _node("loss", "softmax_with_loss", "affine2", "t"),
        ],
        "output": "loss",
    }


def _build() -> dict[str, Example]:
    examples = [
        Example(
            "apple",
            {"en": "Buying apples", "ko": "사과 쇼핑"},
            {
                "en": "Two apples at 100 each, with 10% tax: price = apple × apple_num × tax = 220. "
                "Backward, each multiplication swaps its inputs: d(apple) = 2.2, d(tax) = 200.",
                "ko": "100원짜리 사과 2개, 소비세 10%: 가격 = 사과 × 개수 × 소비세 = 220. "
                "역전파에서 곱셈 노드는 입력을 서로 바꿔 곱합니다: 사과의 기울기 2.2, 소비세의 기울기 200.",
            },
            {
                "nodes": [
                    _node("apple", "input", value=100),
                    _node("apple_num", "input", value=2),
                    _node("tax", "input", value=1.1),
                    _node("apple_price", "mul", "apple", "apple_num"),
                    _node("price", "mul", "apple_price", "tax"),
                ],
                "output": "price",
                "dout": 1,
            },
        ),
        Example(
            "apple_orange",
            {"en": "Apples and oranges", "ko": "사과와 귤"},
            {
                "en": "2 apples at 100 and 3 oranges at 150, plus 10% tax: 715. The addition "
                "node passes its gradient on unchanged (1.1 to both prices); the multiplications "
                "swap their inputs.",
                "ko": "100원짜리 사과 2개와 150원짜리 귤 3개, 소비세 10%: 715. 덧셈 노드는 "
                "기울기를 그대로 흘려보내고(두 가격 모두 1.1), 곱셈 노드는 입력을 서로 바꿔 곱합니다.",
            },
            {
                "nodes": [
                    _node("apple", "input", value=100),
                    _node("apple_num", "input", value=2),
                    _node("orange", "input", value=150),
                    _node("orange_num", "input", value=3),
                    _node("tax", "input", value=1.1),
                    _node("apple_price", "mul", "apple", "apple_num"),
                    _node("orange_price", "mul", "orange", "orange_num"),
                    _node("all_price", "add", "apple_price", "orange_price"),
                    _node("price", "mul", "all_price", "tax"),
                ],
                "output": "price",
                "dout": 1,
            },
        ),
        Example(
            "repeat",
            {"en": "Repeat node", "ko": "Repeat 노드"},
            {
                "en": "A row x (1, 3) copied 4 times into (4, 3). Backward, the copies' "
                "gradients are summed: dx = sum(dy, axis=0). This is also what happens at "
                "every fan-out.",
                "ko": "행 x (1, 3)을 4번 복제해 (4, 3)을 만듭니다. 역전파에서는 복제본의 "
                "기울기를 모두 더합니다: dx = sum(dy, axis=0). 분기 노드에서도 똑같이 일어납니다.",
            },
            {
                "nodes": [
                    _node("x", "input", value=[[1.0, 2.0, 3.0]]),
                    _node("y", "repeat", "x", attrs={"repeats": 4, "axis": 0}),
                ],
                "output": "y",
                "dout": [[1, 0, 2], [0.5, 1, 0], [1, 1, 1], [-1, 2, 0.5]],
            },
        ),
        Example(
            "sum",
            {"en": "Sum node", "ko": "Sum 노드"},
            {
                "en": "x (4, 3) summed over the rows into (1, 3). Backward, the gradient is "
                "copied to every row: dx = repeat(dy, 4, axis=0). Sum and Repeat are each "
                "other's backward.",
                "ko": "x (4, 3)을 행 방향으로 더해 (1, 3)을 만듭니다. 역전파에서는 기울기를 "
                "모든 행에 복제합니다: dx = repeat(dy, 4, axis=0). Sum과 Repeat는 서로 반대 관계입니다.",
            },
            {
                "nodes": [
                    _node("x", "input", value=[[1, 2, 3], [4, 5, 6], [7, 8, 9], [10, 11, 12]]),
                    _node("y", "sum", "x", attrs={"axis": 0, "keepdims": True}),
                ],
                "output": "y",
                "dout": [[1, 2, 3]],
            },
        ),
        Example(
            "matmul",
            {"en": "MatMul node", "ko": "MatMul 노드"},
            {
                "en": "y = x W with x (2, 3) and W (3, 2). Backward: dx = dout Wᵀ and "
                "dW = xᵀ dout, each shaped like what it is the gradient of.",
                "ko": "x (2, 3)과 W (3, 2)의 행렬 곱 y = xW. 역전파: dx = dout Wᵀ, "
                "dW = xᵀ dout. 기울기의 형상은 원래 값의 형상과 같습니다.",
            },
            {
                "nodes": [
                    _node("x", "input", value=[[1.0, 2.0, 3.0], [-1.0, 0.5, 2.0]]),
                    _node("W", "param", value=[[0.1, 0.2], [0.3, -0.4], [0.5, 0.6]]),
                    _node("y", "matmul", "x", "W"),
                ],
                "output": "y",
                "dout": [[1.0, 0.0], [0.5, -1.0]],
            },
        ),
        Example(
            "affine",
            {"en": "Affine layer", "ko": "Affine 계층"},
            {
                "en": "y = x W + b: a MatMul and a bias broadcast over the rows (a hidden "
                "Repeat). Backward: dx = dout Wᵀ, dW = xᵀ dout, db = sum(dout, axis=0).",
                "ko": "y = xW + b: MatMul에 편향을 행마다 더합니다(숨은 Repeat 노드). "
                "역전파: dx = dout Wᵀ, dW = xᵀ dout, db = sum(dout, axis=0).",
            },
            {
                "nodes": [
                    _node("x", "input", value=[[1.0, 2.0, 3.0], [-1.0, 0.5, 2.0]]),
                    _node("W", "param", value=[[0.1, 0.2], [0.3, -0.4], [0.5, 0.6]]),
                    _node("b", "param", value=[0.1, -0.1]),
                    _node("y", "affine", "x", "W", "b"),
                ],
                "output": "y",
                "dout": [[1.0, 0.0], [0.5, -1.0]],
            },
        ),
        Example(
            "sigmoid",
            {"en": "Sigmoid", "ko": "시그모이드"},
            {
                "en": "y = 1 / (1 + exp(-x)). Backward uses the output kept from forward: "
                "dx = dout · y · (1 − y).",
                "ko": "y = 1 / (1 + exp(-x)). 역전파는 순전파 때 저장한 출력을 씁니다: "
                "dx = dout · y · (1 − y).",
            },
            {
                "nodes": [
                    _node("x", "input", value=[[-2.0, 0.0, 1.0], [0.5, 3.0, -1.0]]),
                    _node("y", "sigmoid", "x"),
                ],
                "output": "y",
            },
        ),
        Example(
            "relu",
            {"en": "ReLU", "ko": "ReLU"},
            {
                "en": "y = max(0, x). Backward lets the gradient through where x > 0 and "
                "stops it where x ≤ 0.",
                "ko": "y = max(0, x). 역전파에서는 x > 0인 곳만 기울기를 그대로 흘려보내고, "
                "x ≤ 0인 곳에서는 0으로 막습니다.",
            },
            {
                "nodes": [
                    _node("x", "input", value=[[1.0, -0.5, 2.0], [-2.0, 3.0, -1.0]]),
                    _node("y", "relu", "x"),
                ],
                "output": "y",
                "dout": [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]],
            },
        ),
        Example(
            "softmax",
            {"en": "Softmax", "ko": "소프트맥스"},
            {
                "en": "Each row becomes probabilities that sum to 1. Backward: "
                "dx = y·dout − y·sum(y·dout). With dout all ones the gradient is 0: the sum "
                "of probabilities never changes.",
                "ko": "각 행을 합이 1인 확률로 바꿉니다. 역전파: dx = y·dout − y·sum(y·dout). "
                "dout가 모두 1이면 기울기는 0입니다: 확률의 합은 변하지 않으니까요.",
            },
            {
                "nodes": [
                    _node("x", "input", value=[[1.0, 2.0, 3.0], [0.5, 0.5, 2.0]]),
                    _node("y", "softmax", "x"),
                ],
                "output": "y",
                "dout": [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]],
            },
        ),
        Example(
            "softmax_with_loss",
            {"en": "Softmax with loss", "ko": "Softmax-with-Loss 계층"},
            {
                "en": "Scores (2, 3) and class labels t: softmax, then the mean cross-entropy. "
                "Backward is simply dx = (y − t) / N.",
                "ko": "점수 (2, 3)과 정답 레이블 t: 소프트맥스 후 교차 엔트로피 오차의 평균. "
                "역전파는 간단히 dx = (y − t) / N 입니다.",
            },
            {
                "nodes": [
                    _node("scores", "input", value=[[0.3, 2.9, 4.0], [2.0, 1.0, 0.1]]),
                    _node("t", "input", value=[2, 0]),
                    _node("loss", "softmax_with_loss", "scores", "t"),
                ],
                "output": "loss",
            },
        ),
        Example(
            "two_layer_net",
            {"en": "Two-layer net on spiral data", "ko": "나선형 데이터의 2층 신경망"},
            {
                "en": "TwoLayerNet(2, 10, 3) on a mini-batch of 10 spiral points: Affine → "
                "Sigmoid → Affine → Softmax-with-Loss. W1, b1, W2, b2 are params: take one "
                "SGD step and watch the loss fall.",
                "ko": "나선형 데이터 10개의 미니배치에 TwoLayerNet(2, 10, 3): Affine → "
                "Sigmoid → Affine → Softmax-with-Loss. W1, b1, W2, b2는 매개변수입니다: "
                "SGD를 한 번 갱신하고 손실이 줄어드는 것을 보세요.",
            },
            _two_layer_net_spec(),
        ),
        Example(
            "chain",
            {"en": "The chain rule: z = t², t = x + y", "ko": "연쇄법칙: z = t², t = x + y"},
            {
                "en": "x = 1 and y = 2 make t = 3 and z = 9. Backward, ∂z/∂t = 2t = 6 and the "
                "add node passes it on: ∂z/∂x = ∂z/∂y = 2(x + y) = 6.",
                "ko": "x = 1, y = 2이면 t = 3, z = 9입니다. 역전파에서 ∂z/∂t = 2t = 6이고 덧셈 "
                "노드가 그대로 흘려보내므로 ∂z/∂x = ∂z/∂y = 2(x + y) = 6입니다.",
            },
            {
                "nodes": [
                    _node("x", "input", value=1),
                    _node("y", "input", value=2),
                    _node("t", "add", "x", "y"),
                    _node("z", "square", "t"),
                ],
                "output": "z",
                "dout": 1,
            },
        ),
        Example(
            "sigmoid_parts",
            {"en": "Sigmoid from primitive nodes", "ko": "기본 노드로 그린 시그모이드"},
            {
                "en": "y = 1 / (1 + exp(−x)) at x = 0, one node per step: ×−1, exp, +1, /. "
                "Backward through the four gives ∂y/∂x = y(1 − y) = 0.25, as the one Sigmoid "
                "node does.",
                "ko": "x = 0에서 y = 1 / (1 + exp(−x))를 한 단계에 노드 하나씩: ×−1, exp, +1, /. "
                "네 노드를 거꾸로 지나면 ∂y/∂x = y(1 − y) = 0.25로, Sigmoid 노드 하나와 같습니다.",
            },
            {
                "nodes": [
                    _node("x", "input", value=0),
                    _node("minus_one", "input", value=-1),
                    _node("plus_one", "input", value=1),
                    _node("one", "input", value=1),
                    _node("neg_x", "mul", "x", "minus_one"),
                    _node("exp_neg_x", "exp", "neg_x"),
                    _node("denominator", "add", "exp_neg_x", "plus_one"),
                    _node("y", "div", "one", "denominator"),
                ],
                "output": "y",
                "dout": 1,
            },
        ),
        Example(
            "sigmoid_node",
            {"en": "One Sigmoid node", "ko": "Sigmoid 노드 하나"},
            {
                "en": "The same y = 1 / (1 + exp(−x)) at x = 0 as one node: y = 0.5, and "
                "backward dx = dout · y(1 − y) = 0.25.",
                "ko": "같은 y = 1 / (1 + exp(−x))를 노드 하나로: x = 0에서 y = 0.5, "
                "역전파 dx = dout · y(1 − y) = 0.25.",
            },
            {
                "nodes": [_node("x", "input", value=0), _node("y", "sigmoid", "x")],
                "output": "y",
                "dout": 1,
            },
        ),
        Example(
            "fanout",
            {"en": "A fan-out is a hidden Repeat", "ko": "분기는 숨은 Repeat 노드"},
            {
                "en": "x = 3 is used twice: p = x × y and q = x + p. Backward, the two "
                "gradients that come back to x are summed: 1 + y = 3.",
                "ko": "x = 3이 두 번 쓰입니다: p = x × y, q = x + p. 역전파에서 x로 돌아오는 "
                "두 기울기를 더합니다: 1 + y = 3.",
            },
            {
                "nodes": [
                    _node("x", "input", value=3),
                    _node("y", "input", value=2),
                    _node("p", "mul", "x", "y"),
                    _node("q", "add", "x", "p"),
                ],
                "output": "q",
                "dout": 1,
            },
        ),
    ]
    return {e.name: e for e in examples}


EXAMPLES: dict[str, Example] = _build()
