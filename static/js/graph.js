// The steps of a run and how the picture shows them.
//
// A run is a list of steps: one forward step per operation (in the engine's order), then
// the seed (dout at the output), then one backward step per operation, in reverse.
// Stage s means "the first s steps are done". The picture shows a number only once the
// step that computes it is done; until then it shows "?", never 0.

import { cells, colour, full, grid, isScalar, shapeOf, shapeText, short } from "./numbers.js";

export const edgeKey = (source, target, index) => `${source}\u0000${target}\u0000${index}`;

/** The steps of `result` for `spec`; `catalog` is the op catalog the page was given. */
export function buildModel(spec, result, catalog) {
  const specNodes = new Map(spec.nodes.map((n) => [n.id, n]));
  const nodes = new Map(result.nodes.map((n) => [n.id, n]));
  const edges = new Map(result.edges.map((e) => [edgeKey(e.source, e.target, e.index), e]));
  const consumers = new Map(result.order.map((id) => [id, []]));
  for (const e of result.edges) consumers.get(e.source).push(e);
  const isSource = (id) => catalog[nodes.get(id).op].source;
  const ops = result.order.filter((id) => !isSource(id));
  // Only the output's ancestors take part in the backward pass.
  const ancestors = new Set([result.output]);
  const todo = [result.output];
  while (todo.length) {
    for (const src of nodes.get(todo.pop()).inputs) {
      if (!ancestors.has(src)) {
        ancestors.add(src);
        todo.push(src);
      }
    }
  }
  const steps = [
    ...ops.map((id) => ({ kind: "forward", node: id })),
    { kind: "seed", node: result.output },
    ...ops.filter((id) => ancestors.has(id)).reverse().map((id) => ({ kind: "backward", node: id })),
  ];
  return { spec, specNodes, result, nodes, edges, consumers, ops, steps, forwardCount: ops.length, isSource };
}

/** What is known after the first `s` steps. */
export function knowledge(model, s) {
  const total = model.steps.length;
  const computed = new Set(model.result.order.filter(model.isSource));
  const backDone = new Set();
  let seeded = false;
  model.steps.slice(0, s).forEach((step) => {
    if (step.kind === "forward") computed.add(step.node);
    else if (step.kind === "seed") seeded = true;
    else backDone.add(step.node);
  });
  const done = s >= total;
  const gradOfEdge = (e) => done || backDone.has(e.target);
  const gradOfNode = (id) => {
    if (done) return true;
    if (id === model.result.output && seeded) return true;
    const out = model.consumers.get(id) || [];
    return out.length > 0 && out.every((e) => backDone.has(e.target));
  };
  return { computed, backDone, seeded, done, gradOfEdge, gradOfNode, current: s > 0 ? model.steps[s - 1] : null };
}

export function stateOf(model, s) {
  const f = model.forwardCount;
  const total = model.steps.length;
  if (s <= 0) return { key: "none" };
  if (s < f) return { key: "forward", k: s, n: f };
  if (s === f) return { key: "forward-done" };
  if (s < total) return { key: "backward", k: s - f, n: total - f };
  return { key: "backward-done" };
}

function fillText(el, value, known, noGrad) {
  if (!el) return;
  if (noGrad) {
    el.textContent = "–";
    return;
  }
  el.textContent = known ? short(Number(value)) : "?";
  el.classList.toggle("pending", !known);
}

function fillHeat(group, value, known) {
  if (!group) return;
  group.classList.toggle("pending", !known);
  const rects = group.querySelectorAll("rect.cell");
  if (!known) {
    rects.forEach((r) => r.removeAttribute("fill"));
    return;
  }
  const shape = shapeOf(value);
  const flat = cells(value, shape);
  const scale = flat.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  rects.forEach((r, i) => r.setAttribute("fill", colour(flat[i], scale)));
}

function fillSlot(g, cls, value, known, noGrad) {
  const el = g.querySelector(`:scope > .${cls}`);
  if (!el) return;
  if (el.tagName.toLowerCase() === "text") fillText(el, value, known, noGrad);
  else fillHeat(el, value, known);
}

function describe(words, what, value, known, noGrad) {
  if (noGrad) return `${words[what]}: ${words.no_gradient}`;
  return `${words[what]}: ${known ? full(value) : words.not_computed}`;
}

