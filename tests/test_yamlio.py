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


def marks(value):
    """A loaded value with every line mark spelled out, to compare two loaders exactly."""
    if isinstance(value, dict):
        return {"line": value.line, "keys": value.key_lines, "items": {k: marks(v) for k, v in value.items()}}
    if isinstance(value, list):
        return {"line": value.line, "lines": value.item_lines, "items": [marks(v) for v in value]}
    return value


def test_the_c_parser_reads_every_shipped_file_exactly_as_the_python_parser():
    import yaml

    from handouts import yamlio

    repo = Path(__file__).resolve().parent.parent
    files = sorted(repo.glob("content/*/*.yaml")) + sorted(repo.glob("clinics/*/clinic.yaml"))
    assert len(files) >= 40
    fast = 0
    for path in files:
        text = path.read_text(encoding="utf-8")
        python = yaml.load(text, Loader=yamlio._MarkedLoader)  # noqa: S506
        assert marks(yamlio.parse_yaml(text, path.name)) == marks(python), path
        if "&" not in text and "*" not in text:
            assert marks(yaml.load(text, Loader=yamlio._FastLoader)) == marks(python), path  # noqa: S506
            fast += 1
    assert fast >= 40 and yaml.__with_libyaml__ and issubclass(yamlio._FastLoader, yaml.CSafeLoader)


@pytest.mark.parametrize("text, expected", [
    ("a: 1\na: 2\n", "duplicate key 'a' (first on line 1)"),
    ("a: [1, 2\n", "file.yaml:2: expected ',' or ']'"),
    ("a: !!python/object:os.system x\n", "python/object"),
    ("1: x\n", "keys must be text"),
])
def test_errors_read_the_same_when_the_c_parser_saw_the_file_first(tmp_path, text, expected):
    import yaml

    from handouts import yamlio

    with pytest.raises(InvalidInput) as exc:
        load(tmp_path, text)
    message = only_problem(exc)
    assert expected in message
    with pytest.raises(yaml.YAMLError) as python:
        yaml.load(text, Loader=yamlio._MarkedLoader)  # noqa: S506
    assert (python.value.problem or "") in message


@pytest.mark.parametrize("text, expected", [
    ('id: x\ntitle: "Medial Branch Block\nsummary: >-\n  A test.\nsources:\n  - "NASS"\n',
     "content/en/file.yaml:2: a quote opened on line 2 is never closed; close it on the same line (YAML then "
     "reads on until the next quote, on line 6)"),
    ("id: x\ntitle: Relief: most people\n",
     "content/en/file.yaml:2: a colon followed by a space inside a value; put the whole value in quotes"),
    ("id: x\nrisks:\n  common:\n    - one\n   serious:\n    - two\n",
     "content/en/file.yaml:5: this line's indentation does not line up with the lines above it"),
])
def test_syntax_errors_in_plain_words_at_the_line_to_fix(tmp_path, text, expected):
    with pytest.raises(InvalidInput) as exc:
        load(tmp_path, text)
    assert only_problem(exc).startswith(expected)
