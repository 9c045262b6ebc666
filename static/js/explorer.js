// The explorer: edit, step, check, share and build, on top of the server's picture.
//
// Numbers come from the API (POST /api/run and friends); the layout comes from the page
// router (POST /explore/svg) when the structure changes. All text is set with
// textContent: node names come from users.

import { buildModel, knowledge, localRule, paint, shapesOf, stateOf } from "./graph.js";
import { full, isScalar, shapeOf, shapeText, short } from "./numbers.js";
import { exportJson, exportPng, exportSvg, graphQuery, shareUrl } from "./share.js";

const data = JSON.parse(document.getElementById("bpx-data").textContent);
const T = data.texts;
const WORDS = {
  value: T.w_value,
  gradient: T.w_gradient,
  not_computed: T.w_not_computed,
  no_gradient: T.w_no_gradient,
  output: T.w_output,
  input_of: T.w_input_of,
};
const ID_PATTERN = /^[\p{L}\p{N}_.\-]{1,64}$/u;
const $ = (id) => document.getElementById(id);
// On a page without a graph (a broken link) these stand in, and nothing is drawn.
const canvas = $("canvas") || document.createElement("div");
const stage = document.querySelector(".stage") || document.createElement("div");

const st = {
  spec: data.spec,
  result: data.result,
  error: data.error,
  model: null,
  s: 0,
  timer: null,
  layoutShapes: data.result ? shapesOf(data.result) : null,
  edited: false,
  runs: 0,
};

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else node.setAttribute(k, v);
  }
  node.append(...children);
  return node;
}

const svg = () => canvas.querySelector("svg");
const total = () => (st.model ? st.model.steps.length : 0);
const outputId = () => st.spec.output || st.spec.nodes[st.spec.nodes.length - 1]?.id;

// --- talking to the server ------------------------------------------------------------

async function post(url, body, asText = false) {
  let response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
  } catch (err) {
    return { error: { detail: T.error_network.replace("{message}", err.message) } };
  }
  if (!response.ok) {
    const payload = await response.json().catch(() => null);
    const detail = payload && typeof payload.detail === "string" ? payload.detail : `HTTP ${response.status}`;
    return { error: { detail, node: payload ? payload.node : null, code: payload ? payload.code : null } };
  }
  return { ok: asText ? await response.text() : await response.json() };
}

function cleanSpec(spec) {
  // The step endpoint answers with nulls for absent fields; send back only what is there.
  const nodes = spec.nodes.map((n) => {
    const node = { id: n.id, op: n.op };
    if (n.inputs && n.inputs.length) node.inputs = n.inputs;
    if (n.value !== null && n.value !== undefined) node.value = n.value;
    if (n.attrs) {
      const attrs = Object.fromEntries(Object.entries(n.attrs).filter(([, v]) => v !== null));
      if (Object.keys(attrs).length) node.attrs = attrs;
    }
    return node;
  });
  const out = { nodes };
  if (spec.output) out.output = spec.output;
  if (spec.dout !== null && spec.dout !== undefined) out.dout = spec.dout;
  return out;
}

async function relayout() {
  const answer = await post(data.urls.svg, st.spec, true);
  if (answer.error) return answer.error;
  const doc = new DOMParser().parseFromString(answer.ok, "image/svg+xml");
  const fresh = document.importNode(doc.documentElement, true);
  const old = svg();
  if (old) old.replaceWith(fresh);
  else canvas.append(fresh);
  return null;
}

/** Run the graph through the API; redraw the layout when the structure changed. */
async function rerun({ structure = false } = {}) {
  const ticket = ++st.runs;
  const wasDone = !st.model || st.s >= total();
  const [run, layoutError] = await Promise.all([
    post(data.urls.run, st.spec),
    structure ? relayout() : Promise.resolve(null),
  ]);
  if (ticket !== st.runs) return; // a newer edit is on its way
  if (run.error) {
    st.result = null;
    st.model = null;
    st.error = run.error;
  } else {
    st.error = null;
    st.result = run.ok;
    const shapes = shapesOf(run.ok);
    const changed =
      !st.layoutShapes || JSON.stringify(shapes) !== JSON.stringify(st.layoutShapes);
    if (changed && !structure) await relayout();
    st.layoutShapes = shapes;
    st.model = buildModel(st.spec, st.result, data.ops);
    st.s = wasDone ? total() : Math.min(st.s, total());
  }
  if (layoutError && !st.error) st.error = layoutError;
  st.edited = true;
  refresh();
  if (structure) renderBuild();
  renderInputs();
  updateUrl();
}

