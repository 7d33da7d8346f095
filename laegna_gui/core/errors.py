"""Typed errors. Each carries one sentence a learner can act on."""

from __future__ import annotations


class LaegnaError(Exception):
    """Base of every error Laegna reports to a user (never a bug)."""


class GraphError(LaegnaError):
    """The network graph is not a valid network. `node` names the culprit, if any."""

    def __init__(self, message: str, node: str | None = None) -> None:
        super().__init__(message)
        self.node = node


class CycleError(GraphError):
    pass


class NoPathError(GraphError):
    pass


class MissingEndpointError(GraphError):
    """The graph has no input node or no output node (or more than one)."""


class ShapeMismatchError(GraphError):
    pass


class IncomingEdgesError(GraphError):
    """A node has the wrong number of incoming wires."""


class DisconnectedNodeError(GraphError):
    pass


class ParameterError(GraphError):
    """A node parameter has an invalid value."""


class DuplicateEdgeError(GraphError):
    pass


class UnknownNodeError(GraphError):
    pass


class LossMismatchError(GraphError):
    """The chosen loss does not fit the network's output or the task."""


class DatasetError(LaegnaError):
    """A dataset cannot be generated or imported (bad CSV, bad settings)."""


class ExpressionError(LaegnaError):
    """A typed formula or expression cannot be read. `position` (from 1) points at the mistake."""

    def __init__(self, problem: str, position: int | None = None) -> None:
        super().__init__(f"position {position}: {problem}" if position else problem)
        self.problem = problem
        self.position = position


class ProjectFileError(LaegnaError):
    """A project file cannot be read. The message names the field at fault."""


class TrainingDiverged(LaegnaError):
    """The loss or the weights became NaN/inf; the weights before the step are kept."""
