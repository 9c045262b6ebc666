// The training lab: post the form to the page's figures route and swap in what the server
// drew. No drawing and no number formatting here: app/drawing/training.py draws every
// figure and writes every number; the page only replaces the old ones with the new.
// A failed request leaves no run on the page, as GET /lab does for settings it refuses:
// the old numbers beside the error would read as the answer to the new settings.

const INTEGER_FIELDS = ["hidden_size", "max_epoch", "batch_size", "seed"];

const data = JSON.parse(document.getElementById("lab-data").textContent);
const form = document.getElementById("lab-form");
const button = document.getElementById("lab-train");
const status = document.getElementById("lab-status");
const errorBanner = document.getElementById("lab-error");
const errorText = document.getElementById("lab-error-text");
const results = document.querySelector(".lab-results");
const figures = document.getElementById("lab-figures");
const hint = document.getElementById("lab-hint");
const finalLoss = document.getElementById("final-loss");
const finalAccuracy = document.getElementById("final-accuracy");
const datasetSelect = form.elements.namedItem("dataset");
const charts = {
  loss_svg: document.getElementById("loss-chart"),
  accuracy_svg: document.getElementById("accuracy-chart"),
  boundary_svg: document.getElementById("boundary-chart"),
};

function readForm() {
  const body = {};
  for (const [key, raw] of new FormData(form).entries()) {
    const text = String(raw).trim();
    if (key === "dataset" || key === "optimizer") body[key] = text;
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

function setBusy(busy) {
  button.disabled = busy;
  results.classList.toggle("lab-busy", busy);
  status.dataset.state = busy ? "training" : "";
  if (busy) status.textContent = data.texts.training;
}

/** The server's SVG text, parsed as XML (never as HTML), in place of the old figure. */
function swap(chart, svgText) {
  const doc = new DOMParser().parseFromString(svgText, "image/svg+xml");
  chart.replaceChildren(document.importNode(doc.documentElement, true));
}

function show(drawn) {
  for (const [key, chart] of Object.entries(charts)) swap(chart, drawn[key]);
  figures.hidden = false;
  finalLoss.textContent = drawn.final_loss;
  finalAccuracy.textContent = drawn.final_accuracy;
  hint.textContent = drawn.hint;
  hint.hidden = !drawn.hint;
  status.textContent = drawn.status;
}

/** No run on the page: the error beside it is the answer to the form's settings. */
function clearRun() {
  for (const chart of Object.values(charts)) chart.replaceChildren();
  figures.hidden = true;
  finalLoss.textContent = data.texts.no_value;
  finalAccuracy.textContent = data.texts.no_value;
  hint.textContent = "";
  hint.hidden = true;
  status.textContent = "";
}

/** The chosen data set's own settings (the server's texts) into their boxes. */
function fillDefaults() {
  for (const [name, text] of Object.entries(data.defaults[datasetSelect.value] || {})) {
    const box = form.elements.namedItem(name);
    if (box) box.value = text;
  }
}

async function train(event) {
  event.preventDefault();
  const body = readForm();
  errorBanner.hidden = true;
  setBusy(true);
  try {
    let response;
    try {
      response = await fetch(data.urls.figures, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
    } catch (error) {
      showError(data.texts.error_network.replace("{message}", String(error.message || error)));
      clearRun();
      return;
    }
    const payload = await response.json().catch(() => null);
    if (!response.ok) {
      showError(payload && payload.detail ? payload.detail : `HTTP ${response.status}`);
      clearRun();
      return;
    }
    show(payload);
    // The address keeps the settings: a reload or a shared link shows the same run.
    const url = new URL(location.href);
    for (const [key, value] of Object.entries(body)) url.searchParams.set(key, String(value));
    history.replaceState(null, "", url);
  } finally {
    setBusy(false);
  }
}

form.addEventListener("submit", train);
datasetSelect.addEventListener("change", fillDefaults);
document.documentElement.dataset.ready = "1";
