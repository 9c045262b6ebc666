"""The course: ten lessons in the order of the books (book 1, 5; book 2, 1), in English and Korean.

Each lesson has a few short paragraphs, the example graphs it runs (``core.examples``; the
first is the live one, the quiz asks its gradients), the layer classes of ``core.layers``
it shows as code, exercises to think about, and the book's numbers it teaches (``facts``),
which the tests check through the engine. Korean uses the Korean edition's terms: 계산 그래프,
국소적 계산, 순전파, 역전파, 연쇄법칙, 기울기, 계층, 매개변수 갱신.

    LESSONS[0].slug            "graph"
    lesson_by_slug("chain")    the second lesson
"""

from __future__ import annotations

from dataclasses import dataclass, field

Text = dict[str, str]  # "en", "ko"
Texts = dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class Fact:
    """A number of the book: ``example``'s node ``node`` has this value or gradient."""

    example: str
    node: str
    kind: str  # "value" or "grad"
    expected: float


@dataclass(frozen=True)
class Lesson:
    slug: str
    title: Text
    paragraphs: Texts
    graphs: tuple[str, ...]  # example names; the first is the lesson's live graph
    exercises: Texts = field(default_factory=dict)
    facts: tuple[Fact, ...] = ()
    beside: str | None = None  # an example drawn finished beside the live graph
    lab: bool = False  # leads into the training lab

    def text(self, lang: str) -> dict[str, object]:
        """The lesson's words in ``lang`` (English where Korean is missing)."""

        def pick(by_lang: Texts) -> tuple[str, ...]:
            return by_lang.get(lang) or by_lang.get("en", ())

        return {
            "title": self.title.get(lang) or self.title["en"],
            "paragraphs": pick(self.paragraphs),
            "exercises": pick(self.exercises),
        }


