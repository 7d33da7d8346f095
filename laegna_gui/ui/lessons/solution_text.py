"""A step's solution as steps a stuck learner can follow by hand (Markdown): the preset to
start from, each setting to change and where it is, and how long to train. Qt-free."""

from __future__ import annotations

from laegna_gui.core.lessons import Solution

# the keys that change the network (core/variations.py): what they are called in the window
NODE_WORDS = {
    "width": "the **units** of every hidden dense layer (Inspector)",
    "activation": "the **function** of every hidden activation (Inspector)",
    "init": "the **initialisation** of every dense layer (Inspector)",
}


def solution_markdown(solution: Solution) -> str:
    lines = ["**One way to meet this step's goals**", ""]
    if solution.text:
        lines += [solution.text, ""]
    number = 1
    if solution.preset:
        lines.append(f"{number}. Open the preset **{solution.preset}** (File ▸ Open Preset…).")
        number += 1
    for setting in solution.settings:
        key, _, value = (part.strip() for part in setting.partition("="))
        lines.append(f"{number}. Set {_where(key)} to **{value}**.")
        number += 1
    if solution.steps:
        lines.append(f"{number}. Train **{solution.steps}** steps: press **Play** and watch the step count "
                     "(press **Reset** first if the network has trained already).")
    return "\n".join(lines)


def _where(key: str) -> str:
    base, _, node = key.partition(".")
    if base in NODE_WORDS:
        return NODE_WORDS[base] if not node else f"the layer **{node}**'s {base} (Inspector)"
    if key == "seed":
        return "the **seed** (Dataset panel)"
    return f"the **{key.replace('_', ' ')}** (Training panel)"