async function updateUrl() {
  if (!st.edited) return;
  const query = await graphQuery(st.spec);
  history.replaceState(null, "", `${data.urls.explore}?${query}`);
}

// --- painting ----------------------------------------------------------------------

function clearNumbers() {
  for (const t of svg().querySelectorAll(".val, .grad")) {
    t.classList.add("pending");
    if (t.tagName.toLowerCase() === "text") t.textContent = "?";
    else t.querySelectorAll("rect.cell").forEach((r) => r.removeAttribute("fill"));
  }
  svg().querySelectorAll(".back").forEach((b) => b.classList.add("pending"));
  svg().querySelectorAll(".node.current").forEach((n) => n.classList.remove("current"));
  svg().dataset.state = "error";
}

let paints = 0;

function refresh() {
  if (st.model) paint(svg(), st.model, st.s, WORDS);
  else clearNumbers();
  showState();
  showLocal();
  showError();
  showDetails(lastDetail);
  // A counter the tests and the benchmark wait on: "the picture is up to date".
  document.documentElement.dataset.painted = String(++paints);
}

function showState() {
  const out = $("state");
  if (!out) return;
  if (!st.model) {
    out.dataset.state = "error";
    out.textContent = T.state_error;
    return;
  }
  const state = stateOf(st.model, st.s);
  out.dataset.state = state.key;
  const text = {
    none: T.state_none,
    forward: T.state_forward,
    "forward-done": T.state_forward_done,
    backward: T.state_backward,
    "backward-done": T.state_backward_done,
  }[state.key];
  out.textContent = text.replace("{k}", state.k).replace("{n}", state.n);
  const buttons = document.querySelectorAll(".toolbar button");
  buttons.forEach((b) => (b.disabled = false));
}

function showLocal() {
  const box = $("local");
  if (!box) return;
  box.replaceChildren();
  const lines = st.model ? localRule(st.model, st.s, data.ops, T) : null;
  if (!lines) {
    box.append(el("p", { class: "hint", text: st.model && st.s === 0 ? T.rule_sources : T.local_idle }));
    return;
  }
  for (const line of lines) box.append(el("p", { class: line.cls, text: line.text }));
}

function showError() {
  const banner = $("error-banner");
  const overlay = $("overlay");
  overlay.replaceChildren();
  svg().querySelectorAll(".node.error").forEach((n) => n.classList.remove("error"));
  if (!st.error) {
    banner.hidden = true;
    return;
  }
  banner.hidden = false;
  $("error-text").textContent = st.error.detail;
  if (!st.error.node) return;
  const node = svg().querySelector(`g.node[data-node="${CSS.escape(st.error.node)}"]`);
  if (!node) return;
  node.classList.add("error");
  const callout = el("div", { class: "callout", role: "alert", text: st.error.detail });
  overlay.append(callout);
  placeNear(callout, node);
}

function placeNear(box, node) {
  const r = node.getBoundingClientRect();
  const s = stage.getBoundingClientRect();
  const left = Math.min(r.right - s.left + 8, Math.max(0, s.width - 340));
  box.style.left = `${Math.max(0, left)}px`;
  box.style.top = `${Math.max(0, r.top - s.top - 4)}px`;
}

canvas.addEventListener("scroll", () => showError());

// --- stepping ------------------------------------------------------------------------

function go(s) {
  if (!st.model) return;
  st.s = Math.max(0, Math.min(total(), s));
  refresh();
}

function stopPlaying() {
  if (st.timer) clearInterval(st.timer);
  st.timer = null;
  const play = document.querySelector('[data-action="play"]');
  if (play) {
    play.textContent = play.dataset.play;
    play.setAttribute("aria-pressed", "false");
  }
}

function play() {
  if (st.timer) return stopPlaying();
  if (!st.model) return;
  if (st.s >= total()) go(0);
  const button = document.querySelector('[data-action="play"]');
  button.textContent = button.dataset.pause;
  button.setAttribute("aria-pressed", "true");
  st.timer = setInterval(() => {
    if (st.s >= total()) return stopPlaying();
    go(st.s + 1);
  }, 700);
}

