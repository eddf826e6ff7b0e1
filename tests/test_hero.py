"""The top row's figure share: the search that skips hopeless shares picks what trying every share
picks, for every shipped handout, at several sizes, with and without a patient's panel."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from handouts.compose import compose
from handouts.fontfiles import default_files
from handouts.patient import Patient
from handouts.pdf.fonts import register_family
from handouts.pdf.appointment import AppointmentPanel
from handouts.pdf.hero import FIGURE_SHARES, PANEL_SHARES, Hero
from handouts.pdf.styles import make_styles
from handouts.pdf.tagging import document
from handouts.workspace import Workspace

REPO = Path(__file__).resolve().parents[1]
WIDTH = 540.0


def _every_share(hero: Hero) -> float:
    shares = (PANEL_SHARES if not hero.bar else ()) + FIGURE_SHARES
    heights = {share: hero._layout(WIDTH, share) for share in shares}
    return min(shares, key=lambda share: (round(heights[share], 1), abs(share - FIGURE_SHARES[1])))


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("personal", [False, True])
def test_the_chosen_share_is_the_lowest_row_of_all_shares(lang, personal):
    workspace = Workspace(REPO)
    family = register_family(default_files())
    layout = workspace.layout("one-page")
    patient = Patient("Ana María Quiñones-Oyelaran", dt.date(2026, 12, 3), dt.time(7, 45), "Dr. Chen",
                      "Bring your pain diary and the list of every medicine you take.") if personal else None
    checked = 0
    for procedure_id in workspace.procedure_ids(lang):
        for clinic_id in workspace.clinic_ids():
            clinic = workspace.clinic(clinic_id)
            handout = compose(workspace.procedure(lang, procedure_id), clinic, workspace.strings(lang),
                              patient=patient, artwork=workspace.artwork(clinic))
            for size in (layout.sizes.body_min, 12.0, layout.sizes.body):
                styles = make_styles(layout, handout.brand, family, size)
                structure = document(lang)
                lead = AppointmentPanel(handout.appointment, styles, structure, inline=True) if personal else None
                hero = Hero(handout, styles, structure, 86.4, lead=lead)
                hero.wrap(WIDTH, 1e6)
                chosen, height = hero.figure_w / WIDTH, hero.height
                best = _every_share(hero)
                assert chosen == pytest.approx(best), (procedure_id, clinic_id, size)
                assert height == hero._layout(WIDTH, best)
                checked += 1
    assert checked == len(workspace.procedure_ids(lang)) * len(workspace.clinic_ids()) * 3
