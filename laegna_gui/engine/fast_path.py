"""A numba-compiled training loop for the common case, numerically the same as the torch path.

Eligible: a single chain input → (dense → optional activation)* → output with activations
tanh, relu, leaky_relu, sigmoid or linear; loss mse (any final activation) or bce (final
sigmoid); plain SGD; regularization none, l1 or l2; no clipping. `fast_path_reason(trainer)`
says why a network is not eligible ('' when it is); the Trainer then uses torch.

The kernel updates the torch parameters IN PLACE (`p.detach().numpy()` shares memory), so
torch code (step(), evaluate(), snapshots) sees the same weights. Weights stay float32 and
every intermediate is stored as float32 like torch does (so overflow to inf happens at the
same place); dot products and sums are accumulated in float64. It releases the GIL
(`nogil=True`), so a worker thread running it does not stall the GUI thread.

Compilation: the first call in a fresh environment compiles for ~1–3 s; `cache=True` stores
the machine code in __pycache__ so later processes load it in well under a second.
"""

from __future__ import annotations

import math

import numpy as np
import torch

_compiled: dict = {}  # the jitted kernel, made on first use (importing numba costs ~0.5 s)


def _numba_error() -> str:
    """'' when numba can be used; without it every network trains with torch."""
    try:
        import numba  # noqa: F401
    except Exception as exc:  # pragma: no cover - depends on the environment
        return f"numba is not available ({type(exc).__name__})"
    return ""


def warm_up() -> None:
    """Import numba and compile (or load from cache) the kernel."""
    _train_chunk()


def _train_chunk():
    """The compiled kernel (compiled once, or loaded from numba's cache)."""
    if "train_chunk" not in _compiled:
        import numba

        global _store_gradients  # the kernel calls it by this global name: it must be jitted first
        try:
            store, kernel = _jitted(numba, cache=True)
        except RuntimeError:
            # numba found no writable cache folder (a read-only install or app bundle and no
            # writable home): compile in memory, paying the compile time once per process
            store, kernel = _jitted(numba, cache=False)
        _store_gradients = store
        _compiled["train_chunk"] = kernel
    return _compiled["train_chunk"]


def _jitted(numba, cache: bool):
    jit = numba.njit(cache=cache, nogil=True, fastmath=False)
    return jit(_store_gradients), jit(_kernel)


ACTIVATIONS = {"linear": 0, "tanh": 1, "relu": 2, "leaky_relu": 3, "sigmoid": 4}
LOSSES = {"mse": 0, "bce": 1}
REGULARIZATIONS = {"none": 0, "l1": 1, "l2": 2}
CHUNK = 4096  # steps per kernel call (bounds the index arrays; the kernel call overhead is ~µs)

# kernel status codes
OK, BAD_LOSS, BAD_GRADIENT, BAD_WEIGHTS = 0, 1, 2, 3
FAILURE = {BAD_LOSS: "loss", BAD_GRADIENT: "gradient", BAD_WEIGHTS: "weights"}


# --- eligibility ---------------------------------------------------------------
def structure_reason(trainer) -> str:
    """Why the graph itself cannot use the fast path ('' if it can). Depends only on the graph."""
    error = _numba_error()
    if error:
        return error
    graph, order = trainer.graph, trainer.analysis.order
    kinds = [graph.node(n).type for n in order]
    for kind in ("batch_norm", "dropout", "add", "concat"):
        if kind in kinds:
            return f"{kind.replace('_', ' ')} is not supported by the fast path"
    if kinds[0] != "input" or kinds[-1] != "output" or kinds.count("input") != 1 or kinds.count("output") != 1:
        return "the fast path needs one input and one output"
    for prev, node_id in zip(order, order[1:]):
        if tuple(graph.inputs_of(node_id)) != (prev,) or len(graph.outputs_of(prev)) != 1:
            return "the fast path needs a single chain of layers without branches"
    previous = "input"
    for node_id, kind in zip(order[1:-1], kinds[1:-1]):
        if kind == "activation":
            function = graph.node(node_id).params["function"]
            if function not in ACTIVATIONS:
                return f"the {function} activation is not supported by the fast path"
            if previous != "dense":
                return "the fast path needs each activation to follow a dense layer"
        elif kind != "dense":
            return f"{kind} nodes are not supported by the fast path"
        previous = kind
    if "dense" not in kinds:
        return "the fast path needs at least one dense layer"
    for name, p in trainer.network.named_trainables().items():
        if p.dtype != torch.float32 or not p.is_contiguous() or not p.requires_grad:
            return f"parameter {name} is not a plain float32 tensor"
    if len(trainer.x_train) == 0:
        return "there is no training data"
    return ""


