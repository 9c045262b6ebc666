// The step-through: stage s means "the first s steps of the run are done". The server's
// view (app/drawing/view.py) says from which stage each number is known and gives every
// text to show then; painting a stage only picks between those texts and the view's "?".

const edgeKey = (source, target, index) => `${source}\u0000${target}\u0000${index}`;

/** The view's arrows by the data attributes of the SVG's g.edge. */
export function edgesOf(view) {
  return new Map(view.edges.map((e) => [edgeKey(e.source, e.target, e.index), e]));
}

export function edgeOf(edges, g) {
  return edges.get(edgeKey(g.dataset.source, g.dataset.target, g.dataset.index));
}

/** 0: nothing known yet, 1: the value, 2: the value and the gradient. */
export const levelOf = (entry, s) => (s >= entry.value_at) + (s >= entry.grad_at);

function paintSlot(slotEl, slot, known, pending) {
  if (!slotEl) return;
  const shown = known && slot !== undefined;
  if (slotEl.tagName.toLowerCase() === "text") {
    slotEl.textContent = shown ? slot.label : pending;
    slotEl.classList.toggle("pending", !shown);
    return;
  }
  // a heatmap: its colours, its numbers (small arrays) or hatching (the negative cells
  // of larger ones), its key; all as the server wrote them
  const cells = shown ? slot.cells : null;
  slotEl.classList.toggle("pending", !cells);
  slotEl.querySelectorAll("rect.cell").forEach((rect, i) => {
    if (cells) rect.setAttribute("fill", cells[i]);
    else rect.removeAttribute("fill");
  });
  slotEl.querySelectorAll("text.num").forEach((text, i) => {
    text.textContent = cells && slot.numbers ? slot.numbers[i] : "";
    text.setAttribute("class", cells && slot.inks ? `num ink-${slot.inks[i]}` : "num");
  });
  slotEl.querySelector(":scope > .hatch")?.setAttribute("d", (cells && slot.negatives) || "");
  const scale = slotEl.querySelector(".key .scale");
  if (scale) scale.textContent = cells ? slot.key : pending;
}

/** Paint stage `s` of `view` onto the server-drawn `svg`. */
export function paint(svg, view, edges, s) {
  const stage = view.stages[s];
  for (const g of svg.querySelectorAll("g.edge")) {
    const e = edgeOf(edges, g);
    const valueKnown = e !== undefined && s >= e.value_at;
    const gradKnown = e !== undefined && s >= e.grad_at;
    paintSlot(g.querySelector(":scope > .val"), e?.value, valueKnown, view.pending);
    paintSlot(g.querySelector(":scope > .grad"), e?.grad, gradKnown, view.pending);
    g.querySelector(":scope > .back")?.classList.toggle("pending", !gradKnown || e.grad.none === true);
    if (e) g.querySelector(":scope > title").textContent = e.titles[levelOf(e, s)];
  }
  for (const g of svg.querySelectorAll("g.node")) {
    const n = view.nodes[g.dataset.node];
    if (n) g.querySelector(":scope > title").textContent = n.titles[levelOf(n, s)];
    g.classList.toggle("current", stage.current === g.dataset.node);
  }
  svg.dataset.state = stage.state;
}

/** Which toolbar actions can act at the page's stage: none while the graph cannot run. */
export function actionsThatAct(page) {
  const view = page.st.view;
  const s = page.st.s;
  const total = page.total();
  const ran = Boolean(view?.ran) && total > 0;
  return {
    reset: ran && s > 0,
    back: ran && s > 0,
    step: ran && s < total,
    forward: ran && s !== view.forward_count,
    backward: ran && s < total,
    play: ran,
  };
}

/** Disable every button that cannot act; the highlighted one is always one that acts:
 * Step while there is a step to take, then Reset. */
export function updateControls(page) {
  const can = actionsThatAct(page);
  const primary = can.step ? "step" : can.reset ? "reset" : null;
  let lostFocus = false;
  document.querySelectorAll(".toolbar [data-action]").forEach((button) => {
    const action = button.dataset.action;
    const disabled = !can[action];
    if (disabled && document.activeElement === button) lostFocus = true;
    button.disabled = disabled;
    button.classList.toggle("primary", action === primary);
  });
  // A button that just stopped acting hands the keyboard's focus to the one that does.
  if (lostFocus && primary) document.querySelector(`.toolbar [data-action="${primary}"]`).focus();
}

/** The toolbar's buttons and the arrow keys; `page.go(s)` paints a stage. */
export function initStepper(page) {
  let timer = null;
  const playButton = document.querySelector('[data-action="play"]');

  function stop() {
    if (timer) clearInterval(timer);
    timer = null;
    if (playButton) {
      playButton.textContent = playButton.dataset.play;
      playButton.setAttribute("aria-pressed", "false");
    }
  }

  function play() {
    if (timer) return stop();
    if (!page.st.view?.ran) return;
    if (page.st.s >= page.total()) page.go(0);
    playButton.textContent = playButton.dataset.pause;
    playButton.setAttribute("aria-pressed", "true");
    timer = setInterval(() => {
      if (page.st.s >= page.total()) return stop();
      page.go(page.st.s + 1);
    }, Number(document.documentElement.dataset.playMs) || 700); // present.js sets the speed
  }

  const actions = {
    reset: () => page.go(0),
    back: () => page.go(page.st.s - 1),
    step: () => page.go(page.st.s + 1),
    forward: () => page.go(page.st.view ? page.st.view.forward_count : 0),
    backward: () => page.go(page.total()),
    play,
  };

  document.querySelectorAll(".toolbar [data-action]").forEach((button) => {
    button.addEventListener("click", () => {
      if (button.dataset.action !== "play") stop();
      actions[button.dataset.action]();
    });
  });

  document.addEventListener("keydown", (event) => {
    const t = event.target;
    if (t.closest && t.closest("input, textarea, select, [contenteditable], .editor")) return;
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const keys = { ArrowRight: "step", ArrowLeft: "back", Home: "reset", End: "backward" };
    if (keys[event.key]) {
      event.preventDefault();
      stop();
      actions[keys[event.key]]();
    }
  });
}
