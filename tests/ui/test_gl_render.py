"""Each 3-D view really renders (under Xvfb): its framebuffer differs from an empty scene.

Marked `gl`: the normal offscreen run deselects these, and test_gl_session.py runs them
in a second pytest process on the Xvfb display."""

from __future__ import annotations

import numpy as np
import pytest

from laegna_gui.core import affine
from laegna_gui.core.datasets import hidden_affine
from laegna_gui.core.presets import load_preset
from laegna_gui.engine.trainer import Trainer

from image_helpers import pixels

pytestmark = pytest.mark.gl


def differs_from_empty(view, qtbot) -> float:
    """Fraction of pixels that differ from an empty GL scene of the same size."""
    import pyqtgraph.opengl as gl

    empty = gl.GLViewWidget()
    qtbot.addWidget(empty)
    empty.setBackgroundColor((247, 248, 250))
    empty.resize(view.size())
    empty.show()
    qtbot.waitExposed(empty)
    a, b = pixels(view.grabFramebuffer()), pixels(empty.grabFramebuffer())
    assert a.shape == b.shape
    return float(np.mean(np.abs(a.astype(int) - b.astype(int)).sum(axis=2) > 30))


def show(widget, qtbot) -> None:
    qtbot.addWidget(widget)
    widget.resize(900, 600)
    widget.show()
    qtbot.waitExposed(widget)


def test_transform_lab_renders_the_transformed_cube(qtbot):
    from laegna_gui.ui.space3d.transform_lab import TransformLab

    lab = TransformLab()
    show(lab, qtbot)
    lab.set_blocks([("rotate_z", {"degrees": 30}), ("scale", {"sx": 1.5, "sy": 1.0, "sz": 0.7})])
    assert lab.panel.has_gl, "the lab has no GL view although OpenGL is available"
    assert differs_from_empty(lab.panel.view, qtbot) > 0.02


def test_affine_fit_view_renders_the_clouds(qtbot):
    from laegna_gui.ui.space3d.affine_fit_view import AffineFitView

    trainer = Trainer(load_preset("affine3d"))
    trainer.run(100)
    fit = AffineFitView()
    show(fit, qtbot)
    fit.set_problem(trainer.data, affine.from_linear(*hidden_affine(0)), "dense1")
    fit.show_snapshot(trainer.snapshot())
    assert fit.panel.has_gl
    assert differs_from_empty(fit.panel.view, qtbot) > 0.02


def test_affine_fit_view_fed_before_it_is_shown_draws_the_fit_when_shown(qtbot):
    """Its GL scene is made on first show, from the problem and snapshot it already has."""
    from laegna_gui.ui.space3d.affine_fit_view import AffineFitView

    trainer = Trainer(load_preset("affine3d"))
    trainer.run(100)
    fit = AffineFitView()
    fit.set_problem(trainer.data, affine.from_linear(*hidden_affine(0)), "dense1")
    snapshot = trainer.snapshot()
    fit.show_snapshot(snapshot)
    assert fit.panel.has_gl and fit.panel.view is None
    show(fit, qtbot)
    W, b = (np.asarray(snapshot.weights[f"dense1.{k}"], dtype=float) for k in ("weight", "bias"))
    np.testing.assert_allclose(fit._scene.prediction.points, fit.source @ W.T + b)
    assert fit._scene.prediction.scatter.visible()
    assert differs_from_empty(fit.panel.view, qtbot) > 0.02