def settings_reason(trainer) -> str:
    """Why the current training settings cannot use the fast path ('' if they can)."""
    s = trainer.settings
    if s.loss not in LOSSES:
        return f"the {s.loss} loss is not supported by the fast path"
    if s.loss == "bce" and trainer.objective.last != "sigmoid":
        return "the fast path supports bce only after a final sigmoid"
    if s.optimizer != "sgd":
        return f"the {s.optimizer} optimizer is not supported by the fast path (plain sgd only)"
    if s.regularization not in REGULARIZATIONS:
        return f"{s.regularization} regularization is not supported by the fast path"
    if s.clip:
        return "gradient clipping is not supported by the fast path"
    y = trainer.y_train
    if not torch.is_floating_point(y) or y.dim() != 2:
        return "the fast path needs float targets"
    return ""


def fast_path_reason(trainer) -> str:
    """'' when `trainer.run` can use the compiled loop, else a short reason."""
    return structure_reason(trainer) or settings_reason(trainer)


# --- the model in kernel form ----------------------------------------------------
class FastModel:
    """The chain's layers as arrays sharing memory with the torch parameters."""

    def __init__(self, trainer) -> None:
        graph, order, network = trainer.graph, trainer.analysis.order, trainer.network
        input_id = order[0]
        with torch.no_grad():
            features = network.layer(input_id)(trainer.x_train)
        self.x = np.ascontiguousarray(features.detach().numpy(), dtype=np.float64)
        self.params = []  # torch tensors whose memory the kernel writes
        from numba.typed import List as TypedList

        weights, biases, grad_w, grad_b = TypedList(), TypedList(), TypedList(), TypedList()
        acts, slopes, has_bias = [], [], []
        widths = [self.x.shape[1]]
        for node_id in order[1:-1]:
            node = graph.node(node_id)
            if node.type == "dense":
                layer = network.layer(node_id)
                w = layer.weight.detach().numpy()
                weights.append(w)
                grad_w.append(_grad(layer.weight))
                self.params.append(layer.weight)
                if layer.bias is not None:
                    biases.append(layer.bias.detach().numpy())
                    grad_b.append(_grad(layer.bias))
                    self.params.append(layer.bias)
                    has_bias.append(1)
                else:
                    biases.append(np.zeros(0, dtype=np.float32))
                    grad_b.append(np.zeros(0, dtype=np.float32))
                    has_bias.append(0)
                acts.append(ACTIVATIONS["linear"])
                slopes.append(0.0)
                widths.append(w.shape[0])
            else:  # an activation: belongs to the dense layer before it
                acts[-1] = ACTIVATIONS[node.params["function"]]
                slopes[-1] = float(node.params.get("slope", 0.01))
        self.weights, self.biases, self.grad_w, self.grad_b = weights, biases, grad_w, grad_b
        self.acts = np.array(acts, dtype=np.int64)
        self.slopes = np.array(slopes, dtype=np.float64)
        self.has_bias = np.array(has_bias, dtype=np.int64)
        self.widths = np.array(widths, dtype=np.int64)
        self._pointers = self._current_pointers()
        self._y_source = None
        self.y = None

    def _current_pointers(self) -> tuple[int, ...]:
        return tuple(t.data_ptr() if t is not None else 0 for p in self.params for t in (p, p.grad))

    def still_valid(self) -> bool:
        """False if some parameter or gradient was replaced (not just written in place)."""
        return self._current_pointers() == self._pointers

    def targets(self, y_train: torch.Tensor) -> np.ndarray:
        if self._y_source is not y_train:
            self.y = np.ascontiguousarray(y_train.numpy(), dtype=np.float64)
            self._y_source = y_train
        return self.y


