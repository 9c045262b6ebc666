// The training lab, live: post the form to the page's stream (POST /lab/stream) and show
// the run as it arrives. No drawing and no number formatting here: app/drawing/training.py
// draws every figure and gives each new point in the figure's own coordinates, and the
// server writes every number; the page swaps in figures, appends the points it is given
// and keeps what it was sent so that the scrubber can look back.
//
// Events are played at most the server's `per_frame` epochs per animation frame (a run of
// 300 epochs plays in about five seconds, even when the server trained it in a third of
// one); pause stops the playing, one epoch plays one, the scrubber shows a recorded epoch.
// A failed request leaves no run on the page, as GET /lab does for settings it refuses:
// the old numbers beside the error would read as the answer to the new settings.

const INTEGER_FIELDS = ["hidden_size", "max_epoch", "batch_size", "seed"];
const TEXT_FIELDS = ["dataset", "optimizer", "activation"];

const data = JSON.parse(document.getElementById("lab-data").textContent);
const form = document.getElementById("lab-form");
const button = document.getElementById("lab-train");
const pauseButton = document.getElementById("lab-pause");
const stepButton = document.getElementById("lab-step");
const resetButton = document.getElementById("lab-reset");
const scrub = document.getElementById("lab-scrub");
const scrubEpoch = document.getElementById("lab-scrub-epoch");
const status = document.getElementById("lab-status");
const errorBanner = document.getElementById("lab-error");
const errorText = document.getElementById("lab-error-text");
const figures = document.getElementById("lab-figures");
const hint = document.getElementById("lab-hint");
const finalLoss = document.getElementById("final-loss");
const finalAccuracy = document.getElementById("final-accuracy");
const finalTestAccuracy = document.getElementById("final-test-accuracy");
const exploreLink = document.getElementById("lab-explore");
const datasetSelect = form.elements.namedItem("dataset");
const charts = {
  loss_svg: document.getElementById("loss-chart"),
  accuracy_svg: document.getElementById("accuracy-chart"),
  boundary_svg: document.getElementById("boundary-chart"),
  network_svg: document.getElementById("network-chart"),
};

/** The run on the page: what arrived, what was played, what the scrubber can show. */
let run = null;

function newRun() {
  return {
    controller: new AbortController(),
    queue: [], // events arrived, not played yet
    snapshots: [], // {epoch, cells, network}: the boundary's cells and the network's figure
    epochs: new Map(), // epoch -> its event (the numbers as text, the cursor's x)
    start: null,
    perFrame: 1,
    paused: false,
    arrived: false, // the stream has ended
    ended: false, // its end event was played
  };
}

