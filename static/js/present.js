// For teachers: presentation mode (large type, the picture fitted to the screen), the play
// speed, and the step position in the URL (?present=1&s=7&speed=300) so that a link opens
// at the same step. On a lesson page the step is always in the URL.

import { $ } from "./dom.js";

const params = () => new URLSearchParams(location.search);

/** The query parameters of this module, to keep when the explorer rewrites its URL. */
export function presentQuery() {
  const now = params();
  const kept = new URLSearchParams();
  for (const name of ["present", "s", "speed"]) if (now.has(name)) kept.set(name, now.get(name));
  const text = kept.toString();
  return text ? `&${text}` : "";
}

function setParam(name, value) {
  const url = new URL(location.href);
  if (value === null) url.searchParams.delete(name);
  else url.searchParams.set(name, value);
  history.replaceState(history.state, "", url);
}

export function initPresent(page) {
  const root = document.documentElement;
  const button = $("present-switch");
  const speed = $("play-speed");
  if (!button) return;
  const lesson = !!page.data.lesson;
  let on = false;

  function setOn(value) {
    on = value;
    root.classList.toggle("present", on);
    button.setAttribute("aria-pressed", String(on));
    setParam("present", on ? "1" : null);
    if (on) setParam("s", String(page.st.s));
    else if (!lesson) setParam("s", null);
  }

  function setSpeed(ms) {
    root.dataset.playMs = ms;
    if (speed.value !== ms) speed.value = ms;
  }

  button.addEventListener("click", () => setOn(!on));
  speed.addEventListener("change", () => {
    setSpeed(speed.value);
    setParam("speed", speed.value);
  });
  page.onPaint(() => {
    if (on || lesson) setParam("s", String(page.st.s));
  });

  const start = params();
  if ([...speed.options].some((o) => o.value === start.get("speed"))) setSpeed(start.get("speed"));
  if (start.get("present") === "1") setOn(true);
  if (start.has("s") && page.st.view?.ran) {
    const s = Number(start.get("s"));
    if (Number.isInteger(s)) page.go(s);
  }
}
