// Predict, then reveal: with the quiz on, gradients are hidden and the learner types the
// gradient at the highlighted arrow, in backward order. The server checks each answer
// (POST /learn/check, app/quiz.py): it holds the exact numbers and writes the hint from the
// op's local rule; this page keeps only the count of tries, and the outcomes (progress.js).
// An array is asked as its shape first, then its values (the whole array or one entry).

import { $ } from "./dom.js";
import { edgeOf, levelOf } from "./stepper.js";
import * as progress from "./progress.js";

const keyOf = (e) => `${e.source}\u0000${e.target}\u0000${e.index}`;
const isArray = (e) => Array.isArray(e.grad.cells);

export function initQuiz(page) {
  const panel = $("quiz-panel");
  const button = $("quiz-switch");
  if (!panel || !button) return;
  const T = page.T;
  const lesson = page.data.lesson || null;
  const store = lesson ? progress.load(lesson.key) : { answers: {}, right: 0, total: 0, done: false };
  const tries = new Map(); // arrow -> { part, count }
  let on = false;
  let seenView = page.st.view;

  const questions = () =>
    (page.st.view?.ran ? page.st.view.edges : [])
      .filter((e) => e.target !== "" && e.grad && !e.grad.none)
      .map((e, order) => ({ e, order }))
      .sort((a, b) => a.e.grad_at - b.e.grad_at || a.order - b.order)
      .map(({ e }) => e);
  const open = (e) => !store.answers[keyOf(e)];
  const current = () => questions().find(open) || null;

  function persist() {
    const all = questions();
    store.total = all.length;
    store.right = all.filter((e) => store.answers[keyOf(e)] === "right").length;
    store.done = all.length > 0 && !all.some(open);
    if (lesson) progress.save(lesson.key, store);
  }

  /** Whether stage s would show a gradient the learner has not answered yet. */
  page.quizHides = (s) => on && questions().some((e) => e.grad_at <= s && open(e));
  /** Whether the dout arriving at stage s's node is itself an answer not given yet. */
  page.quizHidesDout = (s) => {
    const node = page.st.view?.stages[s]?.current;
    return on && !!node && questions().some((e) => e.source === node && open(e));
  };

  function mask() {
    const svg = page.svg();
    const root = document.documentElement;
    root.classList.toggle("quiz-on", on);
    if (!svg) return;
    const target = on ? current() : null;
    const hidden = new Set(on ? questions().filter(open).map(keyOf) : []);
    const view = page.st.view;
    for (const g of svg.querySelectorAll("g.edge")) {
      const e = edgeOf(page.edges(), g);
      g.classList.toggle("quiz-target", !!target && e === target);
      if (!e || !hidden.has(keyOf(e))) continue;
      const slot = g.querySelector(":scope > .grad");
      if (slot?.tagName.toLowerCase() === "text") slot.textContent = view.pending;
      else slot?.querySelectorAll("rect.cell").forEach((r) => r.removeAttribute("fill"));
      slot?.classList.add("pending");
      g.querySelector(":scope > .back")?.classList.add("pending");
      g.querySelector(":scope > title").textContent = e.titles[Math.min(1, levelOf(e, page.st.s))];
    }
    const unanswered = new Set(questions().filter(open).map((e) => e.source));
    for (const g of svg.querySelectorAll("g.node")) {
      const n = view.nodes[g.dataset.node];
      if (n && on && unanswered.has(g.dataset.node)) {
        g.querySelector(":scope > title").textContent = n.titles[Math.min(1, levelOf(n, page.st.s))];
      }
    }
    if (page.quizHides(page.st.s)) {
      // the local rule's gradients, dout included: it is an answer not given yet
      const dout = page.quizHidesDout(page.st.s);
      $("local")?.querySelectorAll("p.grad").forEach((p, i) => (p.hidden = i > 0 || dout));
    }
  }

  function ask() {
    const view = page.st.view;
    const early = on && view?.ran && page.st.s < view.forward_count; // values not known yet
    const e = on && !early ? current() : null;
    const form = $("quiz-form");
    $("quiz-again").hidden = !(on && !early && !e && questions().length);
    form.hidden = !e;
    const score = T.learn_score.replace("{right}", String(store.right)).replace("{total}", String(store.total));
    $("quiz-score").textContent = store.total ? `· ${score}` : "";
    if (early) $("quiz-message").textContent = T.quiz_forward_first;
    else if ($("quiz-message").textContent === T.quiz_forward_first) $("quiz-message").textContent = "";
    if (!e) {
      if (on && !early && questions().length) {
        $("quiz-message").textContent = T.quiz_finished
          .replace("{right}", String(store.right))
          .replace("{total}", String(store.total));
      }
      return;
    }
    const state = tries.get(keyOf(e)) || { part: isArray(e) ? "shape" : "values", count: 0 };
    tries.set(keyOf(e), state);
    let prompt = T.quiz_prompt.replaceAll("{source}", e.source).replaceAll("{target}", e.target);
    if (state.part === "shape") prompt += ` ${T.quiz_prompt_shape}`;
    else if (isArray(e)) prompt += ` ${T.quiz_prompt_values}`;
    $("quiz-prompt").textContent = prompt;
    $("quiz-entry-field").hidden = state.part === "shape" || !isArray(e);
    $("quiz-answer").rows = state.part !== "shape" && isArray(e) ? 3 : 1;
    form.dataset.part = state.part;
    form.dataset.source = e.source;
  }

  function goToQuestion() {
    const e = current();
    page.go(e ? e.grad_at : page.total());
  }

  function setOn(value, { move = true } = {}) {
    on = value;
    button.setAttribute("aria-pressed", String(on));
    panel.hidden = !on;
    $("quiz-message").textContent = "";
    persist();
    if (on && move && page.st.s >= page.st.view?.forward_count) goToQuestion();
    else page.go(page.st.s);
  }

  async function submit(event) {
    event.preventDefault();
    const e = current();
    if (!e) return;
    const state = tries.get(keyOf(e));
    const answer = $("quiz-answer").value.trim();
    const entryText = $("quiz-entry").value.trim();
    let part = state.part;
    let entry = null;
    if (part === "values" && isArray(e) && entryText) {
      part = "entry";
      entry = entryText.split(/[\s,]+/).filter(Boolean).map(Number);
    }
    const payload = { graph: page.st.spec, source: e.source, target: e.target, index: e.index, part, answer, entry, tries: state.count };
    const reply = await page.api.check(payload);
    const message = $("quiz-message");
    // a counter the tests wait on: "the server's reply is shown"
    message.dataset.replies = String(Number(message.dataset.replies || 0) + 1);
    if (reply.error) {
      message.textContent = reply.error.detail;
      message.className = "quiz-message bad";
      return;
    }
    const r = reply.ok;
    message.textContent = r.message;
    message.className = `quiz-message ${r.correct ? "ok" : r.revealed ? "revealed" : "bad"}`;
    message.dataset.outcome = r.correct ? "right" : r.revealed ? "revealed" : r.counted ? "wrong" : "invalid";
    if (r.counted && !r.correct && !r.revealed) state.count += 1;
    if (r.revealed) {
      $("quiz-answer").value = "";
      $("quiz-entry").value = "";
      if (state.part === "shape") {
        tries.set(keyOf(e), { part: "values", count: 0 });
      } else {
        store.answers[keyOf(e)] = r.correct ? "right" : "revealed";
        persist();
        goToQuestion();
      }
    }
    ask();
    $("quiz-answer").focus();
  }

  button.addEventListener("click", () => setOn(!on));
  $("quiz-form").addEventListener("submit", submit);
  $("quiz-answer").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      $("quiz-form").requestSubmit();
    }
  });
  $("quiz-again").addEventListener("click", () => {
    store.answers = {};
    tries.clear();
    setOn(true);
  });

  page.onPaint(() => {
    if (page.st.view !== seenView) {
      // an edit gives new numbers: the answers given were for the old ones
      seenView = page.st.view;
      store.answers = {};
      tries.clear();
      persist();
    }
    mask();
    ask();
  });

  if (lesson?.quiz) setOn(true, { move: false });
}