function readForm() {
  const body = {};
  for (const [key, raw] of new FormData(form).entries()) {
    const text = String(raw).trim();
    if (TEXT_FIELDS.includes(key)) body[key] = text;
    else if (text === "") body[key] = null;
    else body[key] = Number(text); // "abc" becomes NaN, sent as null: the server names the field
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

/** The server's SVG text, parsed as XML (never as HTML). */
function parseSvg(svgText) {
  const doc = new DOMParser().parseFromString(svgText, "image/svg+xml");
  return document.importNode(doc.documentElement, true);
}

function swap(chart, svgText) {
  chart.replaceChildren(parseSvg(svgText));
}

/** Append the server's "x,y" to a curve's path. */
function extend(chart, selector, xy) {
  const path = chart.querySelector(selector);
  if (!path || !xy) return;
  const d = path.getAttribute("d") || "";
  path.setAttribute("d", d ? `${d}L${xy}` : `M${xy}`);
}

function showCells(cells) {
  const old = charts.boundary_svg.querySelector("svg.lab-boundary > svg.cells");
  if (old) old.replaceWith(cells.cloneNode(true));
}

function setCursor(x) {
  for (const chart of [charts.loss_svg, charts.accuracy_svg]) {
    const line = chart.querySelector("line.cursor");
    if (!line) continue;
    if (x === null) {
      line.setAttribute("visibility", "hidden");
    } else {
      line.setAttribute("x1", x);
      line.setAttribute("x2", x);
      line.setAttribute("visibility", "visible");
    }
  }
}

function showNumbers(event) {
  finalLoss.textContent = event ? event.loss : data.texts.no_value;
  finalAccuracy.textContent = event ? event.accuracy : data.texts.no_value;
  finalTestAccuracy.textContent = event ? event.test_accuracy : data.texts.no_value;
}

function setControls() {
  const live = run !== null && !run.ended;
  pauseButton.disabled = !live;
  pauseButton.textContent = run && run.paused ? data.texts.resume : data.texts.pause;
  pauseButton.setAttribute("aria-pressed", String(Boolean(run && run.paused)));
  stepButton.disabled = !live || !run.paused;
  resetButton.disabled = run === null;
  status.dataset.state = !run ? "" : run.ended ? "done" : run.paused ? "paused" : "training";
}

function updateScrub(follow) {
  const last = run.snapshots.length - 1;
  scrub.max = String(last < 0 ? 0 : last);
  scrub.disabled = last < 1;
  if (follow) {
    scrub.value = String(last);
    scrubEpoch.textContent = "";
  }
}

/** Play one event: the page shows what the server drew and wrote. */
function play(event) {
  if (event.type === "start") {
    run.start = event;
    run.perFrame = event.per_frame;
    swap(charts.loss_svg, event.loss_svg);
    swap(charts.accuracy_svg, event.accuracy_svg);
    figures.hidden = false;
    exploreLink.hidden = true; // until the run ends: the link takes the trained net
    status.textContent = event.status;
  } else if (event.type === "snapshot") {
    if (event.boundary_svg) swap(charts.boundary_svg, event.boundary_svg);
    else showCells(parseSvg(event.cells));
    swap(charts.network_svg, event.network_svg);
    const cells = charts.boundary_svg.querySelector("svg.lab-boundary > svg.cells");
    run.snapshots.push({
      epoch: event.epoch,
      cells: cells.cloneNode(true),
      network: event.network_svg,
    });
    updateScrub(true);
  } else if (event.type === "epoch") {
    if (event.loss_svg) swap(charts.loss_svg, event.loss_svg);
    else extend(charts.loss_svg, "path.curve-loss", event.loss_xy);
    extend(charts.accuracy_svg, "path.curve-accuracy", event.accuracy_xy);
    extend(charts.accuracy_svg, "path.curve-test", event.test_xy);
    run.epochs.set(event.epoch, event);
    showNumbers(event);
    status.textContent = event.status;
    figures.dataset.epoch = String(event.epoch);
  } else if (event.type === "end") {
    run.ended = true;
    // the whole run, drawn once more by the server: as a reload of the page shows it
    for (const [key, chart] of Object.entries(charts)) swap(chart, event[key]);
    finalLoss.textContent = event.final_loss;
    finalAccuracy.textContent = event.final_accuracy;
    finalTestAccuracy.textContent = event.final_test_accuracy;
    exploreLink.href = event.explorer_url;
    exploreLink.hidden = false;
    const note = [event.problem, event.hint].filter(Boolean).join(" ");
    hint.textContent = note;
    hint.hidden = !note;
    status.textContent = event.status;
    updateScrub(true);
  }
}

/** Play up to `epochs` epochs from the queue, with the snapshots and the end after them. */
function playEpochs(epochs) {
  let played = 0;
  while (run.queue.length) {
    const next = run.queue[0];
    if (next.type === "epoch" && played >= epochs) break;
    run.queue.shift();
    play(next);
    if (next.type === "epoch") played += 1;
  }
  return played;
}

function frame(current) {
  if (run !== current) return; // another run, or reset
  if (!run.paused) playEpochs(run.perFrame);
  setControls();
  if (!run.ended) requestAnimationFrame(() => frame(current));
}

/** Look back: the boundary, the numbers and the curves' cursor at a recorded epoch. */
function lookBack() {
  if (!run || !run.snapshots.length) return;
  const index = Number(scrub.value);
  const last = index === run.snapshots.length - 1;
  if (!last && !run.ended && !run.paused) {
    run.paused = true;
    setControls();
  }
  const { epoch, cells, network } = run.snapshots[index];
  showCells(cells);
  swap(charts.network_svg, network);
  const event = run.epochs.get(epoch);
  showNumbers(epoch === 0 ? null : event);
  setCursor(last ? null : epoch === 0 ? run.start.x : event.x);
  scrubEpoch.textContent = last ? "" : epoch === 0 ? run.start.epoch_status : event.status;
  figures.dataset.scrubbed = last ? "" : String(epoch);
}

/** No run on the page: the error beside it is the answer to the form's settings. */
function clearRun() {
  if (run) run.controller.abort();
  run = null;
  for (const chart of Object.values(charts)) chart.replaceChildren();
  figures.hidden = true;
  delete figures.dataset.epoch;
  showNumbers(null);
  hint.textContent = "";
  hint.hidden = true;
  status.textContent = "";
  scrub.value = "0";
  scrub.max = "0";
  scrub.disabled = true;
  scrubEpoch.textContent = "";
  setControls();
}

/** The chosen data set's own settings (the server's texts) into their boxes. */
function fillDefaults() {
  for (const [name, text] of Object.entries(data.defaults[datasetSelect.value] || {})) {
    const box = form.elements.namedItem(name);
    if (box) box.value = text;
  }
}

async function read(current, response) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let cut = buffer.indexOf("\n\n");
    while (cut >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      if (block.startsWith("data: ")) current.queue.push(JSON.parse(block.slice(6)));
      cut = buffer.indexOf("\n\n");
    }
  }
  current.arrived = true;
}

async function train(event) {
  event.preventDefault();
  const body = readForm();
  errorBanner.hidden = true;
  clearRun();
  const current = (run = newRun());
  status.textContent = data.texts.training;
  setControls();
  try {
    const response = await fetch(data.urls.stream, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
      signal: current.controller.signal,
    });
    if (!response.ok) {
      const payload = await response.json().catch(() => null);
      if (run !== current) return;
      showError(payload && payload.detail ? payload.detail : `HTTP ${response.status}`);
      clearRun();
      return;
    }
    // The address keeps the settings: a reload or a shared link shows the same run.
    const url = new URL(location.href);
    for (const [key, value] of Object.entries(body)) url.searchParams.set(key, String(value));
    history.replaceState(null, "", url);
    requestAnimationFrame(() => frame(current));
    await read(current, response);
  } catch (error) {
    if (current.controller.signal.aborted || run !== current) return; // reset or a new run
    showError(data.texts.error_network.replace("{message}", String(error.message || error)));
    clearRun();
  }
}

function togglePause() {
  if (!run || run.ended) return;
  run.paused = !run.paused;
  if (!run.paused) {
    // back to the latest epoch played
    scrub.value = scrub.max;
    lookBack();
  }
  setControls();
}

function stepOnce() {
  if (!run || !run.paused) return;
  scrub.value = scrub.max;
  lookBack();
  playEpochs(1);
  setControls();
}

function reset() {
  errorBanner.hidden = true;
  clearRun();
}

form.addEventListener("submit", train);
datasetSelect.addEventListener("change", fillDefaults);
pauseButton.addEventListener("click", togglePause);
stepButton.addEventListener("click", stepOnce);
resetButton.addEventListener("click", reset);
scrub.addEventListener("input", lookBack);
document.documentElement.dataset.ready = "1";
