"""The concepts guide's topics: an id for each page, its title, and the question its "?" asks.

Each page is resources/docs/guide/<id>.md. Pages link to each other with `topic:<id>`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from laegna_gui.core.resources import resource

TOPIC_LINK = re.compile(r"\(topic:([a-z_]+)\)")


@dataclass(frozen=True)
class Topic:
    id: str
    title: str
    question: str  # the "?" buttons' tooltip

    def text(self) -> str:
        """The page, as Markdown."""
        return resource("docs", "guide", f"{self.id}.md").read_text(encoding="utf-8")


TOPICS: tuple[Topic, ...] = (
    Topic("neuron", "Neurons and layers", "What is a neuron, and what are a dense layer's units?"),
    Topic("tensors", "Tensors and shapes", "What is a tensor, and what shape does each wire carry?"),
    Topic("perceptron", "The perceptron and XOR", "What is a perceptron, and why can't it learn XOR?"),
    Topic("activations", "Activation functions", "What is an activation function?"),
    Topic("losses", "Loss functions", "What is a loss function?"),
    Topic("gradient_descent", "Gradient descent", "What is gradient descent?"),
    Topic("backpropagation", "Backpropagation", "What is backpropagation?"),
    Topic("learning_rate", "Learning rate", "What is the learning rate?"),
    Topic("optimizers", "Optimizers: momentum and Adam", "What is an optimizer (momentum, Adam…)?"),
    Topic("batches", "Batches and online learning", "What is a batch, and what is online learning?"),
    Topic("overfitting", "Overfitting and the train/test split", "What is overfitting, and why split the data?"),
    Topic("regularization", "Regularization: L1, L2, dropout", "What is regularization (L1, L2, dropout)?"),
    Topic("exploding_vanishing", "Exploding and vanishing gradients",
          "What are exploding and vanishing gradients?"),
    Topic("clipping", "Gradient clipping", "What is gradient clipping?"),
    Topic("batch_norm", "Batch normalisation", "What is batch normalisation?"),
    Topic("affine", "Weights as affine transformations", "What does a weight matrix do to space?"),
    Topic("pca", "PCA: seeing a wide layer in 3-D", "What does the PCA in Layer space keep, and what does it lose?"),
)
_BY_ID = {t.id: t for t in TOPICS}


def topic(topic_id: str) -> Topic:
    """The topic `topic_id`; a KeyError that lists the known ids otherwise."""
    try:
        return _BY_ID[topic_id]
    except KeyError:
        raise KeyError(f"no help topic {topic_id!r}; known: {', '.join(_BY_ID)}") from None


def linked_topics(markdown: str) -> list[str]:
    """The topic ids a page links to."""
    return TOPIC_LINK.findall(markdown)
