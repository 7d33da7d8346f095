"""Laegna — a desktop playground for neural networks."""

import os

# One BLAS/OpenMP thread: on small machines, numpy's and torch's thread pools fight over
# the cores and make small matrix operations many times slower (set before numpy loads).
for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

__version__ = "0.1.0"
