"""Worker processes end with the process that started them.

A pool worker blocks on its job queue; if the parent is killed outright (SIGKILL, the OOM killer)
nothing ever tells it to stop, so it would live on adopted by init, holding memory and the
workspace's files. On Linux the kernel can signal it when the parent goes (PR_SET_PDEATHSIG);
elsewhere a small daemon thread notices the parent is gone.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
import threading
import time

_PR_SET_PDEATHSIG = 1


def exit_with_parent(parent_pid: int) -> None:
    """Arrange for this process to end when `parent_pid` ends (call it first thing in a worker)."""
    if not (sys.platform.startswith("linux") and _ask_kernel()):
        threading.Thread(target=_watch, args=(parent_pid,), name="parent-watch", daemon=True).start()
    if os.getppid() != parent_pid:  # the parent died before the request took effect
        os._exit(1)


def _ask_kernel() -> bool:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        return libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch(parent_pid: int, interval: float = 0.5) -> None:
    while os.getppid() == parent_pid:
        time.sleep(interval)
    os._exit(1)
