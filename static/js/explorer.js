// The explorer: wires the server's picture, its view of the run and the panels together.
//
// The server draws the picture (SVG) and writes every number of every stage (the view,
// app/drawing/view.py); this script swaps the picture when the server sends a new one,
// and paints a stage by picking the server's texts. Modules: api (the page endpoints),
// stepper (stages, play, keys), panels (rule, details, inputs, check, step, share),
// builder (build your own), share (links and exports).

import { makeApi } from "./api.js";
import { initBuilder } from "./builder.js";
import { $, serverSvg } from "./dom.js";
import * as panels from "./panels.js";
import { graphQuery } from "./share.js";
import { edgesOf, initStepper, paint, updateControls } from "./stepper.js";
import { initCode } from "./code.js";
import { initPresent } from "./present.js";
import { initQuiz } from "./quiz.js";
import { initZoom } from "./zoom.js";

const data = JSON.parse($("bpx-data").textContent);
// On a page without a graph (a broken link) these stand in, and nothing is drawn.
const canvas = $("canvas") || document.createElement("div");
const stageBox = document.querySelector(".stage") || document.createElement("div");

const st = {
  spec: data.spec,
  view: data.view,
  layout: data.layout,
  error: data.error,
  s: 0,
  edited: false, // the graph is no longer the one the page was opened with
  version: 0, // counts the graph's edits, for the address's cached graph
  runs: 0,
};
let edges = st.view ? edgesOf(st.view) : new Map();
let paints = 0;
const paintHooks = []; // quiz, code panel, presentation: they follow every painted stage

const page = {
  data,
  T: data.texts,
  st,
  canvas,
  stageBox,
  api: makeApi(data.urls, data.texts),
  svg: () => canvas.querySelector("svg"),
  edges: () => edges,
  total: () => (st.view ? st.view.stages.length - 1 : 0),
  stage: () => st.view.stages[st.s],
  go,
  rerun,
  show,
  onPaint: (hook) => paintHooks.push(hook),
  address,
};

function refresh() {
  if (page.svg()) paint(page.svg(), st.view, edges, st.s);
  updateControls(page);
  panels.updateTools(page);
  panels.showState(page);
  panels.showLocal(page);
  panels.showError(page);
  panels.showDetails(page);
  for (const hook of paintHooks) hook(page);
  // A counter the tests and the benchmark wait on: "the picture is up to date".
  document.documentElement.dataset.painted = String(++paints);
}

function go(s) {
  if (!st.view?.ran) return;
  st.s = Math.max(0, Math.min(page.total(), s));
  refresh();
  updateUrl();
}

/** Take the server's answer: its picture if it sent one, its view, its error. */
function show(answer, error, { done, stepped = false }) {
  if (answer?.svg) {
    const fresh = serverSvg(answer.svg);
    const old = page.svg();
    if (old) old.replaceWith(fresh);
    else canvas.append(fresh);
    st.layout = answer.layout;
  }
  if (answer?.view) {
    st.view = answer.view;
  } else {
    // The server was not reached: no numbers until it answers again.
    const stage = { state: "error", text: page.T.state_error, current: null, lines: [] };
    st.view = { ...st.view, ran: false, stages: [stage], nodes: {}, edges: [] };
  }
  edges = edgesOf(st.view);
  st.error = error;
  st.s = done ? page.total() : Math.min(st.s, page.total());
  st.edited = true;
  st.version++;
  refresh();
  panels.renderInputs(page);
  panels.graphChanged(page, { stepped });
  updateUrl();
}

/** Ask the server for the view of the edited graph (and a new picture if its layout changed). */
async function rerun({ structure = false } = {}) {
  const ticket = ++st.runs;
  // At the start nothing is computed to keep: an edit there shows the whole new run.
  const wasDone = !st.view?.ran || st.s >= page.total() || st.s === 0;
  const answer = await page.api.view(st.spec, st.layout);
  if (ticket !== st.runs) return; // a newer edit is on its way
  show(answer.ok || answer.body, answer.error || null, { done: wasDone });
  if (structure) builder.render();
}

let cachedGraph = { version: -1, query: "" };

/** This page's address, to come back to it or share it: the same graph (the example's
 * own address while it is unchanged, else the graph itself and the example it came
 * from) at the same stage. */
async function address() {
  let url;
  if (!st.edited) {
    url = new URL(location.href);
  } else {
    if (cachedGraph.version !== st.version) {
      cachedGraph = { version: st.version, query: await graphQuery(st.spec) };
    }
    url = new URL(`${data.urls.explore}?${cachedGraph.query}`, location.href);
    if (data.origin) url.searchParams.set("from", data.origin);
  }
  if (st.s > 0) url.searchParams.set("s", String(st.s));
  else url.searchParams.delete("s");
  return url.href;
}

async function updateUrl() {
  if (!st.spec || data.lesson) return; // a lesson keeps its own address
  const url = new URL(await address());
  // presentation mode and its speed stay in the address (present.js reads them)
  const now = new URL(location.href).searchParams;
  for (const name of ["present", "speed"]) if (now.has(name)) url.searchParams.set(name, now.get(name));
  if (url.href !== location.href) history.replaceState(null, "", url.href);
}

initStepper(page);
panels.initDetails(page);
panels.initEditor(page);
panels.initGradcheck(page);
panels.initStep(page);
panels.initShare(page);
const builder = initBuilder(page);
initQuiz(page);
initCode(page);
initZoom(page);
canvas.addEventListener("scroll", () => panels.showError(page));

if (st.spec) {
  // The start, or the stage the address names: the first Step computes the first node.
  st.s = Math.min(data.stage || 0, page.total());
  refresh();
  panels.renderInputs(page);
  builder.render();
  if (data.lesson) st.s = 0; // a lesson starts before the first step
  refresh();
  initPresent(page); // after the first paint: a link's step wins
}
document.documentElement.dataset.ready = "1";
