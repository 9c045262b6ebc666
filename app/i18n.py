"""Every text of the pages, in English and Korean (the Korean edition's terms:
순전파 forward, 역전파 backward, 기울기 gradient, 국소적 계산 local computation).

The language comes from the ``lang`` cookie (set by the switch), else Accept-Language.

What a page says when something is wrong is here too: :data:`FIELD_ERRORS` (pydantic's
error types, after the form's label), :data:`LAB_FIELDS` and :data:`EXPLORER_FIELDS`
(which label names which field). The core's own errors carry their texts in both
languages in :mod:`core.messages`.
"""

from __future__ import annotations

from collections.abc import Mapping

from app.i18n_learn import LEARN_TEXTS
from core.lab import SETTING_LABELS
from core.ops import FUNCTIONS, catalog

LANGUAGES = ("en", "ko")
DEFAULT_LANGUAGE = "en"

TEXTS: dict[str, dict[str, str]] = {
    # frame
    "brand": {"en": "Backprop Explorer", "ko": "역전파 탐험기"},
    "nav_gallery": {"en": "Gallery", "ko": "예제 모음"},
    "nav_build": {"en": "Build your own", "ko": "직접 만들기"},
    "nav_docs": {"en": "API docs", "ko": "API 문서"},
    "nav_lab": {"en": "Training lab", "ko": "학습 실험실"},
    "lang_other": {"en": "한국어", "ko": "English"},
    "lang_other_label": {"en": "Switch to Korean", "ko": "영어로 바꾸기"},
    "theme_to_dark": {"en": "Dark theme", "ko": "어두운 테마"},
    "theme_to_light": {"en": "Light theme", "ko": "밝은 테마"},
    "skip": {"en": "Skip to the content", "ko": "본문으로 건너뛰기"},
    "footer": {
        "en": "Figures drawn after “Deep Learning from Scratch” 1 and 2 "
        "(밑바닥부터 시작하는 딥러닝 1, 2). Everything runs on this machine.",
        "ko": "그림은 『밑바닥부터 시작하는 딥러닝』 1, 2권의 방식을 따랐습니다. "
        "모든 계산은 이 컴퓨터에서 이루어집니다.",
    },
    "noscript": {
        "en": "Without JavaScript the picture is fixed: every value and gradient is shown, "
        "but editing, stepping and the tools below need JavaScript.",
        "ko": "자바스크립트 없이도 모든 값과 기울기가 그려진 그림을 볼 수 있지만, "
        "값 편집, 단계별 실행과 아래 도구들은 자바스크립트가 필요합니다.",
    },
    # gallery
    "gallery_title": {"en": "Computational graphs, alive", "ko": "살아 움직이는 계산 그래프"},
    "gallery_intro": {
        "en": "Pick a graph from the book. Values flow forward, left to right (forward pass); "
        "gradients flow backward, right to left (backward pass). Each node only does its "
        "local computation. Edit any input and watch every number change.",
        "ko": "책에 나온 그래프를 골라 보세요. 값은 왼쪽에서 오른쪽으로 흐르고(순전파), "
        "기울기는 오른쪽에서 왼쪽으로 흐릅니다(역전파). 각 노드는 자신의 국소적 계산만 "
        "합니다. 입력값을 바꾸면 모든 숫자가 함께 바뀝니다.",
    },
    "open_example": {"en": "Open {title}", "ko": "{title} 열기"},
    "gallery_more": {"en": "More", "ko": "더 보기"},
    "build_card": {
        "en": "Start from an empty graph: add nodes by operation and connect them.",
        "ko": "빈 그래프에서 시작해 연산 노드를 추가하고 서로 연결해 보세요.",
    },
    "docs_card": {
        "en": "The same engine over HTTP: run, check and step graphs from your own programs.",
        "ko": "같은 엔진을 HTTP로: 내 프로그램에서 그래프를 실행하고 확인하고 갱신하세요.",
    },
    # expression
    "expr_title": {"en": "Type an expression", "ko": "식 입력하기"},
    "expr_label": {"en": "Expression", "ko": "식"},
    "expr_values": {"en": "Values", "ko": "값"},
    "expr_hint": {
        "en": "Every variable becomes an input node. Operators: + − * / ** @ and {functions}. "
        "Values: name=number or name=[[1, 2]], separated by commas.",
        "ko": "각 변수는 입력 노드가 됩니다. 연산자: + − * / ** @ 와 {functions}. "
        "값은 이름=숫자 또는 이름=[[1, 2]] 형태로, 쉼표로 구분합니다.",
    },
    "expr_submit": {"en": "Draw the graph", "ko": "그래프 그리기"},
    "expr_bad_values": {
        "en": "Could not read the values near {text!r}: write name=number, separated by commas",
        "ko": "{text!r} 부근의 값을 읽을 수 없습니다: 이름=숫자 형태로 쉼표로 구분해 쓰세요",
    },
    # explorer: states and controls
    "explore_custom": {"en": "Your graph", "ko": "나의 그래프"},
    "explore_custom_desc": {
        "en": "A graph of your own. Edit it below, or share it: the link carries the whole graph.",
        "ko": "직접 만든 그래프입니다. 아래에서 고치거나, 링크로 공유하세요. 링크에 그래프 전체가 "
        "담깁니다.",
    },
    "explore_from": {
        "en": "Changed from the example:",
        "ko": "이 예제를 고친 그래프입니다:",
    },
    "controls": {"en": "Step through the graph", "ko": "그래프를 단계별로 실행"},
    "state_label": {"en": "State", "ko": "상태"},
    "state_none": {"en": "Not run yet", "ko": "아직 계산 전"},
    "state_forward": {"en": "Forward pass: step {k} of {n}", "ko": "순전파: {n}단계 중 {k}단계"},
    "state_forward_done": {"en": "Forward pass done", "ko": "순전파 완료"},
    "state_backward": {"en": "Backward pass: step {k} of {n}", "ko": "역전파: {n}단계 중 {k}단계"},
    "state_backward_done": {"en": "Backward pass done", "ko": "역전파 완료"},
    "state_error": {"en": "Cannot run", "ko": "실행할 수 없음"},
    "btn_reset": {"en": "Reset", "ko": "처음으로"},
    "btn_back": {"en": "Step back", "ko": "한 단계 뒤로"},
    "btn_step": {"en": "Step", "ko": "한 단계"},
    "btn_forward": {"en": "Forward", "ko": "순전파"},
    "btn_backward": {"en": "Backward", "ko": "역전파"},
    "btn_play": {"en": "Play", "ko": "재생"},
    "btn_pause": {"en": "Pause", "ko": "일시 정지"},
    "keys_hint": {
        "en": "Keys: → step, ← step back, Home reset, End all.",
        "ko": "키보드: → 한 단계, ← 한 단계 뒤로, Home 처음으로, End 끝까지.",
    },
    "legend_value": {"en": "forward value, above the arrow", "ko": "순전파 값 (화살표 위)"},
    "legend_grad": {
        "en": "gradient, below it: italic, with a backward arrow",
        "ko": "기울기 (화살표 아래, 기울임꼴, 역방향 화살표)",
    },
    "legend_pending": {"en": "not computed yet", "ko": "아직 계산 전"},
    "legend_heat": {
        "en": "matrices as heatmaps: orange > 0, purple < 0 (hatched); each key gives the scale",
        "ko": "행렬은 색으로: 주황 > 0, 보라 < 0 (빗금); 각 범례에 눈금",
    },
    "zoom": {"en": "Zoom the graph", "ko": "그래프 확대·축소"},
    "zoom_in": {"en": "Zoom in", "ko": "확대"},
    "zoom_out": {"en": "Zoom out", "ko": "축소"},
    "zoom_fit": {"en": "Fit", "ko": "맞춤"},
    "zoom_fit_label": {"en": "Fit the graph to the width", "ko": "그래프를 너비에 맞추기"},
    "zoom_hint": {
        "en": "Zoomed in: drag or swipe the graph to move around it; Fit shows all of it.",
        "ko": "확대됨: 그래프를 끌거나 밀어서 움직이세요. 맞춤을 누르면 전체가 보입니다.",
    },
    # panels
    "panel_local": {"en": "Local computation", "ko": "국소적 계산"},
    "local_idle": {
        "en": "Step through the graph: each node shows its local rule with its numbers.",
        "ko": "그래프를 단계별로 실행하면, 각 노드의 국소적 계산 규칙과 그 숫자가 여기에 나옵니다.",
    },
    "panel_details": {"en": "Numbers", "ko": "숫자 자세히"},
    "details_idle": {
        "en": "Focus (Tab) or point at a node or an arrow to see all its numbers.",
        "ko": "노드나 화살표에 포커스(Tab)를 두거나 마우스를 올리면 모든 숫자가 나옵니다.",
    },
    "details_exact": {"en": "Show every digit", "ko": "모든 자릿수 보기"},
    "details_cannot_run": {
        "en": "not known: the graph cannot run",
        "ko": "알 수 없음: 그래프를 실행할 수 없습니다",
    },
    "panel_inputs": {"en": "Inputs and params", "ko": "입력과 매개변수"},
    "inputs_hint": {
        "en": "Change a value and press Enter: the graph runs again (in a matrix, Shift+Enter "
        "starts a new line). Or click a box in the picture to edit it in place.",
        "ko": "값을 바꾸고 Enter를 누르면 그래프가 다시 계산됩니다(행렬 칸에서 줄을 바꾸려면 "
        "Shift+Enter). 그림 속 상자를 눌러 그 자리에서 고칠 수도 있습니다.",
    },
    "value_invalid": {
        "en": "Write a number or a rectangular list of numbers, like [[1, 2], [3, 4]]",
        "ko": "숫자 또는 [[1, 2], [3, 4]]처럼 직사각형 모양의 숫자 목록을 쓰세요",
    },
    # The one text for a number beyond float64 (about 1.8e308): JSON reads it as Infinity.
    "value_too_large": {
        "en": "This number is too large for a float (at most about 1.8e308): write a smaller one",
        "ko": "부동소수점 수로 나타내기에 너무 큰 수입니다(최대 약 1.8e308). 더 작은 수를 쓰세요",
    },
    "panel_gradcheck": {"en": "Gradient check", "ko": "기울기 확인"},
    "gradcheck_intro": {
        "en": "Compares every gradient from backprop with a numerical gradient "
        "(central differences).",
        "ko": "역전파로 구한 기울기를 수치 미분(중심 차분)으로 구한 기울기와 비교합니다.",
    },
    "gradcheck_run": {"en": "Check gradients", "ko": "기울기 확인하기"},
    "col_node": {"en": "Node", "ko": "노드"},
    "col_shape": {"en": "Shape", "ko": "형상"},
    "col_analytic": {"en": "Backprop", "ko": "역전파"},
    "col_numeric": {"en": "Numerical", "ko": "수치 미분"},
    "col_rel": {"en": "Max relative error", "ko": "최대 상대 오차"},
    "col_result": {"en": "Result", "ko": "결과"},
    "gradcheck_stale": {
        "en": "The graph changed since this check: run it again.",
        "ko": "확인한 뒤에 그래프가 바뀌었습니다. 다시 확인하세요.",
    },
    "passed": {"en": "✓ passed", "ko": "✓ 통과"},
    "failed": {"en": "✗ failed", "ko": "✗ 실패"},
    "gradcheck_kink": {"en": "⚠ at a kink", "ko": "⚠ 꺾인 점"},
    "panel_step": {"en": "One optimizer step", "ko": "최적화 한 단계"},
    "step_intro": {
        "en": "Moves every param against its gradient once, then runs the graph again.",
        "ko": "모든 매개변수를 기울기의 반대 방향으로 한 번 움직이고 그래프를 다시 계산합니다.",
    },
    "step_optimizer": {"en": "Optimizer", "ko": "옵티마이저"},
    "step_lr": {
        "en": "Learning rate (empty: the book's default)",
        "ko": "학습률 (비우면 책의 기본값)",
    },
    "step_run": {"en": "Take one step", "ko": "한 단계 갱신"},
    "step_no_params": {
        "en": "This graph has no param nodes to update: try two_layer_net or build one.",
        "ko": "이 그래프에는 갱신할 매개변수(param) 노드가 없습니다. two_layer_net을 열거나 직접 "
        "만들어 보세요.",
    },
    "step_bad_lr": {
        "en": "The learning rate must be a positive number, like 0.1: “{text}” is not one.",
        "ko": "학습률은 0.1처럼 0보다 큰 숫자여야 합니다: “{text}”은(는) 쓸 수 없습니다.",
    },
    "step_carried": {
        "en": "Update {t} of {optimizer}: it carries {slots} on to the next step.",
        "ko": "{optimizer}의 {t}번째 갱신: {slots} 값이 다음 갱신으로 이어집니다.",
    },
    "step_carries_nothing": {
        "en": "Update {t} of {optimizer}: it keeps nothing between steps.",
        "ko": "{optimizer}의 {t}번째 갱신: 갱신 사이에 기억하는 값이 없습니다.",
    },
    "step_fresh_graph": {
        "en": "The graph changed: the next step starts the optimizer afresh.",
        "ko": "그래프가 바뀌었으므로 다음 갱신은 옵티마이저를 처음부터 시작합니다.",
    },
    "step_fresh_optimizer": {
        "en": "Another optimizer: the next step starts it afresh.",
        "ko": "옵티마이저를 바꿨으므로 다음 갱신은 처음부터 시작합니다.",
    },
    "step_axis": {"en": "step", "ko": "갱신 횟수"},
    "step_trajectory": {"en": "{node} after each step", "ko": "갱신할 때마다의 {node}"},
    "step_before": {"en": "Before", "ko": "갱신 전"},
    "step_after": {"en": "After", "ko": "갱신 후"},
    "step_output": {"en": "output {node}", "ko": "출력 {node}"},
    "step_undo": {"en": "Show before", "ko": "갱신 전으로"},
    "panel_share": {"en": "Share and export", "ko": "공유와 내보내기"},
    "share_link": {"en": "Copy a link to this graph", "ko": "이 그래프 링크 복사"},
    "share_label": {"en": "Link (carries the whole graph)", "ko": "링크 (그래프 전체가 담김)"},
    "share_copied": {"en": "Link copied.", "ko": "링크를 복사했습니다."},
    "share_ready": {
        "en": "Link ready: copy it from the box.",
        "ko": "링크가 준비되었습니다. 칸에서 복사하세요.",
    },
    "export_svg": {"en": "Export SVG", "ko": "SVG로 저장"},
    "export_png": {"en": "Export PNG", "ko": "PNG로 저장"},
    "export_json": {"en": "Export JSON", "ko": "JSON으로 저장"},
    "panel_build": {"en": "Build your own", "ko": "직접 만들기"},
    "build_intro": {
        "en": "Add a node by its operation, choose its inputs, delete what you do not need. "
        "The picture and the numbers follow.",
        "ko": "연산을 골라 노드를 추가하고 입력을 연결하세요. 필요 없는 노드는 삭제하세요. "
        "그림과 숫자가 따라 바뀝니다.",
    },
    "build_op": {"en": "Operation", "ko": "연산"},
    "build_id": {"en": "Name", "ko": "이름"},
    "build_value": {"en": "Value", "ko": "값"},
    "build_input": {"en": "Input {name}", "ko": "입력 {name}"},
    "build_add": {"en": "Add node", "ko": "노드 추가"},
    "build_delete": {"en": "Delete {node}", "ko": "{node} 삭제"},
    "build_output": {"en": "Output node", "ko": "출력 노드"},
    "build_new": {"en": "Start an empty graph", "ko": "빈 그래프로 시작"},
    "build_nodes": {"en": "Nodes", "ko": "노드 목록"},
    "build_bad_id": {
        "en": "A name is 1 to 64 letters, digits, _ - or . and must be new",
        "ko": "이름은 글자, 숫자, _ - . 로 된 1~64자이고 겹치지 않아야 합니다",
    },
    # errors
    "error_title": {"en": "This graph cannot run", "ko": "이 그래프는 실행할 수 없습니다"},
    "error_network": {
        "en": "The server did not answer ({message}).",
        "ko": "서버가 응답하지 않았습니다 ({message}).",
    },
    "error_link": {
        "en": "This link does not hold a readable graph: {message}",
        "ko": "이 링크에서 그래프를 읽을 수 없습니다: {message}",
    },
    "error_schema": {
        "en": "the request body does not fit the schema",
        "ko": "요청 본문이 스키마에 맞지 않습니다",
    },
    "error_more_problem": {"en": " (and 1 more problem)", "ko": " (문제 1개 더)"},
    "error_more_problems": {
        "en": " (and {count} more problems)",
        "ko": " (문제 {count}개 더)",
    },
    "error_node": {"en": "node {node!r}", "ko": "노드 {node!r}"},
    "error_at_node": {"en": "{detail} (at node {node!r})", "ko": "{detail} (노드 {node!r})"},
    "field_inputs": {"en": "Inputs", "ko": "입력"},
    "error_malformed_json": {
        "en": "malformed JSON{where}: {reason}",
        "ko": "JSON 형식이 잘못되었습니다{where}: {reason}",
    },
    "error_json_at": {"en": " at character {position}", "ko": " ({position}번째 글자)"},
    "error_body_unreadable": {
        "en": "the body could not be read as JSON: it is nested too deeply, or not JSON",
        "ko": "본문을 JSON으로 읽을 수 없습니다: 너무 깊게 중첩되었거나 JSON이 아닙니다",
    },
    # why a share link cannot be read (app.share.LinkError)
    "link_no_graph": {"en": "the link carries no graph", "ko": "링크에 그래프가 없습니다"},
    "link_not_base64": {"en": "not base64url", "ko": "base64url 형식이 아닙니다"},
    "link_not_deflate": {"en": "not deflate data", "ko": "deflate로 압축된 데이터가 아닙니다"},
    "link_too_big": {
        "en": "the graph is over {limit} bytes",
        "ko": "그래프가 {limit}바이트를 넘습니다",
    },
    "link_not_json": {"en": "not JSON ({reason})", "ko": "JSON이 아닙니다 ({reason})"},
    "link_too_deep": {
        "en": "the JSON is nested too deeply to read",
        "ko": "JSON이 너무 깊게 중첩되어 읽을 수 없습니다",
    },
    "link_not_object": {
        "en": "the JSON is not a graph object",
        "ko": "JSON이 그래프 객체가 아닙니다",
    },
    # a page that does not exist (app.errors: the HTML 404)
    "nf_title": {"en": "Page not found", "ko": "페이지를 찾을 수 없습니다"},
    "nf_lead": {
        "en": "There is no page at {path}.",
        "ko": "{path}에는 페이지가 없습니다.",
    },
    "nf_example_title": {"en": "No such example", "ko": "그런 예제는 없습니다"},
    "nf_example_lead": {
        "en": "There is no example named {name!r}. These are the examples:",
        "ko": "{name!r}라는 이름의 예제는 없습니다. 있는 예제는 다음과 같습니다:",
    },
    "nf_go": {"en": "Where to go from here", "ko": "여기에서 갈 수 있는 곳"},
    # the API docs page
    "docs_title": {"en": "The REST API", "ko": "REST API"},
    "docs_intro": {
        "en": "Every endpoint with its schema and an example; try one out below. "
        "The reference itself is in English.",
        "ko": "모든 엔드포인트의 스키마와 예시입니다. 아래에서 직접 호출해 볼 수 있습니다. "
        "API 설명 자체는 영어로 되어 있습니다.",
    },
    "docs_noscript": {
        "en": "The interactive reference needs JavaScript; the schema itself is at {url}.",
        "ko": "대화형 문서에는 자바스크립트가 필요합니다. 스키마는 {url}에 있습니다.",
    },
    # the local rules
    "rule_forward": {"en": "Forward at {node}", "ko": "순전파: {node}"},
    "rule_backward": {"en": "Backward at {node}", "ko": "역전파: {node}"},
    "rule_seed": {
        "en": "The backward pass starts at the output {node} with dout = {dout}.",
        "ko": "역전파는 출력 {node}에서 dout = {dout}로 시작합니다.",
    },
    "rule_dout": {
        "en": "dout = the gradient arriving from the right = {value}",
        "ko": "dout = 오른쪽에서 흘러 들어온 기울기 = {value}",
    },
    "rule_fanout": {
        "en": "{node} feeds {count} nodes, so its gradient is the sum over its edges "
        "(the Repeat rule): {sum}",
        "ko": "{node}는 {count}개의 노드로 흘러가므로, 기울기는 각 가지의 기울기의 합입니다 "
        "(Repeat 노드의 규칙): {sum}",
    },
    "rule_labels": {
        "en": "{node} holds labels: no gradient flows into it.",
        "ko": "{node}는 정답 레이블이므로 기울기가 흐르지 않습니다.",
    },
    "rule_sources": {
        "en": "Inputs and params are given: their values are on their arrows.",
        "ko": "입력과 매개변수의 값은 주어져 있습니다. 화살표 위의 값이 그것입니다.",
    },
    # the training lab (book 2, chapter 1: 학습, 손실, 정확도, 결정 경계)
    "lab_title": {"en": "Training lab", "ko": "학습 실험실"},
    "lab_intro": {
        "en": "Train the book's two-layer net (Affine → Sigmoid → Affine, Softmax with Loss) "
        "on a 2-D data set and watch, epoch by epoch, the loss fall, the decision boundary form "
        "and the gradients on each weight. The defaults are book 2, chapter 1: the spiral, 10 "
        "hidden units, SGD with learning rate 1.0, 300 epochs of mini-batches of 30.",
        "ko": "책의 2층 신경망(Affine → Sigmoid → Affine, Softmax-with-Loss)을 2차원 데이터로 학습시키며 에폭마다 손실이 줄고 결정 경계가 만들어지고 가중치마다 기울기가 흐르는 모습을 보세요. 기본값은 2권 1장 그대로입니다: 스파이럴 데이터, 은닉층 뉴런 10개, 학습률 1.0의 SGD, 배치 크기 30, 300 에폭.",
    },
    "lab_settings": {"en": "Settings", "ko": "학습 설정"},
    # the form's labels (lab_dataset, lab_batch, ...) are core.lab.SETTING_LABELS: see below
    "lab_dataset_hint": {
        "en": "Choosing a data set sets the optimizer and learning rate to ones that learn it.",
        "ko": "데이터셋을 고르면 옵티마이저와 학습률이 그 데이터를 학습하는 값으로 바뀝니다.",
    },
    "lab_dataset_links": {
        "en": "Start from a data set's own optimizer and learning rate:",
        "ko": "데이터셋마다 알맞은 옵티마이저와 학습률로 시작하기:",
    },
    "lab_train": {"en": "Train", "ko": "학습 시작"},
    "lab_training": {"en": "Training…", "ko": "학습 중…"},
    "lab_trained": {"en": "Trained for {epochs} epochs.", "ko": "{epochs} 에폭 학습을 마쳤습니다."},
    "lab_limit": {
        "en": "A run stops after {seconds} s. Without JavaScript: at most {limit} updates per "
        "run, epochs × (300 ÷ batch size).",
        "ko": "한 번의 학습은 {seconds}초가 지나면 멈춥니다. 자바스크립트 없이는 최대 {limit}회 갱신: 에폭 수 × (300 ÷ 배치 크기).",
    },
    "lab_epoch_of": {"en": "Epoch {epoch} of {max_epoch}", "ko": "에폭 {epoch}/{max_epoch}"},
    "lab_stopped": {
        "en": "Stopped at epoch {epoch}.",
        "ko": "에폭 {epoch}에서 멈췄습니다.",
    },
    "lab_pause": {"en": "Pause", "ko": "일시 정지"},
    "lab_resume": {"en": "Resume", "ko": "계속"},
    "lab_step": {"en": "One epoch", "ko": "한 에폭"},
    "lab_reset": {"en": "Reset", "ko": "초기화"},
    "lab_scrub": {"en": "Look back", "ko": "되돌아보기"},
    "lab_scrub_hint": {
        "en": "Drag to see the boundary and the numbers at any recorded epoch.",
        "ko": "끌어서 기록된 에폭의 결정 경계와 수치를 보세요.",
    },
    "lab_test_accuracy": {"en": "Test accuracy", "ko": "테스트 정확도"},
    "lab_test_hint": {
        "en": "Test accuracy is measured on as many other points of the same data set, "
        "held out: the net never trains on them.",
        "ko": "테스트 정확도는 같은 데이터셋에서 따로 뽑아 둔 같은 수의 다른 점으로 잽니다. 신경망은 이 점들로 학습하지 않습니다.",
    },
    "lab_error": {"en": "Cannot train", "ko": "학습할 수 없습니다"},
    "lab_final_loss": {"en": "Loss", "ko": "손실"},
    "lab_final_accuracy": {"en": "Training accuracy", "ko": "학습 정확도"},
    "lab_not_learned": {
        "en": "The net has not learned: its accuracy, {accuracy}, is close to the {chance} that "
        "always guessing one class gets, because the loss has not fallen far enough. Try Adam, "
        "a smaller or larger learning rate, or more epochs.",
        "ko": "신경망이 학습되지 않았습니다. 정확도 {accuracy}는 한 클래스만 계속 찍어도 나오는 "
        "{chance}에 가깝습니다. 손실이 충분히 줄지 않았기 때문입니다. Adam, 더 작거나 큰 "
        "학습률, 또는 더 많은 에폭으로 해 보세요.",
    },
    "lab_legend": {
        "en": "Each cell is coloured by the class the net predicts there; the data points "
        "sit on top, each class with its own marker (o, x, ^) as in the book.",
        "ko": "각 칸은 신경망이 그 자리에서 예측한 클래스의 색으로 칠해지고, 그 위에 데이터 점이 책처럼 클래스마다 다른 모양(o, x, ^)으로 찍힙니다.",
    },
    "lab_noscript": {
        "en": "Without JavaScript the Train button reloads the page with your settings.",
        "ko": "자바스크립트 없이도 학습 시작 버튼을 누르면 설정대로 학습한 페이지가 다시 열립니다.",
    },
    # words in the lab's figures
    "lw_epoch": {"en": "epoch", "ko": "에폭"},
    "lw_loss": {"en": "loss", "ko": "손실"},
    "lw_accuracy": {"en": "accuracy", "ko": "정확도"},
    "lw_loss_title": {"en": "Loss per epoch", "ko": "에폭별 손실"},
    "lw_accuracy_title": {"en": "Accuracy per epoch", "ko": "에폭별 정확도"},
    "lw_train": {"en": "training", "ko": "학습"},
    "lw_test": {"en": "test", "ko": "테스트"},
    "lw_boundary_title": {"en": "Decision boundary", "ko": "결정 경계"},
    "lw_class": {"en": "class {k}", "ko": "클래스 {k}"},
    "lw_network_title": {"en": "The network and its gradients", "ko": "신경망과 기울기"},
    "lw_edge": {
        "en": "{name}[{i},{j}] = {value}, gradient {grad}",
        "ko": "{name}[{i},{j}] = {value}, 기울기 {grad}",
    },
    "lw_hidden_units": {"en": "{count} hidden units", "ko": "은닉 뉴런 {count}개"},
    "lw_hidden_shown": {
        "en": "the first {shown} of {count} hidden units",
        "ko": "은닉 뉴런 {count}개 중 처음 {shown}개",
    },
    "lw_paths_title": {
        "en": "Paths on f(x, y) = x²/20 + y² from (−7, 2)",
        "ko": "f(x, y) = x²/20 + y² 위에서 (−7, 2)부터의 경로",
    },
    "lw_losses_title": {
        "en": "The spiral's loss per epoch, by optimizer",
        "ko": "옵티마이저별 스파이럴 에폭별 손실",
    },
    "lab_optimizers_title": {"en": "Optimizers, side by side", "ko": "옵티마이저 비교"},
    "lab_optimizers_intro": {
        "en": "Book 1, chapter 6: 30 steps of each optimizer on f(x, y) = x²/20 + y² from "
        "(−7, 2), with the book's learning rates. f is twenty times flatter along x than along "
        "y, so SGD zigzags across the valley while it crawls along it; Momentum's velocity "
        "builds up along x and damps the zigzag; AdaGrad and Adam scale each direction's step "
        "by its own gradients. Below, the same four on the spiral with the book's default "
        "learning rates (its MNIST comparison): SGD at 0.01 hardly moves in 300 epochs.",
        "ko": "1권 6장: f(x, y) = x²/20 + y² 위에서 (−7, 2)부터 옵티마이저마다 책의 학습률로 30번 갱신한 경로입니다. f는 y 방향보다 x 방향으로 스무 배 완만해서, SGD는 골짜기를 가로질러 지그재그로 움직이며 골짜기를 따라서는 아주 느리게 나아갑니다. 모멘텀은 x 방향으로 속도가 쌓여 지그재그가 줄어들고, AdaGrad와 Adam은 방향마다 그 방향의 기울기에 맞춰 보폭을 조절합니다. 아래는 같은 네 옵티마이저로 책의 기본 학습률(MNIST 비교)로 스파이럴을 학습한 손실입니다. 학습률 0.01의 SGD는 300 에폭 동안 거의 움직이지 않습니다.",
    },
    "lab_explore": {"en": "Open in the explorer", "ko": "탐험기에서 열기"},
    "lab_explore_hint": {
        "en": "The trained net, with its real weights, on one mini-batch of 10 training points: "
        "step through its forward and backward passes node by node.",
        "ko": "학습을 마친 신경망을 실제 가중치 그대로, 학습 데이터 10개의 미니배치와 함께 엽니다. 순전파와 역전파를 노드 하나씩 따라가 보세요.",
    },
    "lab_network_hint": {
        "en": "Each line is a weight of W1 or W2: its width is the weight's size, blue when "
        "positive, orange when negative. The pale red band under it is as wide as the "
        "weight's gradient (on all training points, at this epoch): where the next updates "
        "push hardest. Point at a line to read both numbers. Biases are not drawn.",
        "ko": "선 하나가 W1 또는 W2의 가중치 하나입니다. 선의 굵기는 가중치의 크기이고, 양수면 파란색, 음수면 주황색입니다. 그 아래 옅은 빨간 띠의 굵기는 그 가중치의 기울기(이 에폭에서 모든 학습 데이터에 대한 값)의 크기로, 다음 갱신이 가장 세게 미는 곳입니다. 선을 가리키면 두 수치가 보입니다. 편향은 그리지 않습니다.",
    },
    # words in the picture's titles
    "w_value": {"en": "value", "ko": "값"},
    "w_gradient": {"en": "gradient", "ko": "기울기"},
    "w_not_computed": {"en": "not computed yet", "ko": "아직 계산 전"},
    "w_no_gradient": {"en": "none (labels)", "ko": "없음 (정답 레이블)"},
    "w_output": {"en": "output", "ko": "출력"},
    "w_input_of": {"en": "input {index} of {target}", "ko": "{target}의 {index}번 입력"},
    "w_graph": {"en": "Computational graph", "ko": "계산 그래프"},
}

