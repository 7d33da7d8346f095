"""The compiled training engine: every network the canvas can build, in numba code.

`flat` keeps every parameter, gradient, batch-norm statistic and optimizer state in a few
flat float32 buffers that the torch modules view (so both engines always see the same
numbers); `plan` turns a graph into integer tables of operations; `kernels` (numba,
imported on first use) runs forward, loss, backward, clipping and the optimizer over them;
`schedule` is the batch order and the dropout masks both engines draw; `choice` picks the
faster engine for a network.
"""