const ACTIONS = {
  reset: () => go(0),
  back: () => go(st.s - 1),
  step: () => go(st.s + 1),
  forward: () => go(st.model ? st.model.forwardCount : 0),
  backward: () => go(total()),
  play,
};

document.querySelectorAll(".toolbar [data-action]").forEach((button) => {
  button.addEventListener("click", () => {
    if (button.dataset.action !== "play") stopPlaying();
    ACTIONS[button.dataset.action]();
  });
});

document.addEventListener("keydown", (event) => {
  const t = event.target;
  if (t.closest && t.closest("input, textarea, select, [contenteditable], .editor")) return;
  if (event.altKey || event.ctrlKey || event.metaKey) return;
  const keys = { ArrowRight: "step", ArrowLeft: "back", Home: "reset", End: "backward" };
  if (keys[event.key]) {
    event.preventDefault();
    stopPlaying();
    ACTIONS[keys[event.key]]();
  }
});

// --- numbers on focus / hover --------------------------------------------------------

let lastDetail = null;

function showDetails(target) {
  const box = $("details");
  if (!box || !target || !st.model || !target.isConnected) return;
  lastDetail = target;
  const know = knowledge(st.model, st.s);
  box.replaceChildren();
  let heading, value, grad, valueKnown, gradKnown;
  if (target.classList.contains("node")) {
    const n = st.model.nodes.get(target.dataset.node);
    if (!n) return;
    heading = `${n.id} · ${n.op} · ${shapeText(n.shape)}`;
    [value, grad] = [n.value, n.grad];
    valueKnown = know.computed.has(n.id);
    gradKnown = know.gradOfNode(n.id);
  } else {
    const source = target.dataset.source;
    if (!target.dataset.target) {
      const n = st.model.nodes.get(source);
      heading = `${source} → ${T.w_output}`;
      [value, grad] = [n.value, n.grad];
      valueKnown = know.computed.has(source);
      gradKnown = know.done || know.seeded;
    } else {
      const e = st.model.edges.get(`${source}\u0000${target.dataset.target}\u0000${target.dataset.index}`);
      if (!e) return;
      heading = `${e.source} → ${e.target}`;
      [value, grad] = [e.value, e.grad];
      valueKnown = know.computed.has(source);
      gradKnown = know.gradOfEdge(e);
    }
  }
  const show = (v, known, isGrad) =>
    !known ? T.w_not_computed : v === null && isGrad ? T.w_no_gradient : full(v, 400);
  box.append(
    el("p", { class: "step-title", text: heading }),
    el("p", { text: `${T.w_value}:` }),
    el("pre", { text: show(value, valueKnown, false) }),
    el("p", { class: "grad-label", text: `${T.w_gradient}:` }),
    el("pre", { text: show(grad, gradKnown, true) }),
  );
}

function detailTarget(event) {
  return event.target.closest && event.target.closest("g.node, g.edge");
}
canvas.addEventListener("focusin", (event) => {
  const target = detailTarget(event);
  if (target) showDetails(target);
});
canvas.addEventListener("mouseover", (event) => {
  const target = detailTarget(event);
  if (target) showDetails(target);
});

// --- editing inputs and params --------------------------------------------------------

function parseValue(text) {
  try {
    const value = JSON.parse(text);
    const ok = (v) => (Array.isArray(v) ? v.length > 0 && v.every(ok) : typeof v === "number");
    return ok(value) ? { value } : null;
  } catch {
    return null;
  }
}

function commitValue(id, text, field) {
  const parsed = parseValue(text.trim());
  if (field) field.classList.toggle("invalid", !parsed);
  if (!parsed) {
    if (field) field.querySelector(".problem").textContent = T.value_invalid;
    return false;
  }
  const node = st.spec.nodes.find((n) => n.id === id);
  node.value = parsed.value;
  rerun();
  return true;
}

