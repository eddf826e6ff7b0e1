"""Folding text for the safety-word check: lower case, accents gone, everything else kept, exactly
as looking up every character would fold it."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from handouts.safety import fold

REPO = Path(__file__).resolve().parents[1]


def _every_character(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFD", text.lower()) if unicodedata.category(ch) != "Mn")


@pytest.mark.parametrize("text", ["Llámenos", "SUSPENDA la aspirina", "niño · 911 — “ya”", "Ωμέγα ﬁ x\u0301",
                                  "", "plain ascii"])
def test_fold_keeps_letters_and_drops_accents(text):
    assert fold(text) == _every_character(text)


def test_fold_agrees_on_every_shipped_text():
    for path in sorted((REPO / "content").rglob("*.yaml")) + sorted((REPO / "strings").rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        assert fold(text) == _every_character(text), path
