"""The background writer: steps run one at a time off the caller's thread, results come back in order."""

from __future__ import annotations

import threading
import time

from handouts.writer import OrderedWriter


def test_steps_run_off_the_caller_thread_in_order_and_drain_waits_for_all():
    seen: list[tuple[int, str]] = []

    def step(number: int):
        def run() -> int:
            time.sleep(0.01 if number % 2 else 0.0)
            seen.append((number, threading.current_thread().name))
            return number
        return run

    with OrderedWriter(window=3) as writer:
        early = [result for number in range(10) for result in writer.submit(step(number))]
        rest = list(writer.drain())
    assert early + rest == list(range(10))
    assert [number for number, _ in seen] == list(range(10))
    assert all(name.startswith("handouts-writer") for _, name in seen)


def test_a_full_queue_makes_the_caller_wait_so_memory_stays_bounded():
    gate = threading.Event()
    with OrderedWriter(window=2) as writer:
        assert writer.submit(lambda: gate.wait(5) and 1) == []
        assert writer.submit(lambda: 2) == []
        gate.set()
        ready = writer.submit(lambda: 3)  # the third waits for the oldest instead of queueing more
        assert ready[:1] == [1]
        assert ready + list(writer.drain()) == [1, 2, 3]
