// The book's code beside the graph: the layer class that runs at this stage, its running
// lines highlighted, the live numbers beside dout, dx, self.mask, dW. Everything is the
// server's (view.code, app/drawing/code.py); this places it. In a quiz, a gradient not yet
// answered shows "?".

import { $, el } from "./dom.js";

export function initCode(page) {
  const box = $("code");
  if (!box) return;
  const idle = box.innerHTML;

  page.onPaint(() => {
    const code = page.st.view?.code;
    const stage = code?.stages?.[page.st.s];
    const phase = $("code-phase");
    const vars = $("code-vars");
    if (!stage) {
      if (box.dataset.op) box.innerHTML = idle;
      delete box.dataset.op;
      delete box.dataset.phase;
      phase.textContent = "";
      vars.replaceChildren();
      return;
    }
    const cls = code.classes[stage.op];
    const hide = page.quizHides ? page.quizHides(page.st.s) : false;
    const doutHidden = page.quizHidesDout ? page.quizHidesDout(page.st.s) : false;
    const masked = (v) => hide && v.grad && (v.name !== "dout" || doutHidden);
    const runs = new Set(stage.marks);
    box.dataset.op = stage.op;
    box.dataset.phase = stage.phase;
    box.replaceChildren(
      ...cls.lines.map((text, i) => {
        const note = stage.notes[String(i)];
        const line = el("span", { class: runs.has(i) ? "line run" : "line", "data-line": String(i) }, text);
        if (note && !(hide && stage.phase === "backward")) line.append(el("span", { class: "note", text: `  # ${note}` }));
        return line;
      }),
    );
    const key = stage.phase === "forward" ? "code_phase_forward" : "code_phase_backward";
    phase.textContent = page.T[key].replace("{name}", cls.name);
    vars.replaceChildren(
      ...stage.vars.map((v) =>
        el("li", { class: v.grad ? "grad" : "" }, el("code", { text: v.name }), ` = ${masked(v) ? page.st.view.pending : v.text}`),
      ),
    );
    const run = box.querySelector(".line.run");
    if (run) box.scrollTop = Math.max(0, run.offsetTop - box.offsetTop - 8);
  });
}
