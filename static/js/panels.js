// The panels around the picture: the state line, the local rule, the error, the numbers
// of what is focused, the inputs, the gradient check, one optimizer step, share and export.
// Every number and rule in them is the server's text; this only places it.

import { $, el, serverHtml } from "./dom.js";
import { edgeOf, levelOf } from "./stepper.js";
import { exportJson, exportPng, exportSvg, shareUrl } from "./share.js";

export function showState(page) {
  const out = $("state");
  if (!out) return;
  const stage = page.stage();
  out.dataset.state = stage.state;
  out.textContent = stage.text;
  document.querySelectorAll(".toolbar button").forEach((b) => (b.disabled = false));
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
  overlay?.replaceChildren();
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

/** A number or a (nested, non-empty) list of numbers, or null. */
export function parseValue(text) {
  try {
    const value = JSON.parse(text);
    const ok = (v) => (Array.isArray(v) ? v.length > 0 && v.every(ok) : typeof v === "number");
    return ok(value) ? { value } : null;
  } catch {
    return null;
  }
}

function commitValue(page, id, text, field) {
  const parsed = parseValue(text.trim());
  if (field) field.classList.toggle("invalid", !parsed);
  if (!parsed) {
    if (field) field.querySelector(".problem").textContent = page.T.value_invalid;
    return false;
  }
  page.st.spec.nodes.find((n) => n.id === id).value = parsed.value;
  page.rerun();
  return true;
}

const fieldOf = (page, id) => page.st.view?.fields.find((f) => f.node === id);

export function renderInputs(page) {
  const box = $("inputs");
  if (!box || !page.st.view) return;
  const focused = box.contains(document.activeElement) ? document.activeElement.id : null;
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
    const field = el(
      "div",
      { class: "field" },
      el("label", { for: id, text: f.label }),
      input,
      el("span", { class: "problem", "aria-live": "polite" }),
    );
    input.addEventListener("change", () => commitValue(page, node.id, input.value, field));
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (!f.multiline || event.ctrlKey)) {
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
  const editor = el("div", { class: "editor" }, input);
  overlay.append(editor);
  placeNear(page, editor, nodeEl);
  input.focus();
  input.select();
  const close = () => {
    editor.remove();
    nodeEl.focus();
  };
  input.addEventListener("keydown", (event) => {
    if (event.key === "Escape") close();
    if (event.key === "Enter") {
      event.preventDefault();
      if (!parseValue(input.value.trim())) {
        input.setAttribute("aria-invalid", "true");
        input.title = page.T.value_invalid;
        return;
      }
      commitValue(page, id, input.value, null);
      close();
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

export function initStep(page) {
  $("step-run")?.addEventListener("click", async () => {
    const out = $("step-out");
    out.replaceChildren();
    if (!page.st.spec.nodes.some((n) => page.data.ops[n.op]?.trainable)) {
      out.append(el("p", { class: "hint", text: page.T.step_no_params }));
      return;
    }
    const hyper = {};
    const lr = Number($("lr").value);
    if ($("lr").value.trim() && Number.isFinite(lr)) hyper.lr = lr;
    const before = structuredClone(page.st.spec);
    const answer = await page.api.step(page.st.spec, $("opt").value, hyper, page.st.layout);
    if (answer.error) {
      out.append(el("p", { class: "bad", text: answer.error.detail }));
      return;
    }
    out.replaceChildren(...serverHtml(answer.ok.html));
    const undo = out.querySelector(".step-undo");
    undo?.addEventListener("click", () => {
      page.st.spec = before;
      page.rerun();
      undo.remove();
    });
    page.st.spec = answer.ok.graph;
    page.show(answer.ok, null, { done: true });
  });
}

// --- share and export ------------------------------------------------------------------------

export function initShare(page) {
  const name = () => page.data.example || "graph";
  $("share-link")?.addEventListener("click", async () => {
    const url = await shareUrl(page.data.urls.explore, page.st.spec);
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
