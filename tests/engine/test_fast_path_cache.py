"""Without a writable cache folder (a read-only app bundle, no home), the fast path still runs."""

from __future__ import annotations

import numpy as np
from numba.core.dispatcher import Dispatcher

from laegna_gui.engine import fast_path
from laegna_gui.engine.trainer import Trainer

from laegna_gui.core.presets import load_preset


def no_cache_locator(self):
    raise RuntimeError(f"cannot cache function {self.py_func.__name__!r}: no locator available for file 'x.py'")


def test_fast_path_compiles_in_memory_when_numba_cannot_cache(monkeypatch):
    # start from the plain Python functions, as a fresh process would (restored after the test)
    monkeypatch.setattr(fast_path, "_compiled", {})
    monkeypatch.setattr(fast_path, "_store_gradients",
                        getattr(fast_path._store_gradients, "py_func", fast_path._store_gradients))
    monkeypatch.setattr(Dispatcher, "enable_caching", no_cache_locator)

    project = load_preset("circle")
    fast, slow = Trainer(project), Trainer(project)
    slow.use_fast_path = False
    assert fast.engine_name == "fast (numba)"
    fast.run(300)
    slow.run(300)

    kernel = fast_path._compiled["train_chunk"]
    assert isinstance(kernel, Dispatcher) and kernel.signatures  # compiled, and used by run()
    for name, weights in fast.weights().items():
        np.testing.assert_allclose(weights, slow.weights()[name], rtol=1e-4, atol=1e-5, err_msg=name)
