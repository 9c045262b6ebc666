"""Jupyter shows the core's graph results as the annotated SVG, without the core knowing.

The core stays pure NumPy: instead of a ``_repr_svg_`` on ``core.GraphResult``, this
module tells IPython how to draw one (a formatter for ``image/svg+xml``). It does so when
``app.drawing`` is imported inside IPython, or with ``%load_ext app.drawing``:

    import app.drawing                       # from here on results draw themselves
    from core import run_graph
    run_graph(EXAMPLES["apple_orange"].spec)  # the figure: values above, gradients below

A result from ``app.client`` draws itself the same way (its own ``_repr_svg_``), and a
``check_layer`` report shows as a table (its ``_repr_html_``, in the core: no drawing).
"""

from __future__ import annotations

import sys
from typing import Any

from app.drawing.svg import render_svg


def result_spec(result: Any) -> dict[str, Any]:
    """The spec a core GraphResult was run from, for the layout (ids, ops, attrs)."""
    plan = getattr(result, "_plan", None)  # the result keeps its compiled plan
    if plan is not None and hasattr(plan, "spec"):
        from core.step import spec_to_dict

        return spec_to_dict(plan.spec)
    data = result.to_dict()
    nodes = [{"id": n["id"], "op": n["op"], "inputs": n["inputs"]} for n in data["nodes"]]
    return {"nodes": nodes, "output": data["output"]}


def graph_result_svg(result: Any) -> str:
    """The annotated figure of a core ``GraphResult``."""
    return render_svg(result_spec(result), result)


def register(shell: Any = None) -> bool:
    """Teach IPython's ``shell`` (by default the running one) to draw graph results.

    Returns whether there was a shell to teach. Naming the type by module and name means
    the core is not imported here.
    """
    if shell is None:
        ipython = sys.modules.get("IPython")
        shell = ipython.get_ipython() if ipython is not None else None
    if shell is None:
        return False
    formatter = shell.display_formatter.formatters["image/svg+xml"]
    formatter.for_type_by_name("core.graph", "GraphResult", graph_result_svg)
    return True


def load_ipython_extension(shell: Any) -> None:
    """``%load_ext app.drawing``."""
    register(shell)
