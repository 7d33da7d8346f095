"""3-D views (pyqtgraph.opengl): the transform lab, layer space, affine fit, loss landscape."""
