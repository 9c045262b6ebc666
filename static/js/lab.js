// The training lab: post the form to /api/train and redraw the three figures.
// The drawing mirrors app/drawing/training.py (same sizes, classes and markers): change
// both together. Every text goes in with textContent or as an SVG attribute, never as HTML.

const SVG_NS = "http://www.w3.org/2000/svg";
const CURVE_WIDTH = 420;
const CURVE_HEIGHT = 220;
const CURVE_MARGIN = { left: 48, right: 14, top: 12, bottom: 38 };
const PLOT_SIZE = 360;
const PLOT_MARGIN = 8;
const LEGEND_HEIGHT = 30;
const MARKER = 3.4;
const MARKERS = ["o", "x", "^"];
const INTEGER_FIELDS = ["hidden_size", "max_epoch", "batch_size", "seed"];

const data = JSON.parse(document.getElementById("lab-data").textContent);
const words = data.words;
const form = document.getElementById("lab-form");
const button = document.getElementById("lab-train");
const status = document.getElementById("lab-status");
const errorBanner = document.getElementById("lab-error");
const errorText = document.getElementById("lab-error-text");
const results = document.querySelector(".lab-results");

function n(x) {
  const text = x.toFixed(1).replace(/\.0$/, "");
  return text === "-0" ? "0" : text;
}

function tickLabel(value) {
  const text = String(Number(value.toPrecision(4)));
  return text === "-0" ? "0" : text;
}

export function niceStep(span, parts = 4) {
  if (!Number.isFinite(span) || span <= 0) return 1;
  const raw = span / parts;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  for (const factor of [1, 2, 5, 10]) {
    if (factor * magnitude >= raw) return factor * magnitude;
  }
  return 10 * magnitude;
}

function el(name, attrs = {}, text = null) {
  const node = document.createElementNS(SVG_NS, name);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  if (text !== null) node.textContent = text;
  return node;
}

function svgRoot(width, height, className, title) {
  const svg = el("svg", {
    class: `lab-svg ${className}`,
    viewBox: `0 0 ${width} ${height}`,
    width,
    height,
    role: "img",
    "aria-label": title,
  });
  svg.append(el("title", {}, title));
  return svg;
}

/** One value per epoch: kind "loss" (y from 0 up) or "accuracy" (0..1). */
export function curveSvg(values, kind) {
  const epochs = values.length;
  const left = CURVE_MARGIN.left;
  const right = CURVE_WIDTH - CURVE_MARGIN.right;
  const top = CURVE_MARGIN.top;
  const bottom = CURVE_HEIGHT - CURVE_MARGIN.bottom;
  const finite = values.filter(Number.isFinite);
  const highest = finite.length ? Math.max(...finite) : 1;
  let yTop;
  let yStep;
  if (kind === "accuracy") {
    yTop = 1;
    yStep = 0.25;
  } else {
    yStep = niceStep(highest);
    yTop = Math.max(yStep, Math.ceil(highest / yStep) * yStep);
  }
  const xEnd = Math.max(epochs, 1);
  const xStep = niceStep(xEnd, 5);
  const sx = (epoch) => left + ((right - left) * epoch) / xEnd;
  const sy = (value) => bottom - ((bottom - top) * Math.min(Math.max(value, 0), yTop)) / yTop;

  const svg = svgRoot(CURVE_WIDTH, CURVE_HEIGHT, "lab-curve", words[`${kind}_title`]);
  svg.dataset.kind = kind;
  svg.dataset.epochs = String(epochs);
  for (let k = 0; k * yStep <= yTop + 1e-9; k++) {
    const y = n(sy(k * yStep));
    svg.append(el("line", { class: "grid", x1: left, x2: right, y1: y, y2: y }));
    svg.append(
      el(
        "text",
        { class: "tick", x: left - 6, y, "text-anchor": "end", "dominant-baseline": "middle" },
        tickLabel(k * yStep),
      ),
    );
  }
  for (let k = 0; k * xStep <= xEnd + 1e-9; k++) {
    const x = n(sx(k * xStep));
    svg.append(el("line", { class: "axis", x1: x, x2: x, y1: bottom, y2: bottom + 4 }));
    svg.append(
      el("text", { class: "tick", x, y: bottom + 16, "text-anchor": "middle" }, tickLabel(k * xStep)),
    );
  }
  svg.append(el("path", { class: "axis", d: `M${left},${top}V${bottom}H${right}` }));
  svg.append(
    el(
      "text",
      { class: "label", x: Math.round((left + right) / 2), y: CURVE_HEIGHT - 4, "text-anchor": "middle" },
      words.epoch,
    ),
  );
  svg.append(
    el(
      "text",
      {
        class: "label",
        transform: `translate(12 ${Math.round((top + bottom) / 2)}) rotate(-90)`,
        "text-anchor": "middle",
      },
      words[kind],
    ),
  );
  if (epochs) {
    const points = values.map((v, i) => `${n(sx(i + 1))},${n(sy(v))}`);
    svg.append(el("path", { class: `curve curve-${kind}`, d: `M${points.join("L")}` }));
  }
  return svg;
}

