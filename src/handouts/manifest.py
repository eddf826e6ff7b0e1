"""The output folder's record of what handouts wrote, so it never overwrites someone's own file.

`out/.handouts-manifest.json` lists each file we wrote with its hash and the fingerprint of
the inputs that shaped it. A file at a target path that the manifest does not know, or that
changed since we wrote it, belongs to a person: we leave it alone unless told `--force`.
Updates are merged under a file lock, so two builds into one folder keep both records.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .atomicio import write_atomic

MANIFEST_NAME = ".handouts-manifest.json"
LOCK_NAME = ".handouts.lock"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@contextmanager
def locked(out_dir: Path) -> Iterator[None]:
    out_dir.mkdir(parents=True, exist_ok=True)
    with open(out_dir / LOCK_NAME, "a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


@dataclass
class Manifest:
    out_dir: Path
    files: dict[str, dict] = field(default_factory=dict)
    _changed: dict[str, dict | None] = field(default_factory=dict)

    @classmethod
    def load(cls, out_dir: Path) -> Manifest:
        return cls(out_dir, _read(out_dir))

    def entry(self, rel: str) -> dict | None:
        return self.files.get(rel)

    def owns(self, rel: str) -> bool:
        """True when the file at `rel` is absent or is exactly what we last wrote there."""
        path = self.out_dir / rel
        if not path.exists():
            return True
        entry = self.files.get(rel)
        if entry is None or not path.is_file():
            return False
        stat = path.stat()
        if stat.st_size == entry.get("size") and stat.st_mtime_ns == entry.get("mtime_ns"):
            return True
        return sha256(path.read_bytes()) == entry.get("sha256")

    def is_current(self, rel: str, fingerprint: str) -> bool:
        """The file exists, is ours, untouched, and was built from identical inputs."""
        entry = self.files.get(rel)
        return bool(entry and entry.get("fingerprint") == fingerprint and (self.out_dir / rel).is_file()
                    and self.owns(rel))

    def record(self, rel: str, data: bytes, fingerprint: str, source: dict[str, str]) -> None:
        stat = (self.out_dir / rel).stat()
        entry = {"sha256": sha256(data), "size": stat.st_size, "mtime_ns": stat.st_mtime_ns,
                 "fingerprint": fingerprint, **source}
        self.files[rel] = entry
        self._changed[rel] = entry

    def forget(self, rel: str) -> None:
        self.files.pop(rel, None)
        self._changed[rel] = None

    def save(self) -> None:
        """Merge our changes into the manifest on disk (re-read under the lock) and write it."""
        if not self._changed:
            return
        with locked(self.out_dir):
            current = _read(self.out_dir)
            for rel, entry in self._changed.items():
                if entry is None:
                    current.pop(rel, None)
                else:
                    current[rel] = entry
            body = json.dumps({"version": 1, "files": dict(sorted(current.items()))}, indent=1)
            write_atomic(self.out_dir / MANIFEST_NAME, body.encode())
        self.files = current
        self._changed.clear()


def _read(out_dir: Path) -> dict[str, dict]:
    path = out_dir / MANIFEST_NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    files = data.get("files") if isinstance(data, dict) else None
    return {k: v for k, v in files.items() if isinstance(v, dict)} if isinstance(files, dict) else {}


def relative_key(out_dir: Path, path: Path) -> str:
    return os.path.relpath(path, out_dir).replace(os.sep, "/")
