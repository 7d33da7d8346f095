"""The words a lesson file may use, each explained (docs/lessons.md lists them for teachers).

`GOAL_VALUES`: the names a goal's condition reads, measured on the live model and the
project (engine/lesson_values.py computes them). `CONTROLS`: the parts of the window a step
may point at and a classroom may hide (ui/lessons/controls.py finds each one). `CONCEPTS`:
what lessons teach, the groups of the lesson list, each with the guide page that explains it.
"""

from __future__ import annotations

GOAL_VALUES: dict[str, str] = {
    "steps": "training steps taken (one step = one batch)",
    "epochs": "passes over the training set",
    "train_loss": "loss on the training set (without regularization)",
    "test_loss": "loss on the test set",
    "loss_gap": "test_loss − train_loss: how much worse the network does on points it never trained on",
    "train_accuracy": "fraction of training points classified right (NaN for regression)",
    "test_accuracy": "fraction of test points classified right (NaN for regression)",
    "loss_diverged": "true once the loss became NaN or infinite",
    "hidden_units": "units in all hidden dense layers together",
    "hidden_layers": "hidden dense layers",
    "parameters": "weights and biases of the whole network",
    "dead_relu_fraction": "fraction of all ReLU-family units that give 0 for every training point",
    "max_gradient_norm": "the largest layer gradient norm of the latest step",
    "min_gradient_norm": "the smallest layer gradient norm of the latest step",
    "first_layer_det": "determinant of the first dense layer's weight matrix (NaN unless square)",
    "first_layer_bias": "length of the first dense layer's bias vector",
    "learning_rate": "the learning rate",
    "momentum": "the momentum setting",
    "batch_size": "points per batch (0 = the whole training set)",
    "full_batch": "true when each step uses the whole training set",
    "clipping_on": "true when gradient clipping is on",
    "reg_rate": "the regularization rate",
    "optimizer": 'the optimizer\'s name, e.g. optimizer == "adam"',
    "loss": 'the loss\'s name, e.g. loss == "cross_entropy"',
    "regularization": 'the regularization\'s name ("none", "l1", "l2")',
    "activation": 'the hidden layers\' activation ("relu", "tanh", …; "mixed" when they differ)',
    "init": 'the dense layers\' initialisation ("mixed" when they differ)',
}

CONTROLS: dict[str, str] = {
    "palette": "the Layers palette (blocks to drag onto the canvas)",
    "canvas": "the network canvas",
    "dataset": "the Dataset panel",
    "inspector": "the Inspector (the selected layer's settings and weights)",
    "output": "the Output view (decision boundary or fitted curve)",
    "training": "the whole Training panel",
    "play": "the Play/Pause button",
    "step": "the Step button (one training iteration)",
    "reset": "the Reset button",
    "timeline": "the time machine's timeline",
    "optimizer": "the optimizer menu",
    "learning-rate": "the learning rate field",
    "batch-size": "the batch size field",
    "loss": "the loss menu",
    "regularization": "the regularization controls",
    "clipping": "the gradient clipping controls",
    "loss-tab": "the Loss tab (loss and accuracy curves)",
    "weights-tab": "the Weights tab",
    "gradients-tab": "the Gradients tab",
    "step-tab": "the Step tab (one iteration in detail, finite differences)",
    "layer-space-tab": "the Layer space tab (3-D)",
    "landscape-tab": "the Loss landscape tab (3-D)",
    "transform-lab": "the Transform lab tab (4×4 matrices in 3-D)",
    "experiment-menu": "the Experiment menu (Compare, Sweep)",
}

CONCEPTS: dict[str, tuple[str, str]] = {  # id: (title, guide page)
    "neuron": ("The neuron", "neuron"),
    "activations": ("Activations", "activations"),
    "hidden-layers": ("Hidden layers", "perceptron"),
    "gradient-descent": ("Gradient descent", "gradient_descent"),
    "learning-rate": ("The learning rate", "learning_rate"),
    "batches": ("Batches", "batches"),
    "backpropagation": ("Backpropagation", "backpropagation"),
    "optimizers": ("Optimizers", "optimizers"),
    "losses": ("Losses", "losses"),
    "gradients": ("Exploding and vanishing gradients", "exploding_vanishing"),
    "overfitting": ("Overfitting", "overfitting"),
    "capacity": ("Network size", "tensors"),
    "affine": ("Affine maps", "affine"),
    "layer-space": ("What a layer does to space", "pca"),
}
