// Every visible text on the page whose contrast with what lies behind it is below WCAG AA:
// 4.5:1, or 3:1 for large text (24px, or 18.66px bold). Computed from the real styles:
// HTML text by its colour on its (composited) background, SVG text by its fill on the
// first filled shape under its middle (a node, a heatmap cell) or the page behind the
// picture. Disabled controls are exempt, as WCAG says.
() => {
  const parse = (text) => {
    let m = text.match(/^rgba?\(([^)]+)\)$/);
    if (m) {
      const p = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
      return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
    }
    m = text.match(/^color\(srgb ([^)]+)\)$/);
    if (m) {
      const p = m[1].split(/[\s/]+/).filter(Boolean).map(Number);
      return [p[0] * 255, p[1] * 255, p[2] * 255, p.length > 3 ? p[3] : 1];
    }
    return null;
  };
  const over = (top, bottom) => {
    const a = top[3];
    return [0, 1, 2].map((i) => top[i] * a + bottom[i] * (1 - a)).concat([1]);
  };
  const lum = (c) => {
    const l = c.slice(0, 3).map((v) => {
      v /= 255;
      return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2];
  };
  const ratio = (a, b) => {
    const [hi, lo] = [lum(a), lum(b)].sort((p, q) => q - p);
    return (hi + 0.05) / (lo + 0.05);
  };
  function htmlBackground(el) {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c[3] > 0) {
        layers.push(c);
        if (c[3] >= 1) break;
      }
    }
    let bg = [255, 255, 255, 1];
    for (const c of layers.reverse()) bg = over(c, bg);
    return bg;
  }
  const SHAPES = new Set(["rect", "circle", "ellipse", "path", "polygon"]);
  function svgBackground(text) {
    const r = text.getBoundingClientRect();
    const hits = document.elementsFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    for (const e of hits) {
      const tag = e.tagName.toLowerCase();
      if (e instanceof SVGElement && !SHAPES.has(tag)) continue;
      if (e instanceof SVGElement) {
        const style = getComputedStyle(e);
        const fill = parse(style.fill);
        if (!fill || style.visibility === "hidden") continue;
        fill[3] *= Number(style.fillOpacity) * Number(style.opacity);
        if (fill[3] === 0) continue;
        return fill[3] >= 1 ? fill : over(fill, svgBackground.behind(e));
      }
      return htmlBackground(e);
    }
    return htmlBackground(text.ownerSVGElement || document.body);
  }
  svgBackground.behind = (e) => htmlBackground(e.ownerSVGElement || document.body);
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) return false;
    for (let e = el; e; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.display === "none" || s.visibility === "hidden" || Number(s.opacity) === 0) return false;
    }
    return true;
  };
  const ownText = (el) =>
    [...el.childNodes]
      .filter((n) => n.nodeType === Node.TEXT_NODE)
      .map((n) => n.textContent)
      .join("")
      .trim();
  const failures = [];
  let checked = 0;
  for (const el of document.querySelectorAll("body *")) {
    if (el.closest("[disabled], script, style, title, noscript, option")) continue;
    const isField = el.matches("input:not([type=checkbox]):not([type=radio]), select, textarea");
    const text = isField ? el.value : ownText(el);
    if (!text || !visible(el)) continue;
    el.scrollIntoView({ block: "center", inline: "center" });
    const style = getComputedStyle(el);
    const inSvg = el instanceof SVGElement;
    const fg = parse(inSvg ? style.fill : style.color);
    if (!fg) continue;
    const bg = inSvg ? svgBackground(el) : htmlBackground(el);
    const colour = fg[3] < 1 ? over(fg, bg) : fg;
    const size = parseFloat(style.fontSize);
    const bold = Number(style.fontWeight) >= 700;
    const large = size >= 24 || (bold && size >= 18.66);
    const needed = large ? 3 : 4.5;
    const r = ratio(colour, bg);
    checked++;
    if (r < needed) {
      failures.push({
        text: text.slice(0, 40),
        tag: el.tagName.toLowerCase(),
        cls: String(el.getAttribute("class") || ""),
        ratio: Math.round(r * 100) / 100,
        needed,
        fg: colour.slice(0, 3).map(Math.round).join(","),
        bg: bg.slice(0, 3).map(Math.round).join(","),
      });
    }
  }
  return { checked, failures };
}
