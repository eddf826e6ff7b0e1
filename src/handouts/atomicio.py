"""Atomic file writes: a reader (or a printer queue) only ever sees a whole file or none.

Data goes to a temporary file in the same folder, is flushed to disk, then renamed over the
target. Temporary names carry the writer's process id, so litter left by a killed build is
recognised and removed by the next run without touching a concurrent build's files.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

TEMP_SUFFIX = ".handouts-tmp"


def _temp_name(target: Path) -> Path:
    return target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}{TEMP_SUFFIX}")


def _write_temp(temp: Path, data: bytes) -> None:
    with open(temp, "xb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def write_atomic(target: Path, data: bytes) -> None:
    """Write `data` to `target` atomically; on any error no partial file is left behind."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = _temp_name(target)
    try:
        _write_temp(temp, data)
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_temps(folder: Path) -> int:
    """Delete temporary files whose writer process is gone; returns how many were removed."""
    if not folder.is_dir():
        return 0
    removed = 0
    for temp in folder.rglob(f".*{TEMP_SUFFIX}"):
        parts = temp.name.split(".")
        try:
            pid = int(parts[-3])
        except (IndexError, ValueError):
            continue
        if pid != os.getpid() and not _pid_alive(pid):
            temp.unlink(missing_ok=True)
            removed += 1
    return removed
