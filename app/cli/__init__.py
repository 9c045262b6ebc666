"""The ``backprop-explorer`` command line (Typer, rich): the explorer in a terminal.

    backprop-explorer serve --port 8000                     the web explorer and the API
    backprop-explorer run apple_orange                      every node's value and gradient
    backprop-explorer run graph.json --server URL           the same, computed by a service
    backprop-explorer export affine --format png            the picture (or svg, or json)
    backprop-explorer check my_layers.py:Affine --input 5,3 a learner's own layer, checked
    backprop-explorer train --dataset moons --format png    the lab: progress, figures

``main`` loads the commands; ``learner`` loads and checks a learner's file; ``show``
prints tables and messages. Nothing here imports the web app unless ``serve`` runs it.
"""
