// The picture's size on the page. By default it fits the width of its box (never larger
// than drawn), so a phone shows the whole graph; "+" and "−" zoom around the middle of
// the view, "Fit" comes back. A zoomed graph pans by dragging with the mouse or by a
// finger (the box scrolls), and two fingers pinch it. The SVG keeps its viewBox: only
// its drawn size changes, so the server's picture stays the one source of every number.

const STEP = 1.25;
const MIN = 0.2;
const MAX = 4;
const DRAG_START = 5; // px a press must move before it pans rather than clicks

export function initZoom(page) {
  const canvas = page.canvas;
  const figure = canvas.closest(".graph-figure");
  const bar = figure?.querySelector(".zoom");
  if (!bar) return;
  const hint = bar.querySelector(".zoom-hint");
  const button = (name) => bar.querySelector(`[data-zoom="${name}"]`);
  let factor = null; // null: fitted to the width; else a factor of the drawn size

  const drawn = (svg) => ({
    w: Number(svg.getAttribute("width")) || 1,
    h: Number(svg.getAttribute("height")) || 1,
  });

  function room() {
    const style = getComputedStyle(canvas);
    return canvas.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  }

  const fitted = (svg) => Math.min(1, room() / drawn(svg).w);
  const current = (svg) => factor ?? fitted(svg);

  /** Size the picture for the current factor, keeping the point at `centre` (fractions of
   * the scrolled content) in the middle of the view. */
  function apply(centre = null) {
    const svg = page.svg();
    if (!svg) return;
    if (room() <= 0) return; // not laid out (hidden): keep the drawn size until it shows
    const size = drawn(svg);
    const f = current(svg);
    svg.style.width = `${size.w * f}px`;
    svg.style.height = `${size.h * f}px`;
    if (centre) {
      canvas.scrollLeft = centre.x * canvas.scrollWidth - canvas.clientWidth / 2;
      canvas.scrollTop = centre.y * canvas.scrollHeight - canvas.clientHeight / 2;
    }
    // The sign that there is more to see: wider than the box, the graph can be moved.
    const beyond = canvas.scrollWidth > canvas.clientWidth + 1;
    figure.classList.toggle("zoomed", beyond);
    if (hint) hint.hidden = !beyond;
    button("fit").setAttribute("aria-pressed", String(factor === null));
    button("in").disabled = f >= MAX;
    button("out").disabled = f <= MIN;
  }

  function middle() {
    return {
      x: (canvas.scrollLeft + canvas.clientWidth / 2) / canvas.scrollWidth,
      y: (canvas.scrollTop + canvas.clientHeight / 2) / canvas.scrollHeight,
    };
  }

  function zoomTo(f) {
    const svg = page.svg();
    if (!svg) return;
    const centre = middle();
    factor = Math.max(MIN, Math.min(MAX, f));
    apply(centre);
  }

  bar.addEventListener("click", (event) => {
    const which = event.target.closest("[data-zoom]")?.dataset.zoom;
    const svg = page.svg();
    if (!which || !svg) return;
    if (which === "fit") {
      factor = null;
      apply();
    } else {
      zoomTo(current(svg) * (which === "in" ? STEP : 1 / STEP));
    }
  });

  // A trackpad's pinch arrives as a wheel event with Ctrl held; a plain wheel scrolls.
  canvas.addEventListener(
    "wheel",
    (event) => {
      const svg = page.svg();
      if (!event.ctrlKey || !svg) return;
      event.preventDefault();
      zoomTo(current(svg) * Math.exp(-event.deltaY / 200));
    },
    { passive: false },
  );

  // Dragging with a mouse pans a zoomed graph; a click that did not move stays a click
  // (on an input it opens the editor). Fingers scroll the box themselves.
  const pointers = new Map();
  let drag = null;
  let pinch = null;

  canvas.addEventListener("pointerdown", (event) => {
    pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
    if (pointers.size === 2 && page.svg()) {
      const [a, b] = [...pointers.values()];
      pinch = { distance: Math.hypot(a.x - b.x, a.y - b.y), from: current(page.svg()) };
      drag = null;
      return;
    }
    if (event.pointerType !== "mouse" || event.button !== 0) return;
    drag = {
      id: event.pointerId,
      x: event.clientX,
      y: event.clientY,
      left: canvas.scrollLeft,
      top: canvas.scrollTop,
      moving: false,
    };
  });

  canvas.addEventListener("pointermove", (event) => {
    if (pointers.has(event.pointerId)) {
      pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
    }
    if (pinch && pointers.size === 2) {
      const [a, b] = [...pointers.values()];
      const distance = Math.hypot(a.x - b.x, a.y - b.y);
      if (pinch.distance > 0) zoomTo(pinch.from * (distance / pinch.distance));
      return;
    }
    if (!drag || drag.id !== event.pointerId) return;
    const dx = event.clientX - drag.x;
    const dy = event.clientY - drag.y;
    if (!drag.moving && Math.hypot(dx, dy) < DRAG_START) return;
    const scrolls =
      canvas.scrollWidth > canvas.clientWidth || canvas.scrollHeight > canvas.clientHeight;
    if (!scrolls) return;
    if (!drag.moving) {
      drag.moving = true;
      canvas.setPointerCapture(event.pointerId);
      canvas.classList.add("panning");
    }
    canvas.scrollLeft = drag.left - dx;
    canvas.scrollTop = drag.top - dy;
  });

  // The click that ends a drag is not a click on what lies under the pointer.
  let panned = false;
  canvas.addEventListener(
    "click",
    (event) => {
      if (panned) event.stopPropagation();
    },
    { capture: true },
  );

  function release(event) {
    pointers.delete(event.pointerId);
    if (pointers.size < 2) pinch = null;
    if (!drag || drag.id !== event.pointerId) return;
    if (drag.moving) {
      canvas.classList.remove("panning");
      panned = true;
      setTimeout(() => {
        panned = false;
      }, 0);
    }
    drag = null;
  }
  canvas.addEventListener("pointerup", release);
  canvas.addEventListener("pointercancel", release);

  // Fitted, the picture follows its box (a phone turned, a window resized).
  new ResizeObserver(() => {
    if (factor === null) apply();
  }).observe(canvas);

  // A new picture (an edited graph) keeps the zoom the learner chose.
  let shown = null;
  page.onPaint(() => {
    if (page.svg() !== shown) {
      shown = page.svg();
      apply();
    }
  });
  shown = page.svg();
  apply();
}
