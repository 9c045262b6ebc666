// The panels around the picture: the state line, the local rule, the error, the numbers
// of what is focused, the inputs, the gradient check, one optimizer step, share and export.
// Every number and rule in them is the server's text; this only places it.

import { $, el, serverHtml } from "./dom.js";
import { edgeOf, levelOf } from "./stepper.js";
import { exportJson, exportPng, exportSvg } from "./share.js";

export function showState(page) {
  const out = $("state");
  if (!out) return;
  const stage = page.stage();
  out.dataset.state = stage.state;
  out.textContent = stage.text;
}

export function showLocal(page) {
  const box = $("local");
  if (!box) return;
  box.replaceChildren(...page.stage().lines.map((line) => el("p", { class: line.cls, text: line.text })));
}

function placeNear(page, box, node) {
  const r = node.getBoundingClientRect();
  const s = page.stageBox.getBoundingClientRect();
  const left = Math.min(r.right - s.left + 8, Math.max(0, s.width - 340));
  box.style.left = `${Math.max(0, left)}px`;
  box.style.top = `${Math.max(0, r.top - s.top - 4)}px`;
}

export function showError(page) {
  const banner = $("error-banner");
  const overlay = $("overlay");
  const svg = page.svg();
  // Only the old callout goes: the overlay also holds the in-place editor, which a run
  // (say, of a side box's edit committed as the learner clicked the picture) must keep.
  overlay?.querySelectorAll(".callout").forEach((callout) => callout.remove());
  svg?.querySelectorAll(".node.error").forEach((n) => n.classList.remove("error"));
  const error = page.st.error;
  if (!error) {
    banner.hidden = true;
    return;
  }
  banner.hidden = false;
  $("error-text").textContent = error.detail;
  if (!error.node || !svg) return;
  const node = svg.querySelector(`g.node[data-node="${CSS.escape(error.node)}"]`);
  if (!node) return;
  node.classList.add("error");
  const callout = el("div", { class: "callout", role: "alert", text: error.detail });
  overlay.append(callout);
  placeNear(page, callout, node);
}

// --- the numbers of what is focused or hovered -------------------------------------------

let lastDetail = null;

function sameIn(svg, target) {
  if (!svg) return null;
  const d = target.dataset;
  const selector = target.classList.contains("node")
    ? `g.node[data-node="${CSS.escape(d.node)}"]`
    : `g.edge[data-source="${CSS.escape(d.source)}"][data-target="${CSS.escape(d.target)}"][data-index="${CSS.escape(d.index)}"]`;
  return svg.querySelector(selector);
}

/** A slot's numbers as a person writes them, or every digit when "exact" is ticked. */
function numbersOf(slot, exact) {
  return exact && slot.exact !== undefined ? slot.exact : slot.text;
}

export function showDetails(page, target = lastDetail) {
  const box = $("details");
  const view = page.st.view;
  if (!box || !target || !view) return;
  // A new picture replaced the one pointed at: the same node or arrow in it, if any.
  if (!target.isConnected) target = sameIn(page.svg(), target) || target;
  lastDetail = target;
  const entry = !target.isConnected
    ? undefined
    : target.classList.contains("node")
      ? view.nodes[target.dataset.node]
      : edgeOf(page.edges(), target);
  const T = page.T;
  if (!entry) {
    // Nothing of an earlier run may stay: the graph changed under what was shown.
    box.replaceChildren(el("p", { class: "hint", text: T.details_idle }));
    return;
  }
  const exact = Boolean($("details-exact")?.checked);
  const level = levelOf(entry, page.st.s);
  box.replaceChildren(
    el("p", { class: "step-title", text: entry.heading }),
    el("p", { text: `${T.w_value}:` }),
    el("pre", { text: level >= 1 ? numbersOf(entry.value, exact) : T.w_not_computed }),
    el("p", { class: "grad-label", text: `${T.w_gradient}:` }),
    el("pre", { text: level >= 2 ? numbersOf(entry.grad, exact) : T.w_not_computed }),
  );
}

export function initDetails(page) {
  $("details-exact")?.addEventListener("change", () => showDetails(page));
  const targetOf = (event) => event.target.closest && event.target.closest("g.node, g.edge");
  for (const kind of ["focusin", "mouseover"]) {
    page.canvas.addEventListener(kind, (event) => {
      const target = targetOf(event);
      if (target) showDetails(page, target);
    });
  }
}

// --- editing inputs and params -------------------------------------------------------------

/** A number or a (nested, non-empty) list of numbers: `{ value }`; else `{ problem }`,
 * the key of the page's text that says what is wrong (app/i18n.py). */
