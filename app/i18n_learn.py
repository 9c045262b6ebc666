"""The course's and the quiz's texts, English and Korean (merged into :data:`app.i18n.TEXTS`).

Placeholders in braces are filled by the server (``quiz_*`` answers) or, for names and
counts only, by the page.
"""

from __future__ import annotations

LEARN_TEXTS: dict[str, dict[str, str]] = {
    "nav_learn": {"en": "Learn", "ko": "배우기"},
    "learn_title": {"en": "Learn backprop, step by step", "ko": "역전파를 한 걸음씩 배우기"},
    "learn_intro": {
        "en": "Ten lessons in the order of the books: the computational graph, the chain rule, "
        "the layers as code, and training a network. In each, predict the gradients before "
        "they are revealed. Your progress stays in this browser.",
        "ko": "책의 순서를 따르는 열 개의 수업: 계산 그래프, 연쇄법칙, 코드로 쓴 계층, 신경망 "
        "학습까지. 각 수업에서 기울기가 드러나기 전에 먼저 예측하세요. 진행 상황은 이 "
        "브라우저에만 저장됩니다.",
    },
    "learn_lesson": {"en": "Lesson {n}", "ko": "{n}강"},
    "learn_prev": {"en": "Previous lesson", "ko": "이전 수업"},
    "learn_next": {"en": "Next lesson", "ko": "다음 수업"},
    "learn_all": {"en": "All lessons", "ko": "모든 수업"},
    "learn_exercises": {"en": "Exercises", "ko": "연습 문제"},
    "learn_graphs": {"en": "This lesson's graphs", "ko": "이 수업의 그래프"},
    "learn_in_explorer": {"en": "Open in the explorer", "ko": "탐험기에서 열기"},
    "learn_beside": {"en": "Beside it: {title}, finished", "ko": "옆 그림: {title} (계산 완료)"},
    "learn_to_lab": {"en": "Go to the training lab", "ko": "학습 실험실로 가기"},
    "learn_done": {"en": "done", "ko": "완료"},
    "learn_score": {"en": "score {right} / {total}", "ko": "점수 {right} / {total}"},
    "learn_reset": {"en": "Forget my progress", "ko": "진행 기록 지우기"},
    "code_title": {"en": "The layer's code", "ko": "계층의 코드"},
    "code_idle": {
        "en": "Step forward or backward: the class that runs appears here, its running lines "
        "highlighted.",
        "ko": "순전파나 역전파를 한 단계 진행하면 실행되는 클래스가 여기 나타나고, 실행되는 줄이 "
        "강조됩니다.",
    },
    "code_phase_forward": {"en": "{name}.forward runs", "ko": "{name}.forward 실행"},
    "code_phase_backward": {"en": "{name}.backward runs", "ko": "{name}.backward 실행"},
    "quiz_switch": {"en": "Quiz", "ko": "퀴즈"},
    "present_switch": {"en": "Present", "ko": "발표 모드"},
    "present_speed": {"en": "Play speed", "ko": "재생 속도"},
    "speed_slow": {"en": "slow", "ko": "느리게"},
    "speed_normal": {"en": "normal", "ko": "보통"},
    "speed_fast": {"en": "fast", "ko": "빠르게"},
    "quiz_title": {"en": "Predict the gradient", "ko": "기울기 예측하기"},
    "quiz_intro": {
        "en": "Gradients are hidden. Type the gradient at the highlighted arrow, in backward "
        "order; three tries, then it is revealed.",
        "ko": "기울기가 가려져 있습니다. 강조된 화살표의 기울기를 역전파 순서대로 입력하세요. "
        "세 번 틀리면 답이 공개됩니다.",
    },
    "quiz_prompt": {
        "en": "∂L/∂{source} on the arrow {source} → {target}:",
        "ko": "화살표 {source} → {target}의 ∂L/∂{source}:",
    },
    "quiz_prompt_shape": {"en": "first its shape, e.g. (2, 3):", "ko": "먼저 형상, 예: (2, 3):"},
    "quiz_prompt_values": {
        "en": "now its values: paste the whole array, or give one entry",
        "ko": "이제 값: 배열 전체를 붙여 넣거나, 원소 하나를 입력하세요",
    },
    "quiz_entry": {"en": "entry (index, e.g. 0, 1)", "ko": "원소 (인덱스, 예: 0, 1)"},
    "quiz_forward_first": {
        "en": "Step forward first (Forward →): the quiz asks the gradients once the values "
        "are known.",
        "ko": "먼저 순전파를 진행하세요(순전파 →): 값이 모두 나오면 퀴즈가 기울기를 묻습니다.",
    },
    "quiz_answer": {"en": "your answer", "ko": "내 답"},
    "quiz_check": {"en": "Check", "ko": "확인"},
    "quiz_finished": {
        "en": "Every gradient is answered. Score {right} / {total}.",
        "ko": "모든 기울기를 답했습니다. 점수 {right} / {total}.",
    },
    "quiz_again": {"en": "Start the quiz again", "ko": "퀴즈 다시 하기"},
    "quiz_rule": {
        "en": "the local rule of {node} ({op}): {rule}",
        "ko": "{node} ({op})의 국소적 계산 규칙: {rule}",
    },
    "quiz_hint_shape": {
        "en": "A gradient has the shape of what it is the gradient of: look at {node}.",
        "ko": "기울기의 형상은 원래 값의 형상과 같습니다: {node}를 보세요.",
    },
    "quiz_right": {"en": "Right! {rule}", "ko": "정답! {rule}"},
    "quiz_wrong": {
        "en": "Not yet ({left} tries left). Hint: {hint}",
        "ko": "아직 아닙니다(남은 기회 {left}번). 힌트: {hint}",
    },
    "quiz_revealed": {"en": "The answer: {rule}", "ko": "답: {rule}"},
    "quiz_bad_number": {"en": "Type a number, e.g. 2.2", "ko": "숫자를 입력하세요. 예: 2.2"},
    "quiz_bad_shape": {"en": "Type a shape, e.g. (2, 3)", "ko": "형상을 입력하세요. 예: (2, 3)"},
    "quiz_bad_array": {
        "en": "Paste an array as JSON, e.g. [[1, 2], [3, 4]]",
        "ko": "배열을 JSON으로 붙여 넣으세요. 예: [[1, 2], [3, 4]]",
    },
    "quiz_bad_entry": {
        "en": "Give one index per axis inside {shape}, e.g. 0, 1",
        "ko": "{shape} 안의 인덱스를 축마다 하나씩 입력하세요. 예: 0, 1",
    },
}
