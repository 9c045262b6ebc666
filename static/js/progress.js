// The learner's progress and scores, in this browser only (the service keeps no state).
// One entry per lesson graph ("chain/0"): each asked arrow's outcome, the score, done.

const KEY = "bpx-learn-v1";

export function loadAll() {
  try {
    const all = JSON.parse(localStorage.getItem(KEY) || "{}");
    return all && typeof all === "object" ? all : {};
  } catch {
    return {};
  }
}

export function load(key) {
  return loadAll()[key] || { answers: {}, right: 0, total: 0, done: false };
}

export function save(key, entry) {
  try {
    const all = loadAll();
    all[key] = entry;
    localStorage.setItem(KEY, JSON.stringify(all));
  } catch {
    // storage full or disabled: progress is then kept for this visit only
  }
}

export function forget() {
  try {
    localStorage.removeItem(KEY);
  } catch {
    // nothing stored
  }
}

/** Every lesson graph of `slug` ("chain/0", "chain/1"): its entries. */
export function ofLesson(slug) {
  const all = loadAll();
  return Object.entries(all)
    .filter(([k]) => k.split("/")[0] === slug)
    .map(([, v]) => v);
}
