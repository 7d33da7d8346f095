"""Opening any hostile file in the window: one message saying what is wrong, and the project
that was open stays open, unchanged and still editable and trainable."""

from __future__ import annotations

import pytest
from hostile_files import HOSTILE, make_hostile

from laegna_gui.ui.document.commands import AddNodeCommand


@pytest.mark.parametrize("name", list(HOSTILE))
def test_opening_a_hostile_file_keeps_the_current_work(window, tmp_path, name):
    doc = window.document
    doc.push(AddNodeCommand(doc.graph, "dense", {"units": 5}, (40.0, 300.0)))  # unsaved work
    before, title = doc.graph.copy(), window.windowTitle()
    path, phrase = make_hostile(tmp_path, name)
    errors: list[tuple[str, str]] = []
    window.files.show_error = lambda heading, text: errors.append((heading, text))
    assert window.files.open(path) is False
    assert len(errors) == 1 and phrase in errors[0][1] and "unchanged" in errors[0][1]
    assert doc.graph == before and doc.modified and window.windowTitle() == title
    doc.undo_stack.undo()  # the undo history survived too
    assert len(doc.graph.nodes) == len(before.nodes) - 1
