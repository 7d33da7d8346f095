"""The window's centre tabs by their command-line names (no Qt here: the CLI imports it)."""

VIEWS = ("network", "transform-lab", "layer-space", "landscape", "affine-fit")
