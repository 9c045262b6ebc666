"""Backprop Explorer's web layer: the JSON API and the HTML pages around :mod:`core`."""
