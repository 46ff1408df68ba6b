"""An event kind is declared once (`planctl.core.events.KINDS`): what it carries and needs,
whether it moves the due day, the export format that first holds it, its history label, and
its step of the fold (`planctl.core.state.STEPS`). Nothing else enumerates the kinds."""

from __future__ import annotations

import re

from planctl.core.events import COLUMNS, KINDS, Action, Kind
from planctl.core.state import STEPS, fold
from planctl.store.transfer_lines import FORMAT_VERSION, READABLE_VERSIONS
from planctl.views.labels import CATALOGUE
from tests.conftest import REPO

SRC = REPO / "src" / "planctl"


def test_every_action_has_a_complete_kind() -> None:
    assert set(KINDS) == set(Action)
    for action, kind in KINDS.items():
        assert isinstance(kind, Kind), action
        assert kind.label.strip(), action
        assert kind.format in READABLE_VERSIONS, action
        assert kind.format <= FORMAT_VERSION, action
        assert kind.needs <= COLUMNS, action
        assert kind.carries <= COLUMNS, action
        assert not kind.needs & kind.carries, action
        assert (kind.note_is is None) or "note" in kind.needs, action


def test_a_kind_that_changes_the_state_has_a_step_of_the_fold_and_no_other_does() -> None:
    assert set(STEPS) == {action for action, kind in KINDS.items() if kind.changes_state}


def test_every_kind_has_its_history_label() -> None:
    for action, kind in KINDS.items():
        assert CATALOGUE[f"act_{action.value}"] == kind.label


def test_the_fold_s_body_names_no_kind() -> None:
    source = (SRC / "core" / "state.py").read_text(encoding="utf-8")
    body = source.split("def fold(", 1)[1].split("\ndef ", 1)[0]
    assert re.findall(r"Action\.[A-Z]+", body) == []
    assert fold([]) == fold(())


def test_the_transfer_validator_the_rows_and_the_history_labels_list_no_kind() -> None:
    files = [
        *sorted((SRC / "store").glob("transfer*.py")),
        SRC / "store" / "rows.py",
        SRC / "views" / "history.py",
        SRC / "views" / "labels.py",
    ]
    named = {
        str(path.relative_to(SRC)): found
        for path in files
        if (found := re.findall(r"Action\.[A-Z]+", path.read_text(encoding="utf-8")))
    }
    assert named == {}
    labels = (SRC / "views" / "labels.py").read_text(encoding="utf-8")
    assert re.findall(r'"act_[a-z]+"', labels) == []
