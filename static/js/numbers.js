// How numbers look in the picture. Mirrors app/drawing/numbers.py: change both together.

export const MAX_CELLS = 20;
const HEAT_EXTENT = 60;
const MIN_CELL = 3;
const MAX_CELL = 12;
const NEGATIVE = [84, 39, 136];
const ZERO = [247, 247, 247];
const POSITIVE = [179, 88, 6];

/** At most about four significant digits: 715.0000000000001 -> "715". */
export function short(x) {
  if (x === 0) return "0";
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a >= 1e5 || a < 1e-3) {
    let [mantissa, exponent] = x.toExponential(2).split("e");
    mantissa = mantissa.replace(/0+$/, "").replace(/\.$/, "");
    return `${mantissa}e${Number(exponent)}`;
  }
  const digits = Math.max(0, 3 - Math.floor(Math.log10(a)));
  let text = x.toFixed(digits);
  if (text.includes(".")) text = text.replace(/0+$/, "").replace(/\.$/, "");
  return text === "-0" || text === "" ? "0" : text;
}

export function shapeText(shape) {
  if (shape.length === 0) return "()";
  const inner = shape.join(", ");
  return shape.length === 1 ? `(${inner},)` : `(${inner})`;
}

export function flatten(value) {
  return Array.isArray(value) ? value.flat(Infinity) : [value];
}

export function shapeOf(value) {
  const shape = [];
  let probe = value;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    probe = probe[0];
  }
  return shape;
}

export function asMatrix(shape) {
  if (shape.length === 0) return [1, 1];
  if (shape.length === 1) return [1, shape[0]];
  return [shape.slice(0, -1).reduce((a, b) => a * b, 1), shape[shape.length - 1]];
}

export function grid(shape) {
  const [rows, cols] = asMatrix(shape);
  const shownR = Math.min(rows, MAX_CELLS);
  const shownC = Math.min(cols, MAX_CELLS);
  const cell = Math.max(MIN_CELL, Math.min(MAX_CELL, Math.floor(HEAT_EXTENT / Math.max(shownR, shownC))));
  return [shownR, shownC, cell];
}

/** The heatmap's cells, as a flat row-major list (block means for big arrays). */
export function cells(value, shape) {
  const [rows, cols] = asMatrix(shape);
  const flat = flatten(value);
  const [shownR, shownC] = grid(shape);
  if (shownR === rows && shownC === cols) return flat;
  const out = [];
  for (let i = 0; i < shownR; i++) {
    const r0 = Math.floor((i * rows) / shownR), r1 = Math.floor(((i + 1) * rows) / shownR);
    for (let j = 0; j < shownC; j++) {
      const c0 = Math.floor((j * cols) / shownC), c1 = Math.floor(((j + 1) * cols) / shownC);
      let sum = 0;
      for (let r = r0; r < r1; r++) for (let c = c0; c < c1; c++) sum += flat[r * cols + c];
      out.push(sum / ((r1 - r0) * (c1 - c0)));
    }
  }
  return out;
}

export function colour(x, scale) {
  let t = scale === 0 ? 0 : Math.max(-1, Math.min(1, x / scale));
  const end = t >= 0 ? POSITIVE : NEGATIVE;
  t = Math.abs(t);
  const hex = ZERO.map((z, k) => Math.round(z + (end[k] - z) * t).toString(16).padStart(2, "0"));
  return `#${hex.join("")}`;
}

/** Every number, for titles and the details panel (summarised past `limit`). */
export function full(value, limit = 200) {
  if (!Array.isArray(value)) return String(value);
  const shape = shapeOf(value);
  const size = shape.reduce((a, b) => a * b, 1);
  if (size > limit) {
    const flat = flatten(value);
    const head = flat.slice(0, 6).map(String).join(", ");
    const tail = flat.slice(-3).map(String).join(", ");
    return `${shapeText(shape)} [${head}, …, ${tail}]`;
  }
  const show = (v, depth) =>
    Array.isArray(v)
      ? "[" + v.map((x) => show(x, depth + 1)).join(depth === shape.length - 2 ? ",\n " + " ".repeat(depth) : ", ") + "]"
      : String(v);
  return show(value, 0);
}

export function isScalar(value) {
  return !Array.isArray(value);
}
