// Small DOM helpers. Text always goes in with textContent: node names come from users.

export const $ = (id) => document.getElementById(id);

/** An element with attributes ("text" sets its textContent) and children. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else node.setAttribute(k, v);
  }
  node.append(...children);
  return node;
}

/** The nodes of HTML the server rendered (and escaped), parsed without running anything. */
export function serverHtml(html) {
  const doc = new DOMParser().parseFromString(html, "text/html");
  return [...doc.body.childNodes].map((node) => document.importNode(node, true));
}

/** The root element of an SVG the server drew. */
export function serverSvg(text) {
  const doc = new DOMParser().parseFromString(text, "image/svg+xml");
  return document.importNode(doc.documentElement, true);
}