TEXTS.update(LEARN_TEXTS)  # the course and the quiz (app/i18n_learn.py)

#: The lab form's field -> its label's key in TEXTS; the labels are the core's, which
#: also name the settings in its messages.
LAB_FIELDS: dict[str, str] = {
    "dataset": "lab_dataset",
    "hidden_size": "lab_hidden",
    "activation": "lab_activation",
    "optimizer": "lab_optimizer",
    "lr": "lab_lr",
    "max_epoch": "lab_epochs",
    "batch_size": "lab_batch",
    "seed": "lab_seed",
}
TEXTS.update({key: dict(SETTING_LABELS[field]) for field, key in LAB_FIELDS.items()})

#: The explorer's fields a request can get wrong -> their labels' keys in TEXTS: the step
#: panel's optimizer and a node's parts, as the build panel names them.
EXPLORER_FIELDS: dict[str, str] = {
    "optimizer": "step_optimizer",
    "id": "build_id",
    "op": "build_op",
    "value": "build_value",
    "inputs": "field_inputs",
}

#: pydantic's error types, as a page says them after the field's label ("Batch size: must
#: be at least 1"); the placeholders are the error's ``ctx``. The API keeps pydantic's own
#: English messages.
FIELD_ERRORS: dict[str, dict[str, str]] = {
    "greater_than_equal": {"en": "must be at least {ge}", "ko": "{ge} 이상이어야 합니다"},
    "less_than_equal": {"en": "must be at most {le}", "ko": "{le} 이하여야 합니다"},
    "greater_than": {"en": "must be greater than {gt}", "ko": "{gt}보다 커야 합니다"},
    "less_than": {"en": "must be less than {lt}", "ko": "{lt}보다 작아야 합니다"},
    "int_type": {"en": "must be a whole number", "ko": "정수여야 합니다"},
    "int_parsing": {"en": "must be a whole number", "ko": "정수여야 합니다"},
    "int_from_float": {"en": "must be a whole number", "ko": "정수여야 합니다"},
    "float_type": {"en": "must be a number", "ko": "숫자여야 합니다"},
    "float_parsing": {"en": "must be a number", "ko": "숫자여야 합니다"},
    "finite_number": {"en": "must be a finite number", "ko": "유한한 수여야 합니다"},
    "bool_type": {"en": "must be true or false", "ko": "true 또는 false여야 합니다"},
    "string_type": {"en": "must be text", "ko": "문자열이어야 합니다"},
    "string_too_short": {
        "en": "must be at least {min_length} characters long",
        "ko": "{min_length}자 이상이어야 합니다",
    },
    "string_too_long": {
        "en": "must be at most {max_length} characters long",
        "ko": "{max_length}자 이하여야 합니다",
    },
    "too_short": {
        "en": "must have at least {min_length} entries",
        "ko": "항목이 {min_length}개 이상이어야 합니다",
    },
    "too_long": {
        "en": "must have at most {max_length} entries",
        "ko": "항목이 {max_length}개 이하여야 합니다",
    },
    "list_type": {"en": "must be a list", "ko": "목록이어야 합니다"},
    "dict_type": {"en": "must be an object", "ko": "객체여야 합니다"},
    "model_type": {"en": "must be an object", "ko": "객체여야 합니다"},
    "model_attributes_type": {"en": "must be an object", "ko": "객체여야 합니다"},
    "literal_error": {
        "en": "must be one of {expected}",
        "ko": "다음 중 하나여야 합니다: {expected}",
    },
    "enum": {"en": "must be one of {expected}", "ko": "다음 중 하나여야 합니다: {expected}"},
    "missing": {"en": "is missing", "ko": "값이 없습니다"},
    "extra_forbidden": {"en": "is not a field here", "ko": "여기에 없는 항목입니다"},
    "invalid": {"en": "is not valid", "ko": "올바르지 않습니다"},
}


