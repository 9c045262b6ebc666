// Graphs in URLs, and the picture as files.
//
// A share link is /explore?z=<base64url of the raw-deflated JSON spec>; app/share.py
// decodes it. Where CompressionStream is missing, ?g= carries the plain JSON. The page
// adds the example it came from (&from=) and its stage (&s=): explorer.js, address().

function toBase64Url(bytes) {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export async function graphQuery(spec) {
  const json = new TextEncoder().encode(JSON.stringify(spec));
  if (typeof CompressionStream === "undefined") return `g=${toBase64Url(json)}`;
  const stream = new Blob([json]).stream().pipeThrough(new CompressionStream("deflate-raw"));
  const packed = new Uint8Array(await new Response(stream).arrayBuffer());
  return `z=${toBase64Url(packed)}`;
}

function download(name, blob) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** A standalone copy of the picture: the stylesheet inside, light colours. */
async function standaloneSvg(svg, cssUrl) {
  const copy = svg.cloneNode(true);
  copy.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  copy.removeAttribute("style"); // the page's zoom: a file keeps the drawn size
  copy.querySelectorAll(".current").forEach((el) => el.classList.remove("current"));
  const style = document.createElementNS("http://www.w3.org/2000/svg", "style");
  style.textContent = await (await fetch(cssUrl)).text();
  copy.insertBefore(style, copy.firstChild);
  return new XMLSerializer().serializeToString(copy);
}

export async function exportSvg(svg, cssUrl, name) {
  const text = await standaloneSvg(svg, cssUrl);
  download(`${name}.svg`, new Blob([text], { type: "image/svg+xml" }));
}

export async function exportPng(svg, cssUrl, name, scale = 2) {
  const text = await standaloneSvg(svg, cssUrl);
  const url = URL.createObjectURL(new Blob([text], { type: "image/svg+xml" }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const width = Number(svg.getAttribute("width"));
    const height = Number(svg.getAttribute("height"));
    const canvas = document.createElement("canvas");
    canvas.width = Math.ceil(width * scale);
    canvas.height = Math.ceil(height * scale);
    const ctx = canvas.getContext("2d");
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
    download(`${name}.png`, blob);
  } finally {
    URL.revokeObjectURL(url);
  }
}

export function exportJson(spec, name) {
  download(`${name}.json`, new Blob([JSON.stringify(spec, null, 2)], { type: "application/json" }));
}