LESSONS: tuple[Lesson, ...] = (
    Lesson(
        "graph",
        {"en": "The computational graph, forward", "ko": "계산 그래프와 순전파"},
        {
            "en": (
                "A computational graph draws a calculation as nodes and arrows: each circle is "
                "one operation, each arrow carries a number from left to right.",
                "You buy 2 apples at 100 each and pay 10% tax. Step forward: the multiply node "
                "makes 200, the next one 220 (the computer writes 220.00000000000003: floats "
                "are binary).",
                "Each node only needs the numbers on its own arrows. That is local computation, "
                "and it is what makes backward easy in the next lessons.",
            ),
            "ko": (
                "계산 그래프는 계산 과정을 노드와 화살표로 그립니다. 원 하나가 연산 하나이고, "
                "화살표는 왼쪽에서 오른쪽으로 숫자를 나릅니다.",
                "100원짜리 사과 2개를 사고 소비세 10%를 냅니다. 순전파를 한 단계씩 진행하세요: "
                "곱셈 노드가 200을, 다음 노드가 220을 만듭니다(컴퓨터는 220.00000000000003이라고 "
                "씁니다: 부동소수점은 2진수니까요).",
                "각 노드는 자기 화살표의 숫자만 알면 됩니다. 이것이 국소적 계산이고, 다음 "
                "수업들에서 역전파를 쉽게 만들어 줍니다.",
            ),
        },
        ("apple", "apple_orange"),
        {
            "en": (
                "Before you press Step: what number will the first multiply node write?",
                "Open apples and oranges: 2 apples at 100 and 3 oranges at 150, tax 10%. Predict "
                "the total (715) before you step.",
            ),
            "ko": (
                "'한 단계'를 누르기 전에: 첫 곱셈 노드는 어떤 숫자를 쓸까요?",
                "사과와 귤을 여세요: 100원짜리 사과 2개와 150원짜리 귤 3개, 소비세 10%. 단계를 "
                "진행하기 전에 총액(715)을 예측하세요.",
            ),
        },
        (
            Fact("apple", "apple_price", "value", 200),
            Fact("apple", "price", "value", 220),
            Fact("apple_orange", "all_price", "value", 650),
            Fact("apple_orange", "price", "value", 715),
        ),
    ),
    Lesson(
        "chain",
        {"en": "Local computation and the chain rule", "ko": "국소적 계산과 연쇄법칙"},
        {
            "en": (
                "z = t² with t = x + y. Each node knows only its local derivative: ∂z/∂t = 2t at "
                "the square node, ∂t/∂x = 1 at the add node.",
                "The chain rule multiplies them along the path back: ∂z/∂x = ∂z/∂t · ∂t/∂x = "
                "2(x + y). With x = 1 and y = 2: z = 9 and ∂z/∂x = ∂z/∂y = 6.",
                "Backward starts with 1 at the output (dout = ∂z/∂z) and each node multiplies "
                "what arrives by its local derivative.",
            ),
            "ko": (
                "t = x + y일 때 z = t². 각 노드는 자기 국소적 미분만 압니다: 제곱 노드에서 "
                "∂z/∂t = 2t, 덧셈 노드에서 ∂t/∂x = 1.",
                "연쇄법칙은 거꾸로 가는 길을 따라 이들을 곱합니다: ∂z/∂x = ∂z/∂t · ∂t/∂x = "
                "2(x + y). x = 1, y = 2이면 z = 9, ∂z/∂x = ∂z/∂y = 6.",
                "역전파는 출력에서 1(dout = ∂z/∂z)로 시작하고, 각 노드는 도착한 값에 자기 "
                "국소적 미분을 곱합니다.",
            ),
        },
        ("chain",),
        {
            "en": (
                "Switch the quiz on and type each gradient in backward order.",
                "Change x to 2 in the inputs panel: what is ∂z/∂x now?",
            ),
            "ko": (
                "퀴즈를 켜고 역전파 순서대로 기울기를 입력하세요.",
                "입력 패널에서 x를 2로 바꾸면 ∂z/∂x는 얼마일까요?",
            ),
        },
        (
            Fact("chain", "z", "value", 9),
            Fact("chain", "t", "grad", 6),
            Fact("chain", "x", "grad", 6),
            Fact("chain", "y", "grad", 6),
        ),
    ),
    Lesson(
        "add-mul",
        {"en": "Backward of the add and multiply nodes", "ko": "덧셈 노드와 곱셈 노드의 역전파"},
        {
            "en": (
                "The add node passes dout on unchanged to both inputs: ∂(x + y)/∂x = 1.",
                "The multiply node swaps its inputs: ∂L/∂x = dout · y and ∂L/∂y = dout · x.",
                "Apples: d(apple) = 2.2, d(apple_num) = 110, d(tax) = 200. Apples and oranges "
                "add d(orange) = 3.3, d(orange_num) = 165, and d(tax) = 650.",
            ),
            "ko": (
                "덧셈 노드는 dout을 두 입력에 그대로 흘려보냅니다: ∂(x + y)/∂x = 1.",
                "곱셈 노드는 입력을 서로 바꿔 곱합니다: ∂L/∂x = dout · y, ∂L/∂y = dout · x.",
                "사과: 사과의 기울기 2.2, 개수의 기울기 110, 소비세의 기울기 200. 사과와 귤에서는 "
                "귤의 기울기 3.3, 귤 개수의 기울기 165, 소비세의 기울기 650.",
            ),
        },
        ("apple_orange", "apple"),
        {
            "en": (
                "In the quiz, which arrows get the same 1.1 and why?",
                "If the tax were 1.2, how would d(apple) change?",
            ),
            "ko": (
                "퀴즈에서 어느 화살표들이 같은 1.1을 받을까요? 왜일까요?",
                "소비세가 1.2라면 사과의 기울기는 어떻게 달라질까요?",
            ),
        },
        (
            Fact("apple", "apple", "grad", 2.2),
            Fact("apple", "apple_num", "grad", 110),
            Fact("apple", "tax", "grad", 200),
            Fact("apple_orange", "apple", "grad", 2.2),
            Fact("apple_orange", "apple_num", "grad", 110),
            Fact("apple_orange", "orange", "grad", 3.3),
            Fact("apple_orange", "orange_num", "grad", 165),
            Fact("apple_orange", "tax", "grad", 650),
            Fact("apple_orange", "all_price", "grad", 1.1),
        ),
    ),
    Lesson(
        "layers",
        {"en": "MulLayer and AddLayer as code", "ko": "코드로 쓴 MulLayer와 AddLayer"},
        {
            "en": (
                "In code each node is a layer with forward and backward (book 1, 5.4). "
                "MulLayer keeps x and y in forward because its backward needs them; AddLayer "
                "keeps nothing.",
                "Step through the graph: the code panel shows the class this project runs, with "
                "the lines that run highlighted and the live numbers of dout, dx and dy.",
            ),
            "ko": (
                "코드에서는 노드 하나가 forward와 backward를 가진 계층 하나입니다(1권 5.4). "
                "MulLayer는 backward에 필요하므로 순전파 때 x와 y를 저장하고, AddLayer는 아무것도 "
                "저장하지 않습니다.",
                "그래프를 한 단계씩 진행하세요: 코드 패널에 이 프로젝트가 실행하는 클래스가 "
                "나오고, 실행되는 줄이 강조되며 dout, dx, dy의 실제 값이 옆에 붙습니다.",
            ),
        },
        ("apple_orange",),
        {
            "en": (
                "Write MulLayer yourself in your notebook, then compare with the panel.",
                "Why does AddLayer's backward not need self.x?",
            ),
            "ko": (
                "노트에 MulLayer를 직접 써 본 뒤 패널과 비교하세요.",
                "AddLayer의 backward에는 왜 self.x가 필요 없을까요?",
            ),
        },
        (Fact("apple_orange", "price", "value", 715), Fact("apple_orange", "tax", "grad", 650)),
    ),
    Lesson(
        "activations",
        {"en": "ReLU (the mask) and Sigmoid", "ko": "ReLU(마스크)와 Sigmoid"},
        {
            "en": (
                "The sigmoid y = 1 / (1 + exp(−x)) drawn from primitive nodes: ×−1, exp, +1, /. "
                "Backward, / gives −dout/v², +1 passes it on, exp multiplies by exp(−x), ×−1 "
                "flips the sign.",
                "Together that is dout · y(1 − y): the one Sigmoid node beside it gives the same "
                "0.25 at x = 0 (y = 0.5), using the y it kept from forward.",
                "ReLU keeps a mask of x ≤ 0 in forward (self.mask) and zeroes dout there in "
                "backward; elsewhere the gradient passes unchanged.",
            ),
            "ko": (
                "시그모이드 y = 1 / (1 + exp(−x))를 기본 노드로 그립니다: ×−1, exp, +1, /. "
                "역전파에서 / 노드는 −dout/v²를, +1 노드는 그대로, exp 노드는 exp(−x)를 곱하고, "
                "×−1 노드는 부호를 뒤집습니다.",
                "모두 합치면 dout · y(1 − y)입니다: 옆의 Sigmoid 노드 하나도 x = 0(y = 0.5)에서 "
                "같은 0.25를 냅니다. 순전파 때 저장한 y를 쓰지요.",
                "ReLU는 순전파 때 x ≤ 0인 곳의 마스크(self.mask)를 저장하고, 역전파 때 그곳의 "
                "dout을 0으로 만듭니다. 나머지 곳에서는 기울기가 그대로 흐릅니다.",
            ),
        },
        ("sigmoid_parts", "sigmoid_node", "relu"),
        {
            "en": (
                "Quiz the four primitive nodes: the last answer must be 0.25.",
                "Open ReLU: which entries of dout reach x?",
            ),
            "ko": (
                "네 개의 기본 노드를 퀴즈로 풀어 보세요: 마지막 답은 0.25여야 합니다.",
                "ReLU를 여세요: dout의 어느 원소가 x까지 도달할까요?",
            ),
        },
        (
            Fact("sigmoid_parts", "y", "value", 0.5),
            Fact("sigmoid_parts", "x", "grad", 0.25),
            Fact("sigmoid_node", "y", "value", 0.5),
            Fact("sigmoid_node", "x", "grad", 0.25),
        ),
        beside="sigmoid_node",
    ),
    Lesson(
        "repeat-sum",
        {"en": "Repeat and Sum", "ko": "Repeat 노드와 Sum 노드"},
        {
            "en": (
                "Repeat copies a row N times; its backward sums the N gradients back into one "
                "row. Sum adds the rows; its backward copies the gradient to every row. Each is "
                "the other's backward (book 2, 1.3.4).",
                "A value used by several nodes (a fan-out) is a hidden Repeat: the gradient that "
                "comes back to it is the sum of what flows back along each use.",
            ),
            "ko": (
                "Repeat 노드는 행 하나를 N번 복제하고, 역전파에서는 N개의 기울기를 더해 한 행으로 "
                "돌려줍니다. Sum 노드는 행들을 더하고, 역전파에서는 기울기를 모든 행에 복제합니다. "
                "서로가 서로의 역전파입니다(2권 1.3.4).",
                "여러 노드가 쓰는 값(분기)은 숨은 Repeat 노드입니다: 그 값으로 돌아오는 기울기는 "
                "각 쓰임에서 흘러온 기울기의 합입니다.",
            ),
        },
        ("repeat", "sum", "fanout"),
        {
            "en": (
                "In the quiz, give dx's shape first, then its values.",
                "Open the fan-out graph: why is ∂q/∂x = 1 + y?",
            ),
            "ko": (
                "퀴즈에서 먼저 dx의 형상을, 다음에 값을 입력하세요.",
                "분기 그래프를 여세요: 왜 ∂q/∂x = 1 + y일까요?",
            ),
        },
        (Fact("fanout", "x", "grad", 3),),
    ),
    Lesson(
        "matmul",
        {"en": "MatMul: shapes first", "ko": "MatMul 노드: 형상 먼저"},
        {
            "en": (
                "y = x W. Backward: dx = dout Wᵀ and dW = xᵀ dout. A gradient always has the "
                "shape of what it is the gradient of: dW has W's shape.",
                "So predict the shapes first (the quiz asks them), then the values: the "
                "transposes are exactly what makes the shapes fit.",
            ),
            "ko": (
                "y = xW. 역전파: dx = dout Wᵀ, dW = xᵀ dout. 기울기의 형상은 언제나 원래 값의 "
                "형상과 같습니다: dW는 W의 형상입니다.",
                "그러니 형상을 먼저 예측하고(퀴즈가 묻습니다), 그다음 값을 구하세요: 전치는 바로 "
                "형상을 맞추기 위한 것입니다.",
            ),
        },
        ("matmul",),
        {
            "en": ("x is (2, 3) and W is (3, 2): what shape is dout? dx? dW?",),
            "ko": ("x가 (2, 3), W가 (3, 2)일 때 dout, dx, dW의 형상은?",),
        },
    ),
    Lesson(
        "affine-softmax",
        {
            "en": "Affine with a batch, Softmax with Loss",
            "ko": "배치 Affine 계층과 Softmax-with-Loss",
        },
        {
            "en": (
                "Affine is y = x W + b with a batch of rows in x: b is added to every row, a "
                "hidden Repeat, so db sums dout over the batch: db = sum(dout, axis=0).",
                "Softmax with Loss turns scores into probabilities y and the mean cross-entropy. "
                "Its backward is simply (y − t) / N, with t one-hot and N the batch size.",
            ),
            "ko": (
                "Affine 계층은 x에 여러 행(배치)이 있는 y = xW + b입니다: b는 모든 행에 더해지는 "
                "숨은 Repeat 노드이므로 db는 배치에 걸쳐 dout을 더합니다: db = sum(dout, axis=0).",
                "Softmax-with-Loss 계층은 점수를 확률 y로 바꾸고 교차 엔트로피 오차의 평균을 "
                "구합니다. 역전파는 간단히 (y − t) / N입니다(t는 원-핫, N은 배치 크기).",
            ),
        },
        ("affine", "softmax_with_loss"),
        {
            "en": ("Why does db have the shape (2,) though dout is (2, 2)?",),
            "ko": ("dout은 (2, 2)인데 db는 왜 (2,) 형상일까요?",),
        },
    ),
    Lesson(
        "two-layer-net",
        {
            "en": "TwoLayerNet: forward, loss, backward, one step",
            "ko": "TwoLayerNet: 순전파, 손실, 역전파, 한 번의 갱신",
        },
        {
            "en": (
                "TwoLayerNet is Affine → Sigmoid → Affine with Softmax with Loss on top "
                "(book 2, 1.3.5 to 1.3.6). Step forward to the loss, then backward to the "
                "params W1, b1, W2, b2.",
                "Parameter update: SGD moves each param against its gradient, W ← W − lr · dW. "
                "Open the one-step panel, take a step with SGD, and watch the loss fall.",
            ),
            "ko": (
                "TwoLayerNet은 Affine → Sigmoid → Affine 위에 Softmax-with-Loss 계층을 얹은 "
                "것입니다(2권 1.3.5~1.3.6). 손실까지 순전파한 뒤, 매개변수 W1, b1, W2, b2까지 "
                "역전파하세요.",
                "매개변수 갱신: SGD는 각 매개변수를 기울기의 반대 방향으로 옮깁니다, "
                "W ← W − lr · dW. "
                "'한 번 갱신' 패널을 열고 SGD로 한 번 갱신한 뒤 손실이 줄어드는 것을 보세요.",
            ),
        },
        ("two_layer_net",),
        {
            "en": ("Take five SGD steps with lr 1.0: does the loss keep falling?",),
            "ko": ("lr 1.0으로 SGD를 다섯 번 갱신하세요: 손실이 계속 줄어드나요?",),
        },
    ),
    Lesson(
        "spiral",
        {"en": "Training on the spiral", "ko": "나선형 데이터로 학습하기"},
        {
            "en": (
                "Training repeats the last lesson for many mini-batches: 300 spiral points in "
                "3 classes, batch size 30, hidden size 10, learning rate 1.0, 300 epochs "
                "(book 2, 1.4).",
                "The average loss falls from about 1.13 in the first epoch to about 0.11, and "
                "the decision boundary curls around the spiral's arms.",
                "The training lab runs exactly that: change the settings and watch the loss curve "
                "and the boundary.",
            ),
            "ko": (
                "학습은 지난 수업을 미니배치마다 되풀이하는 것입니다: 3개 클래스의 나선형 데이터 "
                "300개, 배치 크기 30, 은닉층 크기 10, 학습률 1.0, 300 에폭(2권 1.4).",
                "평균 손실은 첫 에폭의 약 1.13에서 약 0.11까지 줄고, 결정 경계가 나선의 팔을 따라 "
                "휘어집니다.",
                "학습 실험실이 바로 그것을 실행합니다: 설정을 바꾸고 손실 곡선과 결정 경계를 "
                "보세요.",
            ),
        },
        ("two_layer_net",),
        {
            "en": ("In the lab, set the learning rate to 0.1: how does the loss curve change?",),
            "ko": ("실험실에서 학습률을 0.1로 바꾸면 손실 곡선은 어떻게 달라질까요?",),
        },
        lab=True,
    ),
)

#: lesson 10's numbers (book 2, 1.4): the average loss in epoch 1 and in epoch 300
SPIRAL_LOSS = (1.13, 0.11)

_BY_SLUG = {lesson.slug: lesson for lesson in LESSONS}


def lesson_by_slug(slug: str) -> Lesson | None:
    return _BY_SLUG.get(slug)


__all__ = ["LESSONS", "SPIRAL_LOSS", "Fact", "Lesson", "lesson_by_slug"]