def _grad(p: torch.Tensor) -> np.ndarray:
    """p.grad's memory (created as zeros if missing), written by the kernel like backward() would."""
    if p.grad is None or not p.grad.is_contiguous() or p.grad.dtype != torch.float32:
        p.grad = torch.zeros_like(p, memory_format=torch.contiguous_format)
    return p.grad.numpy()


# --- the kernel ------------------------------------------------------------------
_F32_MAX = float(np.finfo(np.float32).max)
_BCE_LO = float(np.float32(1e-7))
_BCE_HI = float(np.float32(1 - 1e-7))


def _store_gradients(gw, gb, grad_w, grad_b, has_bias, widths, zero):
    """Leave p.grad as torch would: the last computed gradients (zeros if the loss failed)."""
    for l in range(len(grad_w)):
        g = grad_w[l]
        for j in range(widths[l + 1]):
            for q in range(widths[l]):
                g[j, q] = 0.0 if zero else gw[l, j, q]
            if has_bias[l]:
                grad_b[l][j] = 0.0 if zero else gb[l, j]


def _kernel(x, y, flat_idx, starts, lens, weights, biases, grad_w, grad_b, has_bias, acts, slopes,
            widths, loss_kind, lr, reg_kind, reg_rate, max_batch, result):
    """Runs len(starts) SGD steps; batch s is flat_idx[starts[s]:starts[s] + lens[s]].

    Each step: forward, loss (checked), backward, gradients (checked), update (checked),
    all float32-stored like torch. Stops before updating on a non-finite loss, gradient
    or new weight. result[0] = completed steps, result[1] = last completed step's loss,
    result[2] = status (0 ok, 1 loss, 2 gradient, 3 weights)."""
    n_layers = acts.shape[0]
    maxw = 1
    for l in range(n_layers + 1):
        if widths[l] > maxw:
            maxw = widths[l]
    a = np.zeros((n_layers + 1, max_batch, maxw), dtype=np.float32)  # layer inputs/outputs
    z = np.zeros((n_layers, max_batch, maxw), dtype=np.float32)      # pre-activations
    d = np.zeros((max_batch, maxw), dtype=np.float32)                # dL/d(current)
    d2 = np.zeros((max_batch, maxw), dtype=np.float32)
    gw = np.zeros((n_layers, maxw, maxw), dtype=np.float32)
    gb = np.zeros((n_layers, maxw), dtype=np.float32)
    n_out = widths[n_layers]
    result[0] = 0.0
    result[2] = 0.0
    computed = False
    for s in range(starts.shape[0]):
        start = starts[s]
        batch = lens[s]
        # --- forward
        for b in range(batch):
            i = flat_idx[start + b]
            for f in range(widths[0]):
                a[0, b, f] = x[i, f]
        for l in range(n_layers):
            w = weights[l]
            bias = biases[l]
            n_in = widths[l]
            width = widths[l + 1]
            act = acts[l]
            slope = slopes[l]
            for b in range(batch):
                for j in range(width):
                    acc = 0.0
                    for q in range(n_in):
                        acc += np.float64(w[j, q]) * np.float64(a[l, b, q])
                    if has_bias[l]:
                        acc += np.float64(bias[j])
                    zz = np.float32(acc)
                    z[l, b, j] = zz
                    v = np.float64(zz)
                    if act == 1:
                        v = math.tanh(v)
                    elif act == 2:
                        v = v if v > 0.0 else 0.0
                    elif act == 3:
                        v = v if v > 0.0 else v * slope
                    elif act == 4:
                        v = 1.0 / (1.0 + math.exp(-v))
                    a[l + 1, b, j] = np.float32(v)
        # --- loss and its slope at the output
        count = batch * n_out
        total = 0.0
        overflow = False
        for b in range(batch):
            i = flat_idx[start + b]
            for j in range(n_out):
                o = np.float64(a[n_layers, b, j])
                t = y[i, j]
                if loss_kind == 0:
                    diff = o - t
                    sq = diff * diff
                    if not (sq <= _F32_MAX):
                        overflow = True
                    total += sq
                    d[b, j] = np.float32(2.0 * diff / count)
                else:
                    p = o
                    inside = True
                    if p < _BCE_LO:
                        p = _BCE_LO
                        inside = False
                    elif p > _BCE_HI:
                        p = _BCE_HI
                        inside = False
                    total -= t * math.log(p) + (1.0 - t) * math.log(1.0 - p)
                    if inside:
                        d[b, j] = np.float32(-(t / p - (1.0 - t) / (1.0 - p)) / count)
                    else:
                        d[b, j] = 0.0
        loss = total / count
        if overflow or not (abs(total) <= _F32_MAX):
            loss = math.inf
        if not (abs(loss) <= _F32_MAX):
            result[2] = 1.0
            _store_gradients(gw, gb, grad_w, grad_b, has_bias, widths, True)
            return
        # --- backward
        for l in range(n_layers - 1, -1, -1):
            w = weights[l]
            n_in = widths[l]
            width = widths[l + 1]
            act = acts[l]
            slope = slopes[l]
            for b in range(batch):
                for j in range(width):
                    g = np.float64(d[b, j])
                    if act == 1:
                        out = np.float64(a[l + 1, b, j])
                        g = g * (1.0 - out * out)
                    elif act == 2:
                        if not (z[l, b, j] > 0):
                            g = 0.0
                    elif act == 3:
                        if not (z[l, b, j] > 0):
                            g = g * slope
                    elif act == 4:
                        out = np.float64(a[l + 1, b, j])
                        g = g * out * (1.0 - out)
                    d[b, j] = np.float32(g)
            for j in range(width):
                acc = 0.0
                for b in range(batch):
                    acc += np.float64(d[b, j])
                gb[l, j] = np.float32(acc)
                for q in range(n_in):
                    acc = 0.0
                    for b in range(batch):
                        acc += np.float64(d[b, j]) * np.float64(a[l, b, q])
                    if reg_kind == 2:
                        acc += reg_rate * np.float64(w[j, q])
                    elif reg_kind == 1:
                        wv = w[j, q]
                        if wv > 0:
                            acc += reg_rate
                        elif wv < 0:
                            acc -= reg_rate
                    gw[l, j, q] = np.float32(acc)
            if l > 0:
                for b in range(batch):
                    for q in range(n_in):
                        acc = 0.0
                        for j in range(width):
                            acc += np.float64(d[b, j]) * np.float64(w[j, q])
                        d2[b, q] = np.float32(acc)
                for b in range(batch):
                    for q in range(n_in):
                        d[b, q] = d2[b, q]
        # --- gradient norm (float32 like torch's) and the new weights, both checked first
        norm2 = 0.0
        for l in range(n_layers):
            for j in range(widths[l + 1]):
                for q in range(widths[l]):
                    g = np.float64(gw[l, j, q])
                    norm2 += g * g
                if has_bias[l]:
                    g = np.float64(gb[l, j])
                    norm2 += g * g
        if not (math.sqrt(norm2) <= _F32_MAX):
            result[2] = 2.0
            _store_gradients(gw, gb, grad_w, grad_b, has_bias, widths, False)
            return
        for l in range(n_layers):
            w = weights[l]
            bias = biases[l]
            for j in range(widths[l + 1]):
                for q in range(widths[l]):
                    nw = np.float32(np.float64(w[j, q]) - lr * np.float64(gw[l, j, q]))
                    if not (abs(nw) <= _F32_MAX):
                        result[2] = 3.0
                        _store_gradients(gw, gb, grad_w, grad_b, has_bias, widths, False)
                        return
                if has_bias[l]:
                    nb = np.float32(np.float64(bias[j]) - lr * np.float64(gb[l, j]))
                    if not (abs(nb) <= _F32_MAX):
                        result[2] = 3.0
                        _store_gradients(gw, gb, grad_w, grad_b, has_bias, widths, False)
                        return
        for l in range(n_layers):
            w = weights[l]
            bias = biases[l]
            for j in range(widths[l + 1]):
                for q in range(widths[l]):
                    w[j, q] = np.float32(np.float64(w[j, q]) - lr * np.float64(gw[l, j, q]))
                if has_bias[l]:
                    bias[j] = np.float32(np.float64(bias[j]) - lr * np.float64(gb[l, j]))
        result[0] = s + 1
        result[1] = np.float64(np.float32(loss))
        computed = True
    if computed:
        _store_gradients(gw, gb, grad_w, grad_b, has_bias, widths, False)