function renderInputs() {
  const box = $("inputs");
  if (!box) return;
  const focused = document.activeElement && box.contains(document.activeElement) ? document.activeElement.id : null;
  box.replaceChildren();
  st.spec.nodes.forEach((node, i) => {
    if (!data.ops[node.op]?.source) return;
    const id = `value-${i}`;
    const text = JSON.stringify(node.value);
    const big = !isScalar(node.value);
    const input = big
      ? el("textarea", { id, rows: "2", spellcheck: "false" })
      : el("input", { id, inputmode: "decimal", spellcheck: "false", autocomplete: "off" });
    input.value = text;
    input.dataset.node = node.id;
    const field = el(
      "div",
      { class: "field" },
      el("label", { for: id, text: `${node.id} (${data.ops[node.op].title}${big ? " " + shapeText(shapeOf(node.value)) : ""})` }),
      input,
      el("span", { class: "problem", "aria-live": "polite" }),
    );
    input.addEventListener("change", () => commitValue(node.id, input.value, field));
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (!big || event.ctrlKey)) {
        event.preventDefault();
        commitValue(node.id, input.value, field);
      }
    });
    box.append(field);
  });
  if (focused && $(focused)) $(focused).focus();
}

function openEditor(nodeEl) {
  const id = nodeEl.dataset.node;
  const node = st.spec.nodes.find((n) => n.id === id);
  if (!node || !data.ops[node.op]?.source) return;
  const overlay = $("overlay");
  overlay.querySelectorAll(".editor").forEach((e) => e.remove());
  const input = el("input", { "aria-label": `${id}: ${T.build_value}`, spellcheck: "false" });
  input.value = JSON.stringify(node.value);
  const editor = el("div", { class: "editor" }, input);
  overlay.append(editor);
  placeNear(editor, nodeEl);
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
      const parsed = parseValue(input.value.trim());
      if (!parsed) {
        input.setAttribute("aria-invalid", "true");
        input.title = T.value_invalid;
        return;
      }
      commitValue(id, input.value, null);
      close();
    }
  });
  input.addEventListener("blur", () => setTimeout(() => editor.isConnected && editor.remove(), 150));
}

canvas.addEventListener("click", (event) => {
  const nodeEl = event.target.closest && event.target.closest("g.form-source");
  if (nodeEl) openEditor(nodeEl);
});
canvas.addEventListener("keydown", (event) => {
  const nodeEl = event.target.closest && event.target.closest("g.form-source");
  if (nodeEl && (event.key === "Enter" || event.key === " ")) {
    event.preventDefault();
    openEditor(nodeEl);
  }
});

// --- gradient check and one optimizer step ------------------------------------------

/** A few numbers of an array, short: "(2, 10) [-0.006233, 0.000413, …]". */
function compact(value, count = 3) {
  if (isScalar(value)) return short(Number(value));
  const flat = value.flat(Infinity);
  const head = flat.slice(0, count).map((v) => short(v)).join(", ");
  return `${shapeText(shapeOf(value))} [${head}${flat.length > count ? ", …" : ""}]`;
}

function largestChange(before, after) {
  const a = isScalar(before) ? [before] : before.flat(Infinity);
  const b = isScalar(after) ? [after] : after.flat(Infinity);
  return short(a.reduce((m, v, i) => Math.max(m, Math.abs(b[i] - v)), 0));
}

function cellText(value) {
  return isScalar(value) ? short(Number(value)) : shapeText(shapeOf(value));
}

$("gradcheck-run")?.addEventListener("click", async () => {
  const out = $("gradcheck-out");
  out.replaceChildren(el("p", { class: "hint", text: "…" }));
  const answer = await post(data.urls.gradcheck, { graph: st.spec });
  out.replaceChildren();
  if (answer.error) {
    out.append(el("p", { class: "bad", text: answer.error.detail }));
    return;
  }
  // Numbers side by side where they are single numbers; for arrays the error says it all.
  const scalars = answer.ok.arrays.some((a) => a.shape.length === 0);
  const titles = scalars
    ? [T.col_node, T.col_analytic, T.col_numeric, T.col_rel, T.col_result]
    : [T.col_node, T.col_shape, T.col_rel, T.col_result];
  const head = el("tr", {}, ...titles.map((h) => el("th", { scope: "col", text: h })));
  const rows = answer.ok.arrays.map((a) => {
    const cells = scalars
      ? [el("td", { class: "num", text: cellText(a.analytic) }), el("td", { class: "num", text: cellText(a.numeric) })]
      : [el("td", { text: shapeText(a.shape) })];
    return el(
      "tr",
      { "data-node": a.node },
      el("th", { scope: "row", text: a.node }),
      ...cells,
      el("td", { class: "num", text: a.max_rel_error.toExponential(1) }),
      el("td", { class: a.passed ? "ok" : "bad", text: a.passed ? T.passed : T.failed }),
    );
  });
  out.append(el("div", { class: "table-wrap" }, el("table", {}, el("thead", {}, head), el("tbody", {}, ...rows))));
});