def pick_language(cookie: str | None, accept_language: str | None) -> str:
    """The cookie wins; else the best-rated of our languages in Accept-Language."""
    if cookie in LANGUAGES:
        return cookie
    best, best_q = DEFAULT_LANGUAGE, -1.0
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        code = tag.strip().lower().split("-")[0]
        if code not in LANGUAGES:
            continue
        q = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                q = float(params[2:])
            except ValueError:
                q = 0.0
        q -= position * 1e-6  # earlier wins a tie
        if q > best_q:
            best, best_q = code, q
    return best


def texts(lang: str) -> dict[str, str]:
    """Every text in ``lang`` (English where a Korean one is missing)."""
    found = {key: by_lang.get(lang) or by_lang["en"] for key, by_lang in TEXTS.items()}
    found["expr_hint"] = found["expr_hint"].replace("{functions}", ", ".join(FUNCTIONS))
    return found


def field_labels(fields: Mapping[str, str], lang: str) -> dict[str, str]:
    """``{field: its label in lang}`` for a table such as :data:`LAB_FIELDS`."""
    t = texts(lang)
    return {field: t[key] for field, key in fields.items()}


def svg_words(lang: str) -> dict[str, str]:
    t = texts(lang)
    return {key[2:]: value for key, value in t.items() if key.startswith("w_")}


def op_titles(lang: str) -> dict[str, str]:
    """Each op's name for people: from the op registry, where everything about an op lives."""
    return {name: entry["title"] for name, entry in catalog(lang).items()}


def lab_words(lang: str) -> dict[str, str]:
    """The words inside the training lab's figures (``app.drawing.training``)."""
    t = texts(lang)
    return {key[3:]: value for key, value in t.items() if key.startswith("lw_")}
