"""Keeps the last good weights so a diverging step can be undone."""

from __future__ import annotations

import torch


class WeightGuard:
    """A copy of the parameters (and batch-norm statistics) taken before each step
    (cheap: one foreach copy)."""

    def __init__(self, params: list[torch.Tensor]) -> None:
        self.params = params
        self.saved = [p.detach().clone() for p in params]

    def save(self) -> None:
        with torch.no_grad():
            torch._foreach_copy_(self.saved, [p.detach() for p in self.params])

    def finite(self) -> bool:
        if not self.params:
            return True
        with torch.no_grad():
            # the largest magnitude is finite exactly when every entry is (a sum could overflow)
            largest = torch.stack([p.abs().amax() for p in self.params if p.numel()]).amax()
        return bool(torch.isfinite(largest))

    def restore(self) -> None:
        with torch.no_grad():
            torch._foreach_copy_([p.data for p in self.params], self.saved)
