"""Layout specs: lengths with units, cascading files and the minimum body size."""

from __future__ import annotations

import pytest

from handouts.errors import InvalidInput
from handouts.layouts import load_layout, parse_length


@pytest.mark.parametrize("raw, points", [(36, 36.0), ("36pt", 36.0), ("0.5in", 36.0), ("25.4mm", 72.0),
                                         ("2.54cm", 72.0), ("wide", None), (True, None)])
def test_lengths(raw, points):
    assert parse_length(raw) == (pytest.approx(points) if points is not None else None)


def test_one_page_layout_loads(ws_path):
    layout = load_layout(ws_path / "layouts", "one-page")
    assert layout.kind == "one-page" and layout.columns == 2
    assert layout.sizes.body_min >= 11.5
    assert layout.sections[0] == "what_it_is"


def test_extends_overrides_only_what_it_states(ws_path):
    (ws_path / "layouts/one-page-a4.yaml").write_text("extends: one-page\npage: a4\ntype:\n  body: 12.5\n")
    layout = load_layout(ws_path / "layouts", "one-page-a4")
    base = load_layout(ws_path / "layouts", "one-page")
    assert layout.page == "a4" and layout.sizes.body == 12.5
    assert layout.sizes.body_min == base.sizes.body_min and layout.margins == base.margins
    assert layout.files == ("one-page-a4.yaml", "one-page.yaml")


def test_extends_loop(ws_path):
    (ws_path / "layouts/a.yaml").write_text("extends: b\n")
    (ws_path / "layouts/b.yaml").write_text("extends: a\n")
    with pytest.raises(InvalidInput) as exc:
        load_layout(ws_path / "layouts", "a")
    assert "'extends' forms a loop: a -> b -> a" in str(exc.value.problems[0])


def test_body_size_below_minimum_is_refused(ws_path):
    (ws_path / "layouts/tiny.yaml").write_text("extends: one-page\ntype:\n  body_min: 9\n")
    with pytest.raises(InvalidInput) as exc:
        load_layout(ws_path / "layouts", "tiny")
    assert any("type.body_min: 9 pt is below the smallest allowed body size for a one-page layout (11.5 pt)"
               in str(p) for p in exc.value.problems)


def test_unknown_section_and_bad_length(ws_path):
    (ws_path / "layouts/bad.yaml").write_text("extends: one-page\nsections: [what_it_is, side_effects]\n"
                                              "gutter: wide\n")
    with pytest.raises(InvalidInput) as exc:
        load_layout(ws_path / "layouts", "bad")
    text = [str(p) for p in exc.value.problems]
    assert any("sections[2]: unknown section 'side_effects'" in t for t in text)
    assert any("gutter: 'wide' is not a length" in t for t in text)
