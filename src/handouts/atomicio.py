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
PRIVATE_FILE = 0o600  # patient files: the owner only
PRIVATE_FOLDER = 0o700
SHARED_FILE = 0o666  # library handouts: as the umask allows (usually 0644)


def _temp_name(target: Path) -> Path:
    return target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}{TEMP_SUFFIX}")


def make_folder(folder: Path, private: bool = False) -> None:
    """Create `folder` and any missing parents; for patient files each one created is 0700."""
    if not private:
        folder.mkdir(parents=True, exist_ok=True)
        return
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for created in reversed(missing):
        try:
            created.mkdir(mode=PRIVATE_FOLDER)
        except FileExistsError:
            pass  # a concurrent run made it first


def _write_temp(temp: Path, data: bytes, mode: int) -> None:
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with open(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def write_atomic(target: Path, data: bytes, private: bool = False) -> None:
    """Write `data` to `target` atomically; on any error no partial file is left behind.
    A private file (patient details) is created 0600, in folders created 0700."""
    make_folder(target.parent, private)
    temp = _temp_name(target)
    try:
        _write_temp(temp, data, PRIVATE_FILE if private else SHARED_FILE)
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
