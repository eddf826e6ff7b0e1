"""Schedules: every bad row is located and skipped without quoting patient details."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from handouts.errors import InvalidInput
from handouts.schedule import read_schedule
from handouts.workspace import Workspace

HEADER = "id,procedure,lang,layout,patient_name,date,arrive,physician,note,email\n"
GOOD = "a1,medial-branch-block,en,one-page,Ana Ruiz,2026-12-01,7:30 AM,Dr. Patel,Stop aspirin,ana@example.com\n"


def read(ws_path: Path, text: str | bytes, name: str = "today.csv"):
    path = ws_path / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return read_schedule(path, Workspace(ws_path))


def test_good_row(ws_path):
    rows, problems = read(ws_path, HEADER + GOOD)
    assert problems == []
    row = rows[0]
    assert (row.key, row.procedure, row.lang, row.layout, row.clinic) == ("a1", "medial-branch-block", "en",
                                                                           "one-page", "riverbend")
    assert row.patient.date == dt.date(2026, 12, 1) and row.patient.arrive == dt.time(7, 30)
    assert "Ana" not in repr(row) and "Ana" not in repr(row.patient)


def test_bad_rows_are_located_and_others_kept(ws_path):
    bad = [
        "b2,medial-brench-block,en,one-page,Bo Li,2026-12-01,7:30,,,\n",
        "b3,medial-branch-block,en,one-page,Cy Ng,2026-13-45,7:30,,,\n",
        "b4,medial-branch-block,en,one-page,,2026-12-01,7:30,,,\n",
        "b5,medial-branch-block,en,one-page,Di Wu,2026-12-01,25:99,,,\n",
        "b6,medial-branch-block,en,one-page,Ed Yu,2026-12-01,7:30,,,not-an-address\n",
        "a1,medial-branch-block,en,one-page,Fay Oz,2026-12-01,7:30,,,\n",
        "../etc,medial-branch-block,en,one-page,Gus Po,2026-12-01,7:30,,,\n",
    ]
    rows, problems = read(ws_path, HEADER + GOOD + "".join(bad))
    assert [r.key for r in rows] == ["a1"]
    got = [str(p) for p in problems]
    assert got[0] == "today.csv:3: procedure: unknown procedure; did you mean 'medial-branch-block'?"
    assert got[1] == "today.csv:4: date: not a date; write it as YYYY-MM-DD"
    assert got[2] == "today.csv:5: patient_name: is empty"
    assert got[3] == "today.csv:6: arrive: not a time; write it like 07:30 or 7:30 AM"
    assert got[4] == "today.csv:7: email: not an e-mail address"
    assert got[5] == "today.csv:8: id: id 'a1' is also used on line 2"
    assert got[6].startswith("today.csv:9: id: must be letters, digits")
    joined = "\n".join(got)
    for detail in ("Bo Li", "Cy Ng", "2026-13-45", "25:99", "not-an-address", "Fay Oz"):
        assert detail not in joined  # problems name the line and column, never the patient's value


def test_bom_semicolons_blank_lines_and_line_breaks_in_names(ws_path):
    text = "\ufeff" + HEADER.replace(",", ";") + "\n" + GOOD.replace(",", ";") + "\n\n" + \
        'a2;medial-branch-block;en;one-page;"Evil\r\nBcc: x@y.z";2026-12-01;7:30;;;\n'
    rows, problems = read(ws_path, text)
    assert problems == [] and len(rows) == 2
    assert rows[1].patient.name == "Evil Bcc: x@y.z"  # a line break can never reach a header


@pytest.mark.parametrize("text, message", [
    ("id|procedure|patient_name\nx|medial-branch-block|Ann\n", "the first line must name the columns"),
    ("id,patient_name\nx,Ann\n", "the first line must name the columns, at least procedure and patient_name"),
    (b"procedure,patient_name\nmedial-branch-block,Ren\xe9\n", "not UTF-8 text; save the schedule as 'CSV UTF-8'"),
])
def test_unusable_files(ws_path, text, message):
    with pytest.raises(InvalidInput) as exc:
        read(ws_path, text)
    assert message in str(exc.value.problems[0])


def test_ten_thousand_rows(ws_path):
    body = "".join(f"r{i},medial-branch-block,en,one-page,Patient {i},2026-12-01,7:30,,,\n" for i in range(10_000))
    rows, problems = read(ws_path, HEADER + body)
    assert len(rows) == 10_000 and problems == []