export function parseValue(text) {
  let value;
  try {
    value = JSON.parse(text);
  } catch {
    return { problem: "value_invalid" };
  }
  const numbers = (v) => (Array.isArray(v) ? v.length > 0 && v.every(numbers) : typeof v === "number");
  if (!numbers(value)) return { problem: "value_invalid" };
  // JSON reads 1e400 as Infinity, which it would send as null: say so, keep the text.
  const finite = (v) => (Array.isArray(v) ? v.every(finite) : Number.isFinite(v));
  return finite(value) ? { value } : { problem: "value_too_large" };
}

/** Commit a typed value: the graph runs again; or say what is wrong and keep the text. */
function commitValue(page, id, text, field) {
  const parsed = parseValue(text.trim());
  const problem = parsed.problem ? page.T[parsed.problem] : "";
  if (field) {
    field.classList.toggle("invalid", Boolean(problem));
    field.querySelector(".problem").textContent = problem;
  }
  if (problem) return problem;
  if (field) delete field.dataset.draft;
  page.st.spec.nodes.find((n) => n.id === id).value = parsed.value;
  page.rerun();
  return "";
}

/** Enter commits (Shift+Enter is a new line in a matrix box), as the hint says; not
 * while an input method is still composing (Korean). */
const commits = (event) => event.key === "Enter" && !event.shiftKey && !event.isComposing;

const fieldOf = (page, id) => page.st.view?.fields.find((f) => f.node === id);

export function renderInputs(page) {
  const box = $("inputs");
  if (!box || !page.st.view) return;
  const focused = box.contains(document.activeElement) ? document.activeElement.id : null;
  // What the learner typed and did not commit (or could not) stays, with its problem.
  const drafts = new Map();
  box.querySelectorAll(".field[data-draft]").forEach((field) => {
    const input = field.querySelector("input, textarea");
    drafts.set(input.dataset.node, { text: input.value, problem: field.querySelector(".problem").textContent });
  });
  box.replaceChildren();
  page.st.view.fields.forEach((f, i) => {
    const node = page.st.spec.nodes.find((n) => n.id === f.node);
    if (!node) return;
    const id = `value-${i}`;
    const input = f.multiline
      ? el("textarea", { id, rows: "2", spellcheck: "false" })
      : el("input", { id, inputmode: "decimal", spellcheck: "false", autocomplete: "off" });
    input.value = JSON.stringify(node.value);
    input.dataset.node = node.id;
    const problem = el("span", { class: "problem", "aria-live": "polite" });
    const field = el("div", { class: "field" }, el("label", { for: id, text: f.label }), input, problem);
    const draft = drafts.get(node.id);
    if (draft) {
      input.value = draft.text;
      problem.textContent = draft.problem;
      field.dataset.draft = "1";
      field.classList.toggle("invalid", Boolean(draft.problem));
    }
    input.addEventListener("input", () => (field.dataset.draft = "1"));
    input.addEventListener("change", () => commitValue(page, node.id, input.value, field));
    input.addEventListener("keydown", (event) => {
      if (commits(event)) {
        event.preventDefault();
        commitValue(page, node.id, input.value, field);
      }
    });
    box.append(field);
  });
  if (focused && $(focused)) $(focused).focus();
}

function openEditor(page, nodeEl) {
  const id = nodeEl.dataset.node;
  const node = page.st.spec.nodes.find((n) => n.id === id);
  if (!node || !fieldOf(page, id)) return;
  const overlay = $("overlay");
  overlay.querySelectorAll(".editor").forEach((e) => e.remove());
  const input = el("input", { "aria-label": `${id}: ${page.T.build_value}`, spellcheck: "false" });
  input.value = JSON.stringify(node.value);
  const problem = el("span", { class: "problem", role: "alert" });
  const editor = el("div", { class: "editor" }, input, problem);
  overlay.append(editor);
  placeNear(page, editor, nodeEl);
  input.focus();
  input.select();
  const close = () => {
    editor.remove();
    // The picture may have been drawn anew meanwhile: focus its node of that id.
    const svg = page.svg();
    const current = svg?.querySelector(`g.node[data-node="${CSS.escape(id)}"]`);
    (current || nodeEl).focus();
  };
  input.addEventListener("keydown", (event) => {
    if (event.key === "Escape") close();
    if (commits(event)) {
      event.preventDefault();
      const said = commitValue(page, id, input.value, null);
      input.setAttribute("aria-invalid", said ? "true" : "false");
      problem.textContent = said;
      if (!said) close();
    }
  });
  input.addEventListener("blur", () => setTimeout(() => editor.isConnected && editor.remove(), 150));
}

export function initEditor(page) {
  page.canvas.addEventListener("click", (event) => {
    const nodeEl = event.target.closest && event.target.closest("g.form-source");
    if (nodeEl) openEditor(page, nodeEl);
  });
  page.canvas.addEventListener("keydown", (event) => {
    const nodeEl = event.target.closest && event.target.closest("g.form-source");
    if (nodeEl && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      openEditor(page, nodeEl);
    }
  });
}

