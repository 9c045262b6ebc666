// Build your own: add, connect and delete nodes. What each op takes (its inputs, its attr
// fields, whether it holds a value) is the op catalog the server gave (data.ops).

import { $, el } from "./dom.js";
import { parseValue } from "./panels.js";

const ID_PATTERN = /^[\p{L}\p{N}_.\-]{1,64}$/u;

export function initBuilder(page) {
  const ops = page.data.ops;
  const T = page.T;
  const nodes = () => page.st.spec.nodes;

  function freshId(prefix) {
    const ids = new Set(nodes().map((n) => n.id));
    let k = 1;
    while (ids.has(`${prefix}_${k}`)) k++;
    return `${prefix}_${k}`;
  }

  function nodeSelect(id, label, chosen) {
    const select = el("select", { id, "aria-label": label });
    for (const n of nodes()) {
      const option = el("option", { value: n.id, text: n.id });
      if (n.id === chosen) option.selected = true;
      select.append(option);
    }
    return select;
  }

  function renderExtra() {
    const op = $("build-op").value;
    const box = $("build-extra");
    box.replaceChildren();
    if (!$("build-id").dataset.typed) $("build-id").value = freshId(ops[op].source ? "x" : op);
    if (ops[op].source) {
      const input = el("input", { id: "build-value", value: "1", spellcheck: "false" });
      box.append(el("div", { class: "field" }, el("label", { for: "build-value", text: T.build_value }), input));
      return;
    }
    const ids = nodes().map((n) => n.id);
    ops[op].inputs.forEach((name, i) => {
      const label = T.build_input.replace("{name}", name);
      const chosen = ids[Math.max(0, ids.length - ops[op].inputs.length + i)];
      const select = nodeSelect(`build-in-${i}`, label, chosen);
      box.append(el("div", { class: "field" }, el("label", { for: select.id, text: label }), select));
    });
    for (const field of ops[op].attrs) {
      const id = `build-attr-${field.name}`;
      const input =
        field.kind === "bool"
          ? el("input", { id, type: "checkbox" })
          : el("input", { id, value: field.start === null ? "" : String(field.start), size: "5" });
      if (field.kind === "bool") input.checked = Boolean(field.start);
      box.append(el("div", { class: "field" }, el("label", { for: id, text: field.label }), input));
    }
  }

  function render() {
    const list = $("build-nodes");
    // Drawn only while its panel is open: a big graph would need many thousand options.
    if (!list || !$("build-panel").open) return;
    list.replaceChildren();
    for (const node of nodes()) {
      const item = el("li", {}, el("span", { class: "nid", text: node.id }), el("span", { class: "nop", text: node.op }));
      (node.inputs || []).forEach((src, i) => {
        const label = `${node.id}: ${T.build_input.replace("{name}", (ops[node.op]?.inputs || [])[i] || i)}`;
        const select = nodeSelect(`conn-${node.id}-${i}`, label, src);
        if (!nodes().some((n) => n.id === src)) select.append(el("option", { value: src, text: `${src} ?`, selected: "" }));
        select.addEventListener("change", () => {
          node.inputs[i] = select.value;
          page.rerun({ structure: true });
        });
        item.append(select);
      });
      const name = T.build_delete.replace("{node}", node.id);
      const del = el("button", { type: "button", text: "✕", "aria-label": name, title: name });
      del.disabled = nodes().length <= 1; // a graph keeps at least one node
      del.addEventListener("click", () => {
        if (nodes().length <= 1) return;
        page.st.spec.nodes = nodes().filter((n) => n !== node);
        if (page.st.spec.output === node.id) page.st.spec.output = nodes()[nodes().length - 1].id;
        page.rerun({ structure: true });
      });
      item.append(del);
      list.append(item);
    }
    const output = $("build-output");
    output.replaceChildren(...nodes().map((n) => el("option", { value: n.id, text: n.id })));
    output.value = page.st.spec.output || nodes()[nodes().length - 1]?.id;
    renderExtra();
  }

  function add(event) {
    event.preventDefault();
    const op = $("build-op").value;
    const id = $("build-id").value.trim();
    const status = $("build-status");
    if (!ID_PATTERN.test(id) || nodes().some((n) => n.id === id)) {
      status.textContent = T.build_bad_id;
      return;
    }
    const node = { id, op };
    if (ops[op].source) {
      const parsed = parseValue($("build-value").value.trim());
      if (parsed.problem) {
        status.textContent = T[parsed.problem];
        return;
      }
      node.value = parsed.value;
    } else {
      node.inputs = ops[op].inputs.map((_, i) => $(`build-in-${i}`).value);
      const attrs = {};
      for (const field of ops[op].attrs) {
        const input = $(`build-attr-${field.name}`);
        if (field.kind === "bool") attrs[field.name] = input.checked;
        else if (input.value.trim() === "") attrs[field.name] = null;
        else attrs[field.name] = Number(input.value);
      }
      if (Object.keys(attrs).length) node.attrs = attrs;
      page.st.spec.output = id;
    }
    status.textContent = "";
    nodes().push(node);
    delete $("build-id").dataset.typed;
    page.rerun({ structure: true });
  }

  if ($("build-form")) {
    $("build-panel").addEventListener("toggle", render);
    $("build-op").addEventListener("change", renderExtra);
    $("build-id").addEventListener("input", () => ($("build-id").dataset.typed = "1"));
    $("build-output").addEventListener("change", () => {
      page.st.spec.output = $("build-output").value;
      page.rerun({ structure: true });
    });
    $("build-new").addEventListener("click", () => {
      page.st.spec = structuredClone(page.data.blank);
      page.rerun({ structure: true });
    });
    $("build-form").addEventListener("submit", add);
  }
  return { render };
}
