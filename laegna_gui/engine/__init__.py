"""Training with PyTorch. Imports torch, never Qt."""

import torch


def configure_torch() -> None:
    """One intra-op thread: on 2-core machines two threads make small ops 30–70× slower."""
    if torch.get_num_threads() != 1:
        torch.set_num_threads(1)
