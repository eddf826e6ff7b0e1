"""YAML loading: every malformed file becomes one precise, located problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from handouts.errors import InvalidInput
from handouts.yamlio import load_mapping


def load(tmp_path: Path, text: str | bytes, **kwargs):
    path = tmp_path / "file.yaml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return load_mapping(path, "content/en/file.yaml", **kwargs)


def only_problem(exc: pytest.ExceptionInfo) -> str:
    assert len(exc.value.problems) == 1
    return str(exc.value.problems[0])


def test_records_lines_of_keys_and_items(tmp_path):
    data = load(tmp_path, "a: 1\nlist:\n  - one\n  - two\nnested:\n  b: x\n")
    assert data.line_of("a") == 1 and data.line_of("list") == 2 and data.line_of("nested") == 5
    assert data["list"].item_lines == [3, 4]
    assert data["nested"].line_of("b") == 6


def test_syntax_error_names_file_and_line(tmp_path):
    with pytest.raises(InvalidInput) as exc:
        load(tmp_path, "title: ok\nsummary: [unclosed\nwhat_it_is: x\n")
    message = only_problem(exc)
    assert message.startswith("content/en/file.yaml:")
    assert int(message.split(":")[1]) in (2, 3)


def test_tab_indentation_is_named(tmp_path):
    with pytest.raises(InvalidInput) as exc:
        load(tmp_path, "risks:\n\tcommon: [a]\n")
    assert only_problem(exc) == "content/en/file.yaml:2: tab used for indentation; YAML needs spaces"


def test_duplicate_keys_are_refused_with_both_lines(tmp_path):
    with pytest.raises(InvalidInput) as exc:
        load(tmp_path, "title: A\nsummary: x\ntitle: B\n")
    assert only_problem(exc) == "content/en/file.yaml:3: duplicate key 'title' (first on line 1)"


def test_empty_file(tmp_path):
    with pytest.raises(InvalidInput) as exc:
        load(tmp_path, "# only a comment\n")
    assert "file is empty" in only_problem(exc)


def test_top_level_list(tmp_path):
    with pytest.raises(InvalidInput) as exc:
        load(tmp_path, "- a\n- b\n")
    assert only_problem(exc) == "content/en/file.yaml:1: the top level is a list; expected fields (key: value)"


def test_non_utf8_bytes_report_their_line(tmp_path):
    with pytest.raises(InvalidInput) as exc:
        load(tmp_path, b"title: ok\nsummary: caf\xe9\n")
    assert only_problem(exc).startswith("content/en/file.yaml:2: not UTF-8 text (byte 0xe9)")


def test_size_cap(tmp_path):
    with pytest.raises(InvalidInput) as exc:
        load(tmp_path, "a: " + "x" * 2000 + "\n", max_bytes=1000)
    assert "the limit is 1,000" in only_problem(exc)


def test_billion_laughs_is_refused_before_expansion(tmp_path):
    bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for i, name in enumerate("bcdefghi"):
        prev = "abcdefghi"[i]
        bomb += f"{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
    with pytest.raises(InvalidInput) as exc:
        load(tmp_path, bomb)
    assert "anchors and aliases" in only_problem(exc)
    assert only_problem(exc).startswith("content/en/file.yaml:1:")


def test_non_string_keys_are_refused(tmp_path):
    with pytest.raises(InvalidInput) as exc:
        load(tmp_path, "1: one\n")
    assert "keys must be text" in only_problem(exc)


def test_python_tags_are_not_constructed(tmp_path):
    with pytest.raises(InvalidInput) as exc:
        load(tmp_path, "a: !!python/object/apply:os.system ['echo hacked']\n")
    assert "could not determine a constructor" in only_problem(exc)
