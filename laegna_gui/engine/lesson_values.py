"""The values a lesson's goals read (core/lesson_words.GOAL_VALUES), measured on one moment
of training: the project as it is now (settings, network) and the snapshot the views have
(losses, accuracies, dead units, gradient norms, weights). Numbers not known yet — no
snapshot, or accuracy in a regression — are NaN, so no comparison with them is met."""

from __future__ import annotations

import math

import numpy as np

from laegna_gui.core.errors import LaegnaError
from laegna_gui.core.lesson_words import GOAL_VALUES
from laegna_gui.core.project import Project
from laegna_gui.core.training_settings import RANDOM_SEARCH
from laegna_gui.core.validate import Analysis
from laegna_gui.engine.snapshot import Snapshot

NAN = float("nan")


def lesson_values(project: Project, snapshot: Snapshot | None, diverged: bool = False) -> dict:
    """Every name of GOAL_VALUES with its value now."""
    try:
        analysis = project.analyse()  # widths and parameter counts; None while the network is invalid
    except LaegnaError:
        analysis = None
    values: dict = {**_settings(project), **_network(project, analysis), **_measured(project, snapshot, analysis)}
    values["loss_diverged"] = bool(diverged)
    assert values.keys() == GOAL_VALUES.keys(), "lesson_words.GOAL_VALUES and this module disagree"
    return values


def _settings(project: Project) -> dict:
    s = project.training
    return {"learning_rate": s.learning_rate, "momentum": s.momentum, "batch_size": s.batch_size,
            "full_batch": s.batch_size == 0, "clipping_on": bool(s.clip) and s.optimizer != RANDOM_SEARCH,
            "reg_rate": s.reg_rate if s.regularization != "none" else 0.0, "optimizer": s.optimizer, "loss": s.loss,
            "regularization": s.regularization}


def _hidden_dense(project: Project) -> list[str]:
    """Dense layers with another dense layer after them (the last ones make the output)."""
    graph = project.graph
    dense = [n.id for n in graph.nodes_of_type("dense")]
    return [n for n in dense if any(other != n and graph.reaches(n, other) for other in dense)]


def _network(project: Project, analysis: Analysis | None) -> dict:
    graph = project.graph
    hidden = _hidden_dense(project)
    # a hidden layer's activation has a dense layer after it; the output's has none
    activations = {n.params.get("function") for n in graph.nodes_of_type("activation") if _after(project, n.id)}
    inits = {n.params.get("init") for n in graph.nodes_of_type("dense")}
    return {
        "hidden_units": sum(int(graph.node(n).params["units"]) for n in hidden),
        "hidden_layers": len(hidden),
        "parameters": analysis.total_params if analysis is not None else NAN,
        "activation": _one(activations),
        "init": _one(inits),
    }


def _after(project: Project, node_id: str) -> list[str]:
    """The dense layers after an activation: one between two dense layers is a hidden layer's."""
    return [n.id for n in project.graph.nodes_of_type("dense") if project.graph.reaches(node_id, n.id)]


def _one(names: set) -> str:
    names.discard(None)
    return "none" if not names else next(iter(names)) if len(names) == 1 else "mixed"


def _measured(project: Project, snapshot: Snapshot | None, analysis: Analysis | None) -> dict:
    if snapshot is None:
        return {"steps": 0, "epochs": 0, "train_loss": NAN, "test_loss": NAN, "loss_gap": NAN,
                "train_accuracy": NAN, "test_accuracy": NAN, "dead_relu_fraction": NAN,
                "max_gradient_norm": NAN, "min_gradient_norm": NAN, **_first_layer(project, None)}
    m = snapshot.metrics
    probes = snapshot.probes
    norms = list(probes.layer_gradient_norms.values()) if probes is not None else []
    return {
        "steps": snapshot.step, "epochs": snapshot.epoch,
        "train_loss": m.train_loss, "test_loss": m.test_loss, "loss_gap": m.test_loss - m.train_loss,
        "train_accuracy": NAN if m.train_accuracy is None else m.train_accuracy,
        "test_accuracy": NAN if m.test_accuracy is None else m.test_accuracy,
        "dead_relu_fraction": _dead_fraction(analysis, probes),
        "max_gradient_norm": max(norms) if norms else NAN,
        "min_gradient_norm": min(norms) if norms else NAN,
        **_first_layer(project, snapshot.weights),
    }


def _dead_fraction(analysis: Analysis | None, probes) -> float:
    """Dead units over all ReLU-family units (each layer weighted by its width); 0 without any."""
    if probes is None or analysis is None:
        return NAN
    units = {node: analysis.widths.get(node, 0) for node in probes.dead_fraction}
    total = sum(units.values())
    return sum(probes.dead_fraction[n] * units[n] for n in units) / total if total else 0.0


def _first_layer(project: Project, weights: dict[str, np.ndarray] | None) -> dict:
    """The first dense layer's matrix: its determinant (square only) and its bias's length —
    the transform lab's "W rotates and scales, b moves"."""
    order = [n for n in project.graph.topological_order() if project.graph.node(n).type == "dense"]
    weights = weights if weights is not None else project.weights or {}
    if not order or f"{order[0]}.weight" not in weights:
        return {"first_layer_det": NAN, "first_layer_bias": NAN}
    w = np.asarray(weights[f"{order[0]}.weight"], dtype=np.float64)
    bias = weights.get(f"{order[0]}.bias")
    with np.errstate(all="ignore"):  # the weights of a run that blew up: inf, not a warning
        det = float(np.linalg.det(w)) if w.shape[0] == w.shape[1] else NAN
        length = float(np.linalg.norm(np.asarray(bias, dtype=np.float64))) if bias is not None else 0.0
    return {"first_layer_det": det if math.isfinite(det) else NAN, "first_layer_bias": length}