# --- planning batches exactly as Trainer.next_batch draws them --------------------
class _Plan:
    """The batches of the next `k` steps, drawn with the trainer's own generator."""

    def __init__(self, trainer, k: int) -> None:
        n, size = len(trainer.x_train), trainer.batch_size
        rng = trainer._batch_rng
        order, cursor, epoch = trainer._order, trainer._cursor, trainer.epoch
        pieces, starts, lens = [], [], []
        self.segments = []  # (first step, steps, order, cursor at start, epoch at start, rng state or None)
        offset = done = 0
        while done < k:
            rng_state = None
            if cursor >= n:
                rng_state = rng.get_state()
                order = torch.randperm(n, generator=rng)
                cursor = 0
            m = min(k - done, -(-(n - cursor) // size))
            first = cursor + np.arange(m, dtype=np.int64) * size
            length = np.minimum(size, n - first)
            used = int(length.sum())
            pieces.append(order.numpy()[cursor:cursor + used])
            starts.append(offset + first - cursor)
            lens.append(length)
            self.segments.append((done, m, order, cursor, epoch, rng_state, length))
            offset += used
            cursor += used
            if cursor >= n:
                cursor = n
                epoch += 1
            done += m
        self.flat = np.ascontiguousarray(np.concatenate(pieces), dtype=np.int64)
        self.starts = np.concatenate(starts).astype(np.int64)
        self.lens = np.concatenate(lens).astype(np.int64)
        self.final = (order, cursor, epoch)
        self.max_batch = int(self.lens.max())
        self.n = n

    def state_after_draw(self, step: int):
        """(order, cursor, epoch, rng state to restore or None) just after drawing batch `step`."""
        found, restore = None, None
        for first, m, order, cursor, epoch, rng_state, length in self.segments:
            if first <= step < first + m:
                cursor += int(length[:step - first + 1].sum())
                if cursor >= self.n:
                    cursor, epoch = self.n, epoch + 1
                found = (order, cursor, epoch)
            elif first > step and restore is None and rng_state is not None:
                restore = rng_state  # undo permutations drawn for batches never reached
        return (*found, restore)


def run_fast(trainer, model: FastModel, n: int) -> tuple[int, float, int]:
    """Up to `n` steps with the kernel, updating the trainer's counters and batch state.
    Returns (completed steps, last loss, status)."""
    s = trainer.settings
    y = model.targets(trainer.y_train)
    result = np.zeros(3, dtype=np.float64)
    loss, done = math.nan, 0
    reg_rate = float(s.reg_rate) if s.regularization != "none" else 0.0
    reg_kind = REGULARIZATIONS[s.regularization] if reg_rate != 0 else 0
    while done < n:
        k = min(CHUNK, n - done)
        plan = _Plan(trainer, k)
        _train_chunk()(model.x, y, plan.flat, plan.starts, plan.lens, model.weights, model.biases,
                    model.grad_w, model.grad_b, model.has_bias, model.acts, model.slopes, model.widths, LOSSES[s.loss],
                    float(s.learning_rate), reg_kind, reg_rate, plan.max_batch, result)
        completed, status = int(result[0]), int(result[2])
        trainer.step_count += completed
        done += completed
        if completed:
            loss = float(result[1])
        if status != OK:
            order, cursor, epoch, restore = plan.state_after_draw(completed)
            trainer._order, trainer._cursor, trainer.epoch = order, cursor, epoch
            if restore is not None:
                trainer._batch_rng.set_state(restore)
            return done, loss, status
        trainer._order, trainer._cursor, trainer.epoch = plan.final
    return done, loss, OK
