"""The live views of training: boundary, curves, weights, gradients, one step, the formula."""