$("step-run")?.addEventListener("click", async () => {
  const out = $("step-out");
  out.replaceChildren();
  const params = st.spec.nodes.filter((n) => data.ops[n.op]?.trainable);
  if (!params.length) {
    out.append(el("p", { class: "hint", text: T.step_no_params }));
    return;
  }
  const hyper = {};
  const lr = Number($("lr").value);
  if ($("lr").value.trim() && Number.isFinite(lr)) hyper.lr = lr;
  const before = { spec: structuredClone(st.spec), result: st.result };
  const answer = await post(data.urls.step, { graph: st.spec, optimizer: $("opt").value, hyper });
  if (answer.error) {
    out.append(el("p", { class: "bad", text: answer.error.detail }));
    return;
  }
  const { graph, after } = answer.ok;
  const newSpec = cleanSpec(graph);
  const head = el("tr", {}, el("th", { text: "" }), el("th", { text: T.step_before }), el("th", { text: T.step_after }), el("th", { text: "max |Δ|" }));
  const rows = [
    el(
      "tr",
      {},
      el("th", { scope: "row", text: T.step_output.replace("{node}", answer.ok.before.output) }),
      el("td", { class: "num", text: compact(answer.ok.before.value) }),
      el("td", { class: "num", text: compact(after.value) }),
      el("td", { class: "num", text: largestChange(answer.ok.before.value, after.value) }),
    ),
    ...params.map((p) => {
      const moved = newSpec.nodes.find((n) => n.id === p.id);
      return el(
        "tr",
        {},
        el("th", { scope: "row", text: p.id }),
        el("td", { class: "num", text: compact(p.value) }),
        el("td", { class: "num", text: compact(moved.value) }),
        el("td", { class: "num", text: largestChange(p.value, moved.value) }),
      );
    }),
  ];
  const undo = el("button", { type: "button", text: T.step_undo });
  undo.addEventListener("click", () => {
    st.spec = before.spec;
    rerun();
    undo.remove();
  });
  out.append(el("div", { class: "table-wrap" }, el("table", {}, el("thead", {}, head), el("tbody", {}, ...rows))), undo);
  st.spec = newSpec;
  st.result = after;
  st.model = buildModel(st.spec, st.result, data.ops);
  st.s = total();
  st.error = null;
  st.edited = true;
  refresh();
  renderInputs();
  updateUrl();
});

// --- share and export -------------------------------------------------------------------

const exportName = () => data.example || "graph";
$("share-link")?.addEventListener("click", async () => {
  const url = await shareUrl(data.urls.explore, st.spec);
  $("share-url").value = url;
  $("share-url").select();
  let copied = false;
  try {
    await navigator.clipboard.writeText(url);
    copied = true;
  } catch {
    copied = false;
  }
  $("share-status").textContent = copied ? T.share_copied : T.share_ready;
});
$("export-svg")?.addEventListener("click", () => exportSvg(svg(), data.urls.css, exportName()));
$("export-png")?.addEventListener("click", () => exportPng(svg(), data.urls.css, exportName()));
$("export-json")?.addEventListener("click", () => exportJson(st.spec, exportName()));

// --- build your own ---------------------------------------------------------------------

function freshId(op) {
  const ids = new Set(st.spec.nodes.map((n) => n.id));
  let k = 1;
  while (ids.has(`${op}_${k}`)) k++;
  return `${op}_${k}`;
}

function nodeSelect(id, label, chosen) {
  const select = el("select", { id, "aria-label": label });
  for (const n of st.spec.nodes) {
    const option = el("option", { value: n.id, text: n.id });
    if (n.id === chosen) option.selected = true;
    select.append(option);
  }
  return select;
}

