"""Random search in an exported PyTorch script: its nudges and its training loop.

Mirrors engine/optimizers.py (RandomSearch, nudge_noise) and engine/random_search.py: the
same Box–Muller nudges from SplitMix64 keyed by the seed and the step, added in the same
float32 arithmetic, judged by the same loss (eval mode, penalty included), so the script
keeps exactly the nudges the app keeps.
"""

from __future__ import annotations

NUDGE_NOISE = '''

def nudge_noise(seed, step, n):
    """n standard normal numbers for random search's nudge at training step `step` (the
    iterations done before it): Box–Muller on 2n SplitMix64 draws u, v in [0, 1),
    sqrt(-2 ln(1 - u)) * cos(2 pi v), keyed by the seed and the step."""
    key = splitmix64(np.uint64((seed ^ 0x2545F4914F6CDD1D) % 2**64))  # not the shuffle's key
    key = splitmix64(key ^ np.uint64(step))
    z = splitmix64(key ^ np.arange(2 * n, dtype=np.uint64))
    u = (z >> np.uint64(11)).astype(np.float64) / 2.0**53
    return np.sqrt(-2.0 * np.log1p(-u[:n])) * np.cos(2.0 * np.pi * u[n:])
'''

TRY_NUDGE = '''

@torch.no_grad()
def try_nudge(parameters, batch_loss, step):
    """Random search's step: add a random nudge to every parameter (Gaussian, standard
    deviation LEARNING_RATE) and keep it only if batch_loss() is then strictly lower;
    otherwise put every parameter back as it was. Returns the loss before the nudge."""
    before = batch_loss()
    if not math.isfinite(before):
        return before
    kept = [p.clone() for p in parameters]
    noise = nudge_noise(SEED, step, sum(p.numel() for p in parameters))
    start = 0
    for p in parameters:
        nudge = (LEARNING_RATE * noise[start:start + p.numel()]).astype(np.float32)
        p.add_(torch.from_numpy(nudge).view(p.shape))
        start += p.numel()
    if not batch_loss() < before:
        for p, old in zip(parameters, kept):
            p.copy_(old)
    return before
'''


def search_train(classifies: bool, has_penalty: bool, fused: bool) -> str:
    """try_nudge and a train() that calls it once per mini-batch."""
    targets = "\n    targets = encode(y)" if classifies else ""
    output = "model.logits(x[batch])" if fused else "model(x[batch])"
    loss = f"loss_fn({output}, {'targets' if classifies else 'y'}[batch])"
    if has_penalty:
        loss = f"({loss} + penalty(model))"
    shown = "batch loss + penalty" if has_penalty else "batch loss"
    return TRY_NUDGE + f'''

def train(model, x, y, steps):
    """`steps` iterations of random search, one mini-batch each. It uses no gradients: each
    nudge is judged by the batch loss{" (and the penalty)" if has_penalty else ""} as the app measures it, with dropout
    off and batch norm on its running statistics (eval mode), which it leaves as they are."""
    parameters = list(model.parameters()){targets}
    order = batches(len(x))
    report_every = max(1, steps // 10)
    model.eval()

    def batch_loss(batch):
        return {loss}.item()

    for step in range(1, steps + 1):
        batch = next(order)
        value = try_nudge(parameters, lambda: batch_loss(batch), step - 1)
        if not math.isfinite(value):
            raise SystemExit(f"training diverged at step {{step}}: the loss became {{value}}; "
                             "lower LEARNING_RATE")
        if step % report_every == 0 or step == steps:
            print(f"step {{step:6d}}  {shown} {{value:.6f}}")
'''
