"""A batch's collector settings: in force while the batch runs, gone after it, nothing kept frozen."""

from __future__ import annotations

import datetime as dt
import gc
from collections import Counter

import pytest

from handouts.batch import Job, execute
from handouts.collector import YOUNG_OBJECTS, batch_collection
from handouts.patient import Patient
from handouts.produce import Target, produce
from handouts.workspace import Workspace


def test_settings_hold_during_the_batch_and_return_after() -> None:
    before = gc.get_threshold()
    with batch_collection():
        assert gc.get_threshold()[0] == YOUNG_OBJECTS and gc.get_freeze_count() > 0
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0


def test_an_in_process_batch_leaves_the_collector_as_it_found_it(ws_path) -> None:
    workspace = Workspace(ws_path)
    before = gc.get_threshold()
    seen = []
    jobs = [Job(Target("riverbend", procedure, "en", "one-page"))
            for procedure in ("medial-branch-block", "trigger-point-injection")]
    for job, result in execute(workspace, jobs, 1):
        seen.append(gc.get_threshold()[0])
        assert result.produced is not None and result.produced.files[0][1].startswith(b"%PDF")
    assert seen == [YOUNG_OBJECTS, YOUNG_OBJECTS]
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0


@pytest.mark.parametrize("layout", ["one-page", "booklet", "large-print"])
@pytest.mark.parametrize("personal", [False, True])
def test_a_rendered_handout_leaves_nothing_for_the_cycle_collector(ws_path, layout, personal) -> None:
    """Every object a handout makes is freed by reference counting as soon as its bytes are out, so
    a batch of hundreds runs the cycle collector almost never (it walks every young object)."""
    workspace = Workspace(ws_path)
    patient = Patient("Ana Quiñones", dt.date(2026, 12, 3), dt.time(7, 45), "Dr. Chen", "Bring your pain diary.")
    targets = [Target(clinic, procedure, lang, layout) for clinic in ("riverbend", "northshore")
               for procedure, lang in (("medial-branch-block", "en"), ("spinal-cord-stimulator-trial", "es"))]
    for target in targets:  # first once each: imports and caches made on first use are kept on purpose
        produce(workspace, target, patient if personal else None)
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        for target in targets:
            assert produce(workspace, target, patient if personal else None).pages >= 1
        gc.collect()
        left = [type(thing).__name__ for thing in gc.garbage]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert not left, Counter(left).most_common(8)