function marker(cls, x, y, s = MARKER) {
  const k = cls % MARKERS.length;
  const attrs = { class: `pt c${k}`, "data-class": cls, "data-marker": MARKERS[k] };
  if (k === 0) return el("circle", { ...attrs, cx: n(x), cy: n(y), r: n(s) });
  if (k === 1) {
    const d =
      `M${n(x - s)},${n(y - s)}L${n(x + s)},${n(y + s)}` +
      `M${n(x - s)},${n(y + s)}L${n(x + s)},${n(y - s)}`;
    return el("path", { ...attrs, d });
  }
  const points = `${n(x)},${n(y - 1.2 * s)} ${n(x + s)},${n(y + 0.8 * s)} ${n(x - s)},${n(y + 0.8 * s)}`;
  return el("polygon", { ...attrs, points });
}

/** Every grid cell as a rect coloured by its predicted class, the data on top, a legend. */
export function boundarySvg(boundary, points, labels) {
  const { nx, ny, classes, x_min: xMin, x_max: xMax, y_min: yMin, y_max: yMax } = boundary;
  const left = PLOT_MARGIN;
  const top = PLOT_MARGIN;
  const size = PLOT_SIZE;
  const width = size + 2 * PLOT_MARGIN;
  const height = size + 2 * PLOT_MARGIN + LEGEND_HEIGHT;
  const svg = svgRoot(width, height, "lab-boundary", words.boundary_title);
  const cells = el("svg", {
    class: "cells",
    "aria-hidden": "true",
    x: left,
    y: top,
    width: size,
    height: size,
    viewBox: `0 0 ${nx} ${ny}`,
    preserveAspectRatio: "none",
    "shape-rendering": "crispEdges",
  });
  classes.forEach((row, j) => {
    row.forEach((cls, i) => {
      cells.append(
        el("rect", { class: `cell c${cls % MARKERS.length}`, x: i, y: ny - 1 - j, width: 1, height: 1 }),
      );
    });
  });
  svg.append(cells);
  svg.append(el("rect", { class: "axis", x: left, y: top, width: size, height: size }));
  const xSpan = xMax - xMin || 1;
  const ySpan = yMax - yMin || 1;
  const group = el("g", { class: "points" });
  points.forEach(([px, py], index) => {
    const cx = left + ((px - xMin) / xSpan) * size;
    const cy = top + ((yMax - py) / ySpan) * size;
    group.append(marker(labels[index], cx, cy));
  });
  svg.append(group);
  const legend = el("g", { class: "legend" });
  const legendY = top + size + PLOT_MARGIN + LEGEND_HEIGHT / 2;
  [...new Set(labels)]
    .sort((a, b) => a - b)
    .forEach((cls, position) => {
      const lx = left + 10 + position * 110;
      legend.append(marker(cls, lx, legendY, 4.5));
      const name = words.class.replace("{k}", String(cls));
      legend.append(
        el(
          "text",
          { class: "label", x: lx + 10, y: Math.round(legendY), "dominant-baseline": "middle" },
          `${name} (${MARKERS[cls % MARKERS.length]})`,
        ),
      );
    });
  svg.append(legend);
  return svg;
}

function readForm() {
  const body = {};
  for (const [key, raw] of new FormData(form).entries()) {
    const text = String(raw).trim();
    if (key === "dataset" || key === "optimizer") body[key] = text;
    else if (text === "") body[key] = null;
    else body[key] = Number(text); // "abc" becomes NaN, sent as null: the API names the field
  }
  for (const key of INTEGER_FIELDS) {
    if (Number.isNaN(body[key])) body[key] = null;
  }
  if (Number.isNaN(body.lr)) body.lr = null;
  return body;
}

function showError(message) {
  errorText.textContent = message;
  errorBanner.hidden = false;
}

function setBusy(busy) {
  button.disabled = busy;
  results.classList.toggle("lab-busy", busy);
  status.dataset.state = busy ? "training" : "";
  if (busy) status.textContent = data.texts.training;
}

function draw(result) {
  document.getElementById("loss-chart").replaceChildren(curveSvg(result.loss, "loss"));
  document.getElementById("accuracy-chart").replaceChildren(curveSvg(result.accuracy, "accuracy"));
  document
    .getElementById("boundary-chart")
    .replaceChildren(boundarySvg(result.boundary, result.points.x, result.points.labels));
  document.getElementById("final-loss").textContent = result.final_loss.toFixed(4);
  document.getElementById("final-accuracy").textContent = `${(100 * result.final_accuracy).toFixed(1)}%`;
  status.textContent = data.texts.trained.replace("{epochs}", String(result.loss.length));
}

async function train(event) {
  event.preventDefault();
  const body = readForm();
  errorBanner.hidden = true;
  setBusy(true);
  try {
    let response;
    try {
      response = await fetch(data.urls.train, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
    } catch (error) {
      showError(data.texts.error_network.replace("{message}", String(error.message || error)));
      status.textContent = "";
      return;
    }
    const payload = await response.json().catch(() => null);
    if (!response.ok) {
      showError(payload && payload.detail ? payload.detail : `HTTP ${response.status}`);
      status.textContent = "";
      return;
    }
    draw(payload);
    // The address keeps the settings: a reload or a shared link shows the same run.
    const url = new URL(location.href);
    for (const [key, value] of Object.entries(body)) url.searchParams.set(key, String(value));
    history.replaceState(null, "", url);
  } finally {
    setBusy(false);
  }
}

form.addEventListener("submit", train);
document.documentElement.dataset.ready = "1";
