"""Content files: every field problem is reported at once, as path:line: field: message."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from handouts.content import load_procedure
from handouts.errors import InvalidInput

TODAY = dt.date(2026, 12, 2)


def load(ws_path: Path, name: str, text: str):
    path = ws_path / "content" / "en" / f"{name}.yaml"
    path.write_text(text)
    return load_procedure(path, f"content/en/{name}.yaml", "en", TODAY)


def replace_field(ws_path: Path, proc: str, old: str, new: str) -> str:
    text = (ws_path / "content" / "en" / f"{proc}.yaml").read_text()
    assert old in text
    return text.replace(old, new)


def messages(exc) -> list[str]:
    return [str(p) for p in exc.value.problems]


def test_shipped_procedures_load(ws_path):
    for path in sorted((ws_path / "content" / "en").glob("*.yaml")):
        procedure = load_procedure(path, path.name, "en", TODAY)
        assert procedure.id == path.stem
        assert procedure.risks.common and procedure.risks.serious
        assert procedure.call_us.clinic and procedure.call_us.emergency
        assert procedure.sources and procedure.updated <= TODAY


def test_missing_required_section(ws_path):
    text = replace_field(ws_path, "medial-branch-block", "expected_relief: >-", "expected_reliefs: >-")
    with pytest.raises(InvalidInput) as exc:
        load(ws_path, "medial-branch-block", text)
    got = messages(exc)
    assert any("expected_reliefs: unknown field; did you mean 'expected_relief'?" in m for m in got)
    assert "content/en/medial-branch-block.yaml:1: expected_relief: is required but missing" in got


def test_empty_risk_list(ws_path):
    text = replace_field(ws_path, "medial-branch-block", "  serious:\n    - Infection or bleeding\n"
                         "    - Nerve damage\n    - An allergic reaction to the medicine or dye\n", "  serious: []\n")
    with pytest.raises(InvalidInput) as exc:
        load(ws_path, "medial-branch-block", text)
    assert any(m.endswith("risks.serious: is an empty list; add at least one item") for m in messages(exc))


def test_wrong_type_names_line_and_field(ws_path):
    text = replace_field(ws_path, "medial-branch-block", "title: Medial Branch Block", "title: [Medial, Block]")
    with pytest.raises(InvalidInput) as exc:
        load(ws_path, "medial-branch-block", text)
    assert "content/en/medial-branch-block.yaml:2: title: expected text, found a list" in messages(exc)


def test_updated_in_future_and_not_a_date(ws_path):
    text = replace_field(ws_path, "medial-branch-block", "updated: 2026-12-02", "updated: 2031-01-01")
    with pytest.raises(InvalidInput) as exc:
        load(ws_path, "medial-branch-block", text)
    assert any("updated: 2031-01-01 is in the future" in m for m in messages(exc))
    with pytest.raises(InvalidInput) as exc:
        load(ws_path, "medial-branch-block", text.replace("updated: 2031-01-01", "updated: last spring"))
    assert any("updated: expected a date as YYYY-MM-DD, found str 'last spring'" in m for m in messages(exc))


def test_all_problems_reported_together_in_line_order(ws_path):
    text = replace_field(ws_path, "medial-branch-block", "title: Medial Branch Block", "title: ''")
    text = text.replace("updated: 2026-12-02", "updated: 2031-01-01").replace("  emergency:\n", "  emergncy:\n")
    with pytest.raises(InvalidInput) as exc:
        load(ws_path, "medial-branch-block", text)
    got = messages(exc)
    assert len(got) >= 4
    lines = [p.line or 0 for p in exc.value.problems]
    assert lines == sorted(lines)
    assert any("call_us.emergncy: unknown field; did you mean 'emergency'?" in m for m in got)
    assert any("call_us.emergency: is required but missing" in m for m in got)


def test_id_must_match_file_name(ws_path):
    text = replace_field(ws_path, "medial-branch-block", "id: medial-branch-block", "id: other-block")
    with pytest.raises(InvalidInput) as exc:
        load(ws_path, "medial-branch-block", text)
    assert "content/en/medial-branch-block.yaml:1: id: 'other-block' does not match the file name " \
           "'medial-branch-block.yaml'" in messages(exc)


def test_yes_no_values_are_not_silently_text(ws_path):
    text = replace_field(ws_path, "medial-branch-block", "also_called: [MBB, facet nerve block]",
                         "also_called: [MBB, no]")
    with pytest.raises(InvalidInput) as exc:
        load(ws_path, "medial-branch-block", text)
    assert any("also_called[2]: expected text, found 'false' (a yes/no value" in m for m in messages(exc))


def test_at_least_one_source(ws_path):
    text = (ws_path / "content/en/medial-branch-block.yaml").read_text()
    text = text[: text.index("sources:")] + "sources: []\n"
    with pytest.raises(InvalidInput) as exc:
        load(ws_path, "medial-branch-block", text)
    assert any("sources: expected a list with at least one source" in m for m in messages(exc))