// --- gradient check and one optimizer step -------------------------------------------------

export function initGradcheck(page) {
  $("gradcheck-run")?.addEventListener("click", async () => {
    const out = $("gradcheck-out");
    out.replaceChildren(el("p", { class: "hint", text: "…" }));
    const answer = await page.api.gradcheck(page.st.spec);
    if (answer.error) out.replaceChildren(el("p", { class: "bad", text: answer.error.detail }));
    else out.replaceChildren(...serverHtml(answer.ok.html));
  });
}

/** The optimizer's run so far: its state (velocity, averages, update count) and the
 * output before the first step and after each since. The server keeps nothing. */
const run = { state: null, losses: [] };

function startAfresh(page, why) {
  const wasRunning = run.state !== null;
  run.state = null;
  run.losses = [];
  if (wasRunning && $("step-note")) $("step-note").textContent = why;
}

function showLrProblem(text) {
  $("lr-field")?.classList.toggle("invalid", Boolean(text));
  if ($("lr-problem")) $("lr-problem").textContent = text;
  $("lr")?.setAttribute("aria-invalid", text ? "true" : "false");
}

/** The tools' buttons act only on a graph that runs; a step needs a param to move. */
export function updateTools(page) {
  const ran = Boolean(page.st.view?.ran);
  const trainable = ran && page.st.spec.nodes.some((n) => page.data.ops[n.op]?.trainable);
  if ($("gradcheck-run")) $("gradcheck-run").disabled = !ran;
  if ($("step-run")) $("step-run").disabled = !trainable;
  const why = $("step-why");
  if (why) why.textContent = ran && !trainable ? page.T.step_no_params : "";
}

export function initStep(page) {
  const lr = $("lr");
  const opt = $("opt");
  if (!lr || !opt) return;
  const showDefault = () => (lr.placeholder = page.data.optimizers[opt.value]?.lr ?? "");
  showDefault();
  opt.addEventListener("change", () => {
    showDefault();
    startAfresh(page, page.T.step_fresh_optimizer);
  });
  lr.addEventListener("input", () => showLrProblem(""));
  $("step-run")?.addEventListener("click", async () => {
    const out = $("step-out");
    const before = structuredClone(page.st.spec);
    const answer = await page.api.step({
      graph: page.st.spec,
      optimizer: opt.value,
      lr: lr.value,
      state: run.state,
      losses: run.losses,
      layout: page.st.layout,
    });
    if (answer.error) {
      const onLr = answer.body?.errors?.some((e) => e.loc.at(-1) === "lr");
      if (onLr) {
        showLrProblem(answer.error.detail);
        lr.focus();
      } else {
        out.replaceChildren(el("p", { class: "bad", text: answer.error.detail }));
      }
      return;
    }
    showLrProblem("");
    $("step-note").textContent = "";
    out.replaceChildren(...serverHtml(answer.ok.html));
    out.querySelector(".step-undo")?.addEventListener("click", () => {
      page.st.spec = before;
      page.rerun();
    });
    page.st.spec = answer.ok.graph;
    page.show(answer.ok, null, { done: true, stepped: true });
    run.state = answer.ok.state;
    run.losses = answer.ok.losses;
  });
}

/** The graph changed (an edit, or a step): nothing computed from the old one may stay. */
export function graphChanged(page, { stepped = false } = {}) {
  const checked = $("gradcheck-out");
  if (checked?.childElementCount) {
    checked.replaceChildren(el("p", { class: "hint", text: page.T.gradcheck_stale }));
  }
  if ($("share-url")) $("share-url").value = "";
  if ($("share-status")) $("share-status").textContent = "";
  if (!stepped) {
    startAfresh(page, page.T.step_fresh_graph);
    $("step-out")?.replaceChildren();
  }
}

// --- share and export ------------------------------------------------------------------------

export function initShare(page) {
  const name = () => page.data.example || "graph";
  $("share-link")?.addEventListener("click", async () => {
    const url = await page.address();
    $("share-url").value = url;
    $("share-url").select();
    let copied = false;
    try {
      await navigator.clipboard.writeText(url);
      copied = true;
    } catch {
      copied = false;
    }
    $("share-status").textContent = copied ? page.T.share_copied : page.T.share_ready;
  });
  $("export-svg")?.addEventListener("click", () => exportSvg(page.svg(), page.data.urls.css, name()));
  $("export-png")?.addEventListener("click", () => exportPng(page.svg(), page.data.urls.css, name()));
  $("export-json")?.addEventListener("click", () => exportJson(page.st.spec, name()));
}
