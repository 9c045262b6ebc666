// The course's index (/learn): each lesson's progress from this browser's storage.

import { $ } from "./dom.js";
import { forget, ofLesson } from "./progress.js";

const list = $("lessons");

function show() {
  for (const card of list.querySelectorAll("li[data-lesson]")) {
    const entries = ofLesson(card.dataset.lesson);
    const right = entries.reduce((n, e) => n + (e.right || 0), 0);
    const total = entries.reduce((n, e) => n + (e.total || 0), 0);
    const done = entries.some((e) => e.done);
    card.classList.toggle("done", done);
    const parts = [];
    if (done) parts.push(list.dataset.done);
    if (total) parts.push(list.dataset.score.replace("{right}", String(right)).replace("{total}", String(total)));
    card.querySelector(".progress").textContent = parts.join(" · ");
  }
}

$("learn-reset")?.addEventListener("click", () => {
  forget();
  show();
});
show();
document.documentElement.dataset.ready = "1";
