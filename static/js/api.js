// Talking to the server: one page endpoint per action (app/explorer.py). Every answer
// is either { ok: body } or { error: { detail, code, node }, body }: a graph that cannot
// run comes back as an error whose body still carries its view and its picture.

async function post(url, payload, networkText) {
  let response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(payload),
    });
  } catch (err) {
    return { error: { detail: networkText.replace("{message}", err.message) }, body: null };
  }
  const body = await response.json().catch(() => null);
  if (response.ok) return { ok: body };
  const detail = body && typeof body.detail === "string" ? body.detail : `HTTP ${response.status}`;
  return { error: { detail, code: body?.code ?? null, node: body?.node ?? null }, body };
}

/** The page's endpoints, from the URLs the server gave (url_for). */
export function makeApi(urls, texts) {
  const send = (url, payload) => post(url, payload, texts.error_network);
  return {
    /** The view of every stage of the graph's run; the picture when `layout` is not its own. */
    view: (graph, layout) => send(urls.view, { graph, layout }),
    /** The gradient check's table, as HTML. */
    gradcheck: (graph) => send(urls.gradcheck, { graph }),
    /** One optimizer step, carrying on from `state`: the moved graph, its view, the
     * before/after table and the loss trajectory, the new state. `lr` is the box's text. */
    step: ({ graph, optimizer, lr, state, losses, layout }) =>
      send(urls.step, { graph, optimizer, lr, state, losses, layout }),
    /** One quiz answer at one arrow: right, a hint, or the answer (app/quiz.py). */
    check: (payload) => send(urls.check, payload),
  };
}