function renderBuildExtra() {
  const op = $("build-op").value;
  const box = $("build-extra");
  box.replaceChildren();
  if (!$("build-id").dataset.typed) $("build-id").value = freshId(data.ops[op].source ? "x" : op);
  if (data.ops[op].source) {
    const input = el("input", { id: "build-value", value: "1", spellcheck: "false" });
    box.append(el("div", { class: "field" }, el("label", { for: "build-value", text: T.build_value }), input));
    return;
  }
  const ids = st.spec.nodes.map((n) => n.id);
  data.ops[op].inputs.forEach((name, i) => {
    const label = T.build_input.replace("{name}", name);
    const chosen = ids[Math.max(0, ids.length - data.ops[op].inputs.length + i)];
    const select = nodeSelect(`build-in-${i}`, label, chosen);
    box.append(el("div", { class: "field" }, el("label", { for: select.id, text: label }), select));
  });
  for (const field of data.ops[op].attrs) {
    const id = `build-attr-${field.name}`;
    const input =
      field.kind === "bool"
        ? el("input", { id, type: "checkbox" })
        : el("input", { id, value: field.start === null ? "" : String(field.start), size: "5" });
    if (field.kind === "bool") input.checked = Boolean(field.start);
    box.append(el("div", { class: "field" }, el("label", { for: id, text: field.label }), input));
  }
}

function renderBuild() {
  const list = $("build-nodes");
  // Drawn only while its panel is open: a big graph would need many thousand options.
  if (!list || !$("build-panel").open) return;
  list.replaceChildren();
  for (const node of st.spec.nodes) {
    const item = el("li", {}, el("span", { class: "nid", text: node.id }), el("span", { class: "nop", text: node.op }));
    (node.inputs || []).forEach((src, i) => {
      const label = `${node.id}: ${T.build_input.replace("{name}", (data.ops[node.op]?.inputs || [])[i] || i)}`;
      const select = nodeSelect(`conn-${node.id}-${i}`, label, src);
      if (!st.spec.nodes.some((n) => n.id === src)) select.append(el("option", { value: src, text: `${src} ?`, selected: "" }));
      select.addEventListener("change", () => {
        node.inputs[i] = select.value;
        rerun({ structure: true });
      });
      item.append(select);
    });
    const del = el("button", { type: "button", text: "✕", "aria-label": T.build_delete.replace("{node}", node.id), title: T.build_delete.replace("{node}", node.id) });
    del.addEventListener("click", () => {
      if (st.spec.nodes.length <= 1) return;
      st.spec.nodes = st.spec.nodes.filter((n) => n !== node);
      if (st.spec.output === node.id) st.spec.output = st.spec.nodes[st.spec.nodes.length - 1].id;
      rerun({ structure: true });
    });
    item.append(del);
    list.append(item);
  }
  const output = $("build-output");
  output.replaceChildren(...st.spec.nodes.map((n) => el("option", { value: n.id, text: n.id })));
  output.value = outputId();
  renderBuildExtra();
}

if ($("build-form")) {
  $("build-panel").addEventListener("toggle", renderBuild);
  $("build-op").addEventListener("change", renderBuildExtra);
  $("build-id").addEventListener("input", () => ($("build-id").dataset.typed = "1"));
  $("build-output").addEventListener("change", () => {
    st.spec.output = $("build-output").value;
    rerun({ structure: true });
  });
  $("build-new").addEventListener("click", () => {
    st.spec = { nodes: [{ id: "x", op: "input", value: 1 }], output: "x" };
    rerun({ structure: true });
  });
  $("build-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const op = $("build-op").value;
    const id = $("build-id").value.trim();
    const status = $("build-status");
    if (!ID_PATTERN.test(id) || st.spec.nodes.some((n) => n.id === id)) {
      status.textContent = T.build_bad_id;
      return;
    }
    const node = { id, op };
    if (data.ops[op].source) {
      const parsed = parseValue($("build-value").value.trim());
      if (!parsed) {
        status.textContent = T.value_invalid;
        return;
      }
      node.value = parsed.value;
    } else {
      node.inputs = data.ops[op].inputs.map((_, i) => $(`build-in-${i}`).value);
      const attrs = {};
      for (const field of data.ops[op].attrs) {
        const input = $(`build-attr-${field.name}`);
        if (field.kind === "bool") attrs[field.name] = input.checked;
        else if (input.value.trim() === "") attrs[field.name] = null;
        else attrs[field.name] = Number(input.value);
      }
      if (Object.keys(attrs).length) node.attrs = attrs;
      st.spec.output = id;
    }
    status.textContent = "";
    st.spec.nodes.push(node);
    delete $("build-id").dataset.typed;
    rerun({ structure: true });
  });
}

// --- start -------------------------------------------------------------------------------

if (st.spec) {
  if (st.result) {
    st.model = buildModel(st.spec, st.result, data.ops);
    st.s = total();
  }
  refresh();
  renderInputs();
  renderBuild();
}
document.documentElement.dataset.ready = "1";
