"""Autograd against central finite differences (float64): activations, losses, a whole graph."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch.autograd import gradcheck

from laegna_gui.core.validate import DataSpec, analyse
from laegna_gui.engine.layers import activation_module
from laegna_gui.engine.network import GraphNetwork
from laegna_gui.engine.objective import Objective

F64 = torch.float64


def away_from_zero(shape, seed, gap=0.1):
    """Random float64 values with |x| >= gap, so no point sits on a kink of relu and friends."""
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(shape, generator=g, dtype=F64)
    return (x.sign() * (x.abs() + gap)).requires_grad_()


REFERENCE = {
    "relu": lambda x, s: np.maximum(x, 0),
    "leaky_relu": lambda x, s: np.where(x > 0, x, s * x),
    "sigmoid": lambda x, s: 1 / (1 + np.exp(-x)),
    "tanh": lambda x, s: np.tanh(x),
    "softmax": lambda x, s: np.exp(x) / np.exp(x).sum(1, keepdims=True),
    "linear": lambda x, s: x,
}


@pytest.mark.parametrize("function,slope", [("relu", 0.01), ("leaky_relu", 0.2), ("sigmoid", 0.01),
                                            ("tanh", 0.01), ("softmax", 0.01), ("linear", 0.01)])
def test_activation_gradient_matches_finite_differences(function, slope):
    module = activation_module(function, slope)
    x = away_from_zero((6, 4), seed=len(function))
    # The forward pass is the named function (so gradcheck checks the right thing) …
    np.testing.assert_allclose(module(x).detach().numpy(), REFERENCE[function](x.detach().numpy(), slope),
                               rtol=1e-12, atol=1e-12)
    # … and its autograd slope agrees with central differences.
    assert gradcheck(module, (x,), eps=1e-6, atol=1e-7, rtol=1e-6)


def test_leaky_relu_slope_is_the_parameter():
    x = torch.tensor([-2.0, -0.5, 0.5, 2.0], dtype=F64, requires_grad=True)
    activation_module("leaky_relu", 0.3)(x).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [0.3, 0.3, 1.0, 1.0])


def test_step_forward_is_heaviside_and_backward_is_straight_through():
    # Finite differences do not apply: the true derivative of a step is 0 everywhere except at
    # x = 0, where it does not exist, so it would give no learning signal. The engine instead
    # uses the documented straight-through estimate: slope 1 for |x| <= 1 and 0 beyond.
    x = torch.tensor([-3.0, -1.5, -1.0, -0.4, 0.0, 0.3, 1.0, 1.01, 4.0], dtype=F64, requires_grad=True)
    y = activation_module("step", 0.01)(x)
    np.testing.assert_array_equal(y.detach().numpy(), (x.detach().numpy() > 0).astype(float))
    assert y.dtype == F64
    upstream = torch.linspace(0.5, 2.0, len(x), dtype=F64)
    (y * upstream).sum().backward()
    inside = (np.abs(x.detach().numpy()) <= 1).astype(float)
    np.testing.assert_array_equal(x.grad.numpy(), upstream.numpy() * inside)


# --- losses ------------------------------------------------------------------

def _case(name):
    """(loss as a function of what it reads, that input with requires_grad, encoded target,
    reference loss as a function of numpy). The "fused" cases read logits (a sigmoid or
    softmax block feeding the loss); the others read the output."""
    g = torch.Generator().manual_seed(sum(map(ord, name)))
    labels = torch.tensor([0, 1, 2, 1, 0, 2])
    if name in ("mse", "mae"):
        obj = Objective(name, "regression", 2, "linear")
        target = obj.encode(np.random.default_rng(1).normal(size=(6, 2)).astype(np.float32)).to(F64)
        gap = torch.rand((6, 2), generator=g, dtype=F64) * 0.5 + 0.1  # |output - target| >= 0.1
        out = target + gap * torch.where(torch.rand((6, 2), generator=g) > 0.5, 1.0, -1.0).to(F64)
        ref = (lambda o, t: ((o - t) ** 2).mean()) if name == "mse" else (lambda o, t: np.abs(o - t).mean())
    elif name == "half_mse":
        obj = Objective(name, "regression", 2, "linear")
        target = obj.encode(np.random.default_rng(1).normal(size=(6, 2)).astype(np.float32)).to(F64)
        out = torch.randn((6, 2), generator=g, dtype=F64)
        ref = lambda o, t: (0.5 * (o - t) ** 2).mean()
    elif name == "bce fused":
        obj = Objective("bce", "classification", 1, "sigmoid")
        target = obj.encode(np.array([0, 1, 1, 0, 1, 0])).to(F64)
        out = torch.tensor([[-30.0], [-25.0], [0.3], [2.0], [40.0], [-1.5]], dtype=F64)  # confidently wrong too
        ref = lambda z, t: ((1 - t) * z + np.logaddexp(0, -z)).mean()
        return (lambda z: obj(torch.sigmoid(z), z, target)), out.requires_grad_(), target, ref
    elif name == "cross_entropy fused":
        obj = Objective("cross_entropy", "classification", 3, "softmax")
        target = obj.encode(labels.numpy())
        out = torch.randn((6, 3), generator=g, dtype=F64) * 30
        ref = lambda z, t: (np.logaddexp.reduce(z, axis=1) - z[np.arange(len(t)), t]).mean()
        return (lambda z: obj(torch.softmax(z, 1), z, target)), out.requires_grad_(), target, ref
    elif name == "bce":
        obj = Objective("bce", "classification", 1, "sigmoid")
        target = obj.encode(np.array([0, 1, 1, 0, 1, 0])).to(F64)
        out = torch.rand((6, 1), generator=g, dtype=F64) * 0.8 + 0.1
        ref = lambda o, t: -(t * np.log(o) + (1 - t) * np.log(1 - o)).mean()
    elif name.startswith("cross_entropy"):
        softmax = name.endswith("softmax")
        obj = Objective("cross_entropy", "classification", 3, "softmax" if softmax else "linear")
        target = obj.encode(labels.numpy())
        logits = torch.randn((6, 3), generator=g, dtype=F64)
        out = torch.softmax(logits, 1) if softmax else logits
        log_p = (lambda o: np.log(o)) if softmax else (lambda o: o - np.log(np.exp(o).sum(1, keepdims=True)))
        ref = lambda o, t: -log_p(o)[np.arange(len(t)), t].mean()
    elif name == "hinge1":
        obj = Objective("hinge", "classification", 1, "tanh")
        target = obj.encode(np.array([0, 1, 1, 0, 1, 0])).to(F64)
        margin = torch.tensor([[0.5], [-0.7], [1.6], [0.3], [-0.2], [2.0]], dtype=F64)
        out = target * (1 - margin)  # 1 - target·out = margin, never 0
        ref = lambda o, t: np.maximum(0, 1 - t * o).mean()
    else:  # hinge with several units: multi-class margin loss
        obj = Objective("hinge", "classification", 3, "linear")
        target = obj.encode(labels.numpy())
        out = torch.randn((6, 3), generator=g, dtype=F64)
        out[torch.arange(6), target] += torch.tensor([0.3, 2.5, 0.5, 3.0, 0.2, 1.4], dtype=F64)
        margins = 1 - out[torch.arange(6), target][:, None] + out
        assert (margins.abs() > 0.02).all()  # away from the hinge's kinks

        def ref(o, t):
            m = np.maximum(0, 1 - o[np.arange(len(t)), t][:, None] + o)
            m[np.arange(len(t)), t] = 0
            return m.sum(1).mean() / o.shape[1]
    return (lambda o: obj(o, None, target)), out.detach().requires_grad_(), target, ref


LOSS_CASES = ["mse", "half_mse", "mae", "bce", "bce fused", "cross_entropy_softmax", "cross_entropy_logits",
              "cross_entropy fused", "hinge1", "hinge3"]


@pytest.mark.parametrize("name", LOSS_CASES)
def test_loss_gradient_matches_finite_differences(name):
    loss, out, target, ref = _case(name)
    value = loss(out)
    assert value.dtype == F64
    np.testing.assert_allclose(value.item(), ref(out.detach().numpy(), target.numpy()), rtol=1e-10)
    assert gradcheck(loss, (out,), eps=1e-6, atol=1e-7, rtol=1e-5)


def test_softmax_cross_entropy_equals_logit_cross_entropy():
    logits = torch.randn((5, 3), generator=torch.Generator().manual_seed(3), dtype=F64)
    target = torch.tensor([0, 2, 1, 1, 0])
    softmax = Objective("cross_entropy", "classification", 3, "softmax")
    on_probs = softmax(torch.softmax(logits, 1), None, target)
    fused = softmax(torch.softmax(logits, 1), logits, target)
    on_logits = Objective("cross_entropy", "classification", 3, "linear")(logits, None, target)
    np.testing.assert_allclose(on_probs.item(), on_logits.item(), rtol=1e-12)
    np.testing.assert_allclose(fused.item(), on_logits.item(), rtol=1e-12)


def test_target_encoding_per_loss_and_last_activation():
    labels = np.array([0, 1, 1])
    assert Objective("bce", "classification", 1, "sigmoid").encode(labels)[:, 0].tolist() == [0, 1, 1]
    assert Objective("hinge", "classification", 1, "tanh").encode(labels)[:, 0].tolist() == [-1, 1, 1]
    assert Objective("mse", "classification", 1, "tanh").encode(labels)[:, 0].tolist() == [-1, 1, 1]
    one_hot = Objective("mse", "classification", 2, "sigmoid").encode(labels)
    assert one_hot.tolist() == [[1, 0], [0, 1], [0, 1]]


# --- a whole graph -----------------------------------------------------------

def test_graph_network_parameter_gradients_match_finite_differences(builders):
    graph = builders.graph(
        {"input1": ("input", {}), "dense1": ("dense", {"units": 3}),
         "tanh1": ("activation", {"function": "tanh"}),
         "dense2": ("dense", {"units": 3}), "add1": ("add", {}), "concat1": ("concat", {}),
         "dense3": ("dense", {"units": 1}), "sig1": ("activation", {"function": "sigmoid"}),
         "output1": ("output", {})},
        "input1>dense1>tanh1>dense2>add1", "tanh1>add1>concat1", "input1>concat1>dense3>sig1>output1")
    spec = DataSpec(2, "classification", 2)
    net = GraphNetwork(graph, analyse(graph, spec, "bce"), spec, seed=5).double()
    objective = Objective("bce", "classification", 1, "sigmoid")
    x = torch.randn((8, 2), generator=torch.Generator().manual_seed(9), dtype=F64)
    target = objective.encode(np.array([0, 1, 1, 0, 1, 0, 0, 1])).to(F64)

    # The merge nodes do what they say.
    _, seen = net(x, keep=True)
    torch.testing.assert_close(seen["add1"], seen["tanh1"] + seen["dense2"], rtol=0, atol=0)
    torch.testing.assert_close(seen["concat1"], torch.cat([seen["add1"], seen["input1"]], 1), rtol=0, atol=0)

    params = net.named_trainables()
    assert set(params) == {f"dense{i}.{p}" for i in (1, 2, 3) for p in ("weight", "bias")}
    with torch.no_grad():  # non-zero biases so no gradient vanishes by symmetry
        for name, p in params.items():
            if name.endswith("bias"):
                p.copy_(torch.linspace(-0.3, 0.4, p.numel(), dtype=F64))
    objective.loss_of(net, x, target).backward()
    eps = 1e-6
    for name, p in params.items():
        numeric = torch.zeros_like(p)
        with torch.no_grad():
            for i in range(p.numel()):
                flat = p.view(-1)
                old = flat[i].item()
                flat[i] = old + eps
                up = objective.loss_of(net, x, target).item()
                flat[i] = old - eps
                down = objective.loss_of(net, x, target).item()
                flat[i] = old
                numeric.view(-1)[i] = (up - down) / (2 * eps)
        assert p.grad.abs().max() > 1e-4, f"{name} gets no gradient"
        np.testing.assert_allclose(p.grad.numpy(), numeric.numpy(), rtol=1e-6, atol=1e-9, err_msg=name)
