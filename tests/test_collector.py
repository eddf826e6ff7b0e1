"""A batch's collector settings: in force while the batch runs, gone after it, nothing kept frozen."""

from __future__ import annotations

import gc

from handouts.batch import Job, execute
from handouts.collector import YOUNG_OBJECTS, batch_collection
from handouts.produce import Target
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