/** Paint stage `s` of `model` onto the server-drawn `svg`. */
export function paint(svg, model, s, words) {
  const know = knowledge(model, s);
  const out = model.nodes.get(model.result.output);
  for (const g of svg.querySelectorAll("g.edge")) {
    const source = g.dataset.source;
    let value, grad, valueKnown, gradKnown, head;
    if (!g.dataset.target) {
      value = out.value;
      grad = out.grad;
      valueKnown = know.computed.has(out.id);
      gradKnown = know.done || know.seeded;
      head = `${source} → (${words.output})`;
    } else {
      const e = model.edges.get(edgeKey(source, g.dataset.target, g.dataset.index));
      if (!e) continue;
      value = e.value;
      grad = e.grad;
      valueKnown = know.computed.has(source);
      gradKnown = know.gradOfEdge(e);
      const where = words.input_of.replace("{index}", e.index).replace("{target}", e.target);
      head = `${source} → ${e.target} (${where})`;
    }
    const noGrad = grad === null && gradKnown;
    fillSlot(g, "val", value, valueKnown, false);
    fillSlot(g, "grad", grad, gradKnown && !noGrad, noGrad);
    const back = g.querySelector(":scope > .back");
    if (back) back.classList.toggle("pending", !gradKnown || noGrad);
    g.querySelector(":scope > title").textContent =
      `${head}\n${describe(words, "value", value, valueKnown, false)}\n` +
      describe(words, "gradient", grad, gradKnown, noGrad);
  }
  for (const g of svg.querySelectorAll("g.node")) {
    const n = model.nodes.get(g.dataset.node);
    if (!n) continue;
    const valueKnown = know.computed.has(n.id);
    const gradKnown = know.gradOfNode(n.id);
    const title = g.querySelector(":scope > title");
    const firstLine = title.textContent.split("\n")[0];
    title.textContent =
      `${firstLine}\n${describe(words, "value", n.value, valueKnown, false)}\n` +
      describe(words, "gradient", n.grad, gradKnown, n.grad === null && gradKnown);
    g.classList.toggle("current", know.current !== null && know.current.node === n.id);
  }
  svg.dataset.state = stateOf(model, s).key;
}

// --- the local rules ------------------------------------------------------------------

function fill(template, tokens) {
  return template.replace(/\{(\w+)\}/g, (_, name) => (name in tokens ? tokens[name] : `{${name}}`));
}

function numberOrShape(value) {
  return isScalar(value) ? short(Number(value)) : shapeText(shapeOf(value));
}

/** Lines explaining step `s - 1`: the rule in names, then with its numbers. */
export function localRule(model, s, ops, texts) {
  const step = s > 0 ? model.steps[s - 1] : null;
  if (!step) return null;
  const n = model.nodes.get(step.node);
  const names = { out: n.id, dout: "dout" };
  const nums = { out: numberOrShape(n.value), dout: n.grad === null ? "–" : numberOrShape(n.grad) };
  const op = ops[n.op];
  const inputNames = op.inputs;
  inputNames.forEach((name, i) => {
    const src = model.nodes.get(n.inputs[i]);
    names[name] = src.id;
    nums[name] = numberOrShape(src.value);
  });
  // An attr's placeholder shows its value: {exponent} -> 2, {axis} -> None.
  const attrs = (model.specNodes.get(n.id) || {}).attrs || {};
  for (const field of op.attrs) {
    const value = field.name in attrs && attrs[field.name] !== null ? attrs[field.name] : field.start;
    const written = value === null || value === undefined ? "None" : typeof value === "boolean" ? (value ? "True" : "False") : short(Number(value));
    names[field.name] = nums[field.name] = written;
  }
  const allScalar = (template) =>
    [...template.matchAll(/\{(\w+)\}/g)].every(([, k]) => !String(nums[k]).startsWith("("));
  const lines = [];
  if (step.kind === "forward") {
    lines.push({ cls: "step-title", text: texts.rule_forward.replace("{node}", n.id) });
    const template = op.forward;
    let text = `${n.id} = ${fill(template, names)}`;
    if (allScalar(template)) text += ` = ${fill(template, nums)}`;
    lines.push({ cls: "rule", text: `${text} = ${numberOrShape(n.value)}` });
    return lines;
  }
  if (step.kind === "seed") {
    lines.push({ cls: "step-title", text: texts.rule_seed.replace("{node}", n.id).replace("{dout}", numberOrShape(n.grad)) });
    return lines;
  }
  lines.push({ cls: "step-title", text: texts.rule_backward.replace("{node}", n.id) });
  lines.push({ cls: "rule grad", text: texts.rule_dout.replace("{value}", nums.dout) });
  const templates = op.backward;
  n.inputs.forEach((srcId, i) => {
    const e = model.edges.get(edgeKey(srcId, n.id, i));
    const template = templates[i];
    if (!e) return;
    if (e.grad === null || template === null) {
      lines.push({ cls: "rule", text: texts.rule_labels.replace("{node}", srcId) });
      return;
    }
    let text = `∂L/∂${srcId} = ${fill(template || "?", names)}`;
    if (template && allScalar(template)) text += ` = ${fill(template, nums)}`;
    lines.push({ cls: "rule grad", text: `${text} = ${numberOrShape(e.grad)}` });
  });
  // A node whose every consumer is now done, fed into several: the Repeat rule.
  const know = knowledge(model, s);
  for (const srcId of new Set(n.inputs)) {
    const out = model.consumers.get(srcId) || [];
    if (out.length < 2 || !know.gradOfNode(srcId)) continue;
    const src = model.nodes.get(srcId);
    const parts = out.map((e) => numberOrShape(e.grad)).join(" + ");
    const sum = `∂L/∂${srcId} = ${parts} = ${numberOrShape(src.grad)}`;
    lines.push({ cls: "rule grad", text: texts.rule_fanout.replace("{node}", srcId).replace("{count}", out.length).replace("{sum}", sum) });
  }
  return lines;
}

/** The shapes the picture was drawn for, to notice when a new result needs a new layout. */
export function shapesOf(result) {
  return Object.fromEntries(result.nodes.map((n) => [n.id, shapeText(n.shape)]));
}

export { grid };
