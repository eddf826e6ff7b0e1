"""Run many render jobs, in this process or on a pool of worker processes.

ReportLab is not thread-safe, so parallelism is processes. Each worker loads the workspace and
registers fonts once, then turns jobs (plain data) into bytes or a user-facing error message.
The parent keeps only a small window of jobs in flight, so memory stays flat however long the
batch, and it receives results in submission order, so output reads the same every run. Files
are written by the parent only, atomically.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from .collector import batch_collection, settle_for_batch
from .errors import HandoutsError
from .parentwatch import exit_with_parent
from .patient import Patient
from .produce import Produced, Target, produce
from .protect import PasswordMissing, encrypt
from .workspace import Workspace


@dataclass(frozen=True, slots=True)
class Job:
    """One handout to render. Plain, picklable data: it crosses to a worker process."""

    target: Target
    patient: Patient | None = None
    password: str | None = None  # encrypt the result with this (personalised jobs only)
    measure_only: bool = False  # `check`: report pages and size, send no bytes back
    check_text: bool = False  # `build`: count what `check` would find in the text (one target per procedure)


@dataclass(frozen=True, slots=True)
class JobResult:
    produced: Produced | None
    error: str = ""


def run_job(workspace: Workspace, job: Job) -> JobResult:
    """Render one job; user-fixable problems come back as a message, not an exception."""
    try:
        produced = produce(workspace, job.target, job.patient, job.check_text)
        if job.measure_only:
            produced = dataclasses.replace(produced, files=())
        elif job.password is not None:
            produced = dataclasses.replace(
                produced, files=tuple((name, encrypt(data, job.password)) for name, data in produced.files))
        return JobResult(produced)
    except HandoutsError as exc:
        return JobResult(None, exc.format_message())
    except PasswordMissing as exc:
        return JobResult(None, str(exc))


_WORKER_WORKSPACE: Workspace | None = None  # one per worker process, loaded once


def _init_worker(root: str, today: dt.date, parent_pid: int) -> None:
    global _WORKER_WORKSPACE
    exit_with_parent(parent_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides how a Ctrl-C ends the batch
    _WORKER_WORKSPACE = Workspace(Path(root), today)
    from .pdf import fonts

    fonts.register_family(fonts.default_files())
    settle_for_batch()


def _worker_job(job: Job) -> JobResult:
    assert _WORKER_WORKSPACE is not None
    return run_job(_WORKER_WORKSPACE, job)


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def _context():
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def execute(workspace: Workspace, jobs: Iterable[Job], workers: int,
            on_start: Callable[[], None] = lambda: None) -> Iterator[tuple[Job, JobResult]]:
    """Yield (job, result) in submission order, from `workers` processes (1: in this process)."""
    jobs = list(jobs)
    if workers <= 1 or len(jobs) <= 1:
        with batch_collection():
            for job in jobs:
                yield job, run_job(workspace, job)
        return
    window = workers * 4
    executor = ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=_context(),
                                   initializer=_init_worker,
                                   initargs=(str(workspace.root), workspace.today, os.getpid()))
    pending: deque[tuple[Job, Future]] = deque()
    queue = iter(jobs)

    def submit(job: Job) -> None:
        try:
            pending.append((job, executor.submit(_worker_job, job)))
        except BrokenProcessPool as exc:  # the pool is gone: the job fails like the ones in flight
            failed: Future = Future()
            failed.set_exception(exc)
            pending.append((job, failed))

    try:
        for job in queue:
            submit(job)
            if len(pending) >= window:
                break
        on_start()
        while pending:
            job, future = pending.popleft()
            try:
                result = future.result()
            except BrokenProcessPool:
                result = JobResult(None, "a worker process stopped unexpectedly (out of memory?); try -j 1")
            next_job = next(queue, None)
            if next_job is not None:
                submit(next_job)
            yield job, result
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
