"""The settings a comparison changes: `KEY=V1,V2,…` read, checked and applied to a project.

Keys: every training setting (`TrainingSettings`' fields), `seed`, and three that change
nodes of the network — `activation` (the function of every hidden activation node; the one
that gives the output keeps its own, as TensorFlow Playground's activation menu does),
`width` (the units of every hidden dense layer; the last one, whose width the output needs,
keeps its own) and `init` (every dense layer's initialisation). `activation.NODE`,
`width.NODE` and `init.NODE` change one named node. Values are typed and checked by the
rules that project files (`read_training`) and node types (`Param`) use, so any run that
can be made can also be saved.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace

from laegna_gui.core.errors import LaegnaError, ParameterError, ProjectFileError
from laegna_gui.core.graph import Graph
from laegna_gui.core.limits import SEED_MAX, SEED_MIN
from laegna_gui.core.nodes import node_type
from laegna_gui.core.project import Project
from laegna_gui.core.project_schema import read_training
from laegna_gui.core.training_settings import TrainingSettings

TRAINING_KEYS = TrainingSettings.field_names()
NODE_KEYS = {"activation": ("activation", "function"), "width": ("dense", "units"), "init": ("dense", "init")}
_PARAM_KINDS = {bool: "bool", int: "int", float: "float", str: "choice"}
_TRUE, _FALSE = ("true", "yes", "on", "1"), ("false", "no", "off", "0")

Value = bool | int | float | str


@dataclass(frozen=True)
class Change:
    """One setting of one run, e.g. learning_rate=0.3 or width.dense1=8."""

    key: str
    value: Value

    def __str__(self) -> str:
        value = self.value
        text = str(value).lower() if isinstance(value, bool) else f"{value:g}" if isinstance(value, float) else value
        return f"{self.key}={text}"


def label(changes: tuple[Change, ...]) -> str:
    """How a run is named: its changes, or 'as the project is' when it changes nothing."""
    return ", ".join(map(str, changes)) or "as the project is"


def parse_axis(text: str, project: Project, flag: str) -> tuple[Change, ...]:
    """'KEY=V1,V2,…' → one Change per value, each checked against `project`."""
    key, sep, values = (part.strip() for part in text.partition("="))
    if not sep or not key or not values:
        raise LaegnaError(f"{flag} {text!r}: expected KEY=VALUE[,VALUE…], e.g. learning_rate=0.03,0.3")
    kind = _kind(key, project)
    items = [v.strip() for v in values.split(",")]
    if "" in items:
        raise LaegnaError(f"{flag} {key}: a value is empty (values are separated by single commas)")
    changes = tuple(Change(key, _read(kind, item, key)) for item in items)
    for change in changes:  # ranges, choices and the network it makes, checked before any training
        checked(apply(project, (change,)), (change,))
    if len(set(changes)) < len(changes):
        twice = next(c for i, c in enumerate(changes) if c in changes[:i])
        raise LaegnaError(f"{flag} {key} lists {twice.value!r} twice")
    return changes


def combinations(axes: list[tuple[Change, ...]], flag: str) -> list[tuple[Change, ...]]:
    """Every run of several axes (each setting of one with each of the others)."""
    keys = [axis[0].key for axis in axes]
    for i, key in enumerate(keys):
        if key in keys[:i]:
            raise LaegnaError(f"{flag} {key} is given twice; list all its values in one: {key}=V1,V2")
    return list(itertools.product(*axes))


def apply(project: Project, changes: tuple[Change, ...]) -> Project:
    """A copy of `project` with the changes made (its stored weights left out: a run starts
    from the weights it is given). Raises a LaegnaError naming the change that is wrong."""
    graph = project.graph.copy()
    training, seed = {}, project.seed
    for change in changes:
        name, _, node = change.key.partition(".")
        if name in TRAINING_KEYS:
            training[name] = change.value
        elif name == "seed":
            seed = _seed(change.value)
        else:
            _set_nodes(graph, change, name, node or None)
    return replace(project, graph=graph, training=_training(project.training, training), seed=seed, weights=None)


def checked(project: Project, changes: tuple[Change, ...]) -> Project:
    """`project` (made by `apply`) if its network suits the data and the loss; else a
    LaegnaError naming the changes that made it."""
    try:
        project.analyse()
    except LaegnaError as exc:
        raise LaegnaError(f"{label(changes)}: {exc}") from None
    return project


def valid_keys(project: Project) -> str:
    """The keys `project` accepts, for an error message."""
    named = [f"{key}.NODE ({', '.join(_nodes(project.graph, key, every=True))})" for key in NODE_KEYS]
    return ", ".join([*TRAINING_KEYS, "seed", *NODE_KEYS, *named])


def _kind(key: str, project: Project) -> str:
    """The kind of value `key` takes ("int", "float", "bool", "choice"); refuses unknown keys."""
    name, dot, node = key.partition(".")
    if name in TRAINING_KEYS and not dot:
        return _PARAM_KINDS[type(getattr(TrainingSettings(), name))]
    if name == "seed" and not dot:
        return "int"
    if name in NODE_KEYS and (not dot or node in _nodes(project.graph, name, every=True)):
        type_name, param = NODE_KEYS[name]
        return next(p.kind for p in node_type(type_name).params if p.name == param)
    if name in NODE_KEYS and node:
        raise LaegnaError(f"{key}: {node!r} is not {_a(NODE_KEYS[name][0])} node of this network; "
                          f"{name}.NODE takes {', '.join(_nodes(project.graph, name, every=True)) or 'none'}")
    raise LaegnaError(f"unknown setting {key!r}; valid keys: {valid_keys(project)}")


def _read(kind: str, text: str, key: str) -> Value:
    """A value typed from its text; ranges and choices are checked when it is applied."""
    try:
        if kind == "float":
            return float(text)
        if kind == "int":
            return int(text)
    except ValueError:
        raise LaegnaError(f"{key}: expected {'a number' if kind == 'float' else 'a whole number'}, "
                          f"got {text!r}") from None
    if kind == "bool":
        if text.lower() not in _TRUE + _FALSE:
            raise LaegnaError(f"{key}: expected true or false, got {text!r}")
        return text.lower() in _TRUE
    return text


def _training(settings: TrainingSettings, changed: dict[str, Value]) -> TrainingSettings:
    if not changed:
        return settings
    try:
        return read_training(vars(settings) | changed)
    except ProjectFileError as exc:
        raise LaegnaError(str(exc).removeprefix("training.")) from None


def _set_nodes(graph: Graph, change: Change, name: str, node: str | None) -> None:
    _, param = NODE_KEYS[name]
    targets = [node] if node else _nodes(graph, name, every=False)
    if not targets:
        raise LaegnaError(f"{name}: this network has no {_HIDDEN[name]}; name one with {name}.NODE")
    for target in targets:
        try:
            graph.set_params(target, {param: change.value})
        except ParameterError as exc:
            raise LaegnaError(f"{change.key}: {str(exc).split(': ', 1)[-1]}") from None


_HIDDEN = {"activation": "hidden activation node", "width": "hidden dense layer", "init": "dense layer"}


def _nodes(graph: Graph, name: str, every: bool) -> list[str]:
    """The nodes `name` changes: all of their type (`every`), or the hidden ones `name` alone changes."""
    type_name = NODE_KEYS[name][0]
    nodes = [n.id for n in graph.nodes_of_type(type_name)]  # in the order they were made
    if every or name == "init":
        return nodes
    if name == "width":  # the last dense layers give the output its width
        return [n for n in nodes if any(graph.reaches(n, other) for other in nodes if other != n)]
    last = _output_activation(graph)
    return [n for n in nodes if n != last]


def _output_activation(graph: Graph) -> str | None:
    """The activation node that gives the output (through dropout only), as `final_activation` finds it."""
    current = graph.nodes_of_type("output")[0].id if graph.nodes_of_type("output") else None
    while current is not None:
        sources = graph.inputs_of(current)
        if len(sources) != 1:
            return None
        node = graph.node(sources[0])
        if node.type == "activation":
            return node.id
        current = node.id if node.type == "dropout" else None
    return None


def _a(type_name: str) -> str:
    return f"an {type_name}" if type_name[0] in "aeiou" else f"a {type_name}"


def _seed(value: int) -> int:
    """The seeds a project file accepts."""
    if not SEED_MIN <= value <= SEED_MAX:
        raise LaegnaError(f"seed: {value} is outside {SEED_MIN}…{SEED_MAX:,}")
    return value
