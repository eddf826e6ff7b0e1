"""The output folder's record of what handouts wrote, so it never overwrites someone's own file.

`out/.handouts-manifest.json` lists each file we wrote with its hash and the fingerprint of
the inputs that shaped it. A file at a target path that the record does not know, or that
changed since we wrote it, belongs to a person: we leave it alone unless told `--force`.

Crash safety: before a file is renamed into place, its hash is appended to a journal
(`.handouts-manifest.journal`), so a build killed at any moment leaves every file it wrote
recognisable as ours. The journal is folded into the manifest when a run ends. Appends and the
fold happen under a file lock, so two builds into one folder keep both their records.
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

from .atomicio import PRIVATE_FILE, make_folder, write_atomic
from .errors import HandoutsError, UnsafePath
from .paths import inside_output

HISTORY = 4  # hashes remembered per path: enough to recognise a file from any interrupted run

MANIFEST_NAME = ".handouts-manifest.json"
JOURNAL_NAME = ".handouts-manifest.journal"
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
    known: dict[str, list[str]] = field(default_factory=dict)  # recent hashes we wrote at a path, newest last
    dirty: bool = False
    private: bool = False  # a folder of patient files: everything written 0600, folders made 0700

    @classmethod
    def load(cls, out_dir: Path, private: bool = False) -> Manifest:
        if private:
            make_folder(out_dir, private=True)
        files, known = _read(out_dir)
        return cls(out_dir, files, known, private=private)

    def entry(self, rel: str) -> dict | None:
        return self.files.get(rel)

    def owns(self, rel: str) -> bool:
        """True when the file at `rel` is absent or is exactly something we wrote there."""
        path = self.out_dir / rel
        if not path.exists():
            return True
        if not path.is_file():
            return False
        entry = self.files.get(rel, {})
        stat = path.stat()
        if stat.st_size == entry.get("size") and stat.st_mtime_ns == entry.get("mtime_ns"):
            return True
        digest = sha256(path.read_bytes())
        if digest in self.known.get(rel, ()):
            return True
        # A concurrent run may have written it since we loaded: look at the journal again.
        files, known = _read(self.out_dir)
        for other, shas in known.items():
            for seen in shas:
                _remember(self.known, other, seen)
        return digest in self.known.get(rel, ())

    def is_current(self, rel: str, fingerprint: str) -> bool:
        """The file exists, is ours, untouched, and was built from identical inputs."""
        entry = self.files.get(rel)
        if not entry or entry.get("fingerprint") != fingerprint:
            return False
        path = self.out_dir / rel
        try:
            stat = path.stat()
        except OSError:
            return False
        return stat.st_size == entry.get("size") and stat.st_mtime_ns == entry.get("mtime_ns") or self.owns(rel)

    def expect(self, rel: str, digest: str) -> None:
        """Journal the hash of a file about to be renamed into place (call before writing)."""
        _remember(self.known, rel, digest)
        self._journal({"expect": rel, "sha256": digest})

    def record(self, rel: str, digest: str, fingerprint: str, source: dict[str, str]) -> None:
        """Note a file written in place (`digest` its bytes' SHA-256), with what shaped it (call after writing)."""
        stat = (self.out_dir / rel).stat()
        entry = {"sha256": digest, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns,
                 "fingerprint": fingerprint, **source}
        self.files[rel] = entry
        _remember(self.known, rel, entry["sha256"])
        self._journal({"record": rel, **entry})

    def target(self, rel: str) -> Path:
        """Where `rel` is written; a subfolder linked out of the output folder is refused."""
        path = inside_output(self.out_dir, rel)
        if path is None:
            raise UnsafePath(f"{rel} would be written outside {self.out_dir} (a folder there links elsewhere); "
                             f"remove the link")
        return path

    def write(self, rel: str, data: bytes, fingerprint: str, source: dict[str, str]) -> None:
        """Write a file atomically and record it, journalling first so a kill at any point is safe."""
        path = self.target(rel)
        digest = sha256(data)  # once: the writer thread shares the parent's two cores with the workers
        self.expect(rel, digest)
        write_atomic(path, data, self.private)
        self.record(rel, digest, fingerprint, source)

    def forget(self, rel: str) -> None:
        self.files.pop(rel, None)
        self.known.pop(rel, None)
        self._journal({"forget": rel})

    def _journal(self, entry: dict) -> None:
        line = (json.dumps(entry) + "\n").encode()
        with locked(self.out_dir):
            fd = os.open(self.out_dir / JOURNAL_NAME, os.O_WRONLY | os.O_APPEND | os.O_CREAT,
                         PRIVATE_FILE if self.private else 0o644)
            try:
                os.write(fd, line)
            finally:
                os.close(fd)
        self.dirty = True

    def save(self) -> None:
        """Fold the journal (ours and any concurrent run's) into the manifest file."""
        if not self.dirty:
            return
        try:
            with locked(self.out_dir):
                files, known = _read(self.out_dir)
                body = json.dumps({"version": 2, "files": dict(sorted(files.items())),
                                   "history": dict(sorted(known.items()))}, indent=1)
                write_atomic(self.out_dir / MANIFEST_NAME, body.encode(), self.private)
                (self.out_dir / JOURNAL_NAME).unlink(missing_ok=True)
        except OSError as exc:
            raise HandoutsError(f"cannot update {self.out_dir / MANIFEST_NAME}: {exc.strerror or exc} "
                                f"(its journal keeps the record until the next run)") from None
        self.files, self.known, self.dirty = files, known, False


def _remember(known: dict[str, list[str]], rel: str, digest: str) -> None:
    shas = known.setdefault(rel, [])
    if digest in shas:
        shas.remove(digest)
    shas.append(digest)
    del shas[:-HISTORY]


def _read(out_dir: Path) -> tuple[dict[str, dict], dict[str, list[str]]]:
    files: dict[str, dict] = {}
    known: dict[str, list[str]] = {}
    try:
        data = json.loads((out_dir / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {}
    if isinstance(data, dict):
        for rel, shas in (data.get("history") or {}).items():
            for digest in shas if isinstance(shas, list) else []:
                _remember(known, rel, str(digest))
        for rel, entry in (data.get("files") or {}).items():
            if isinstance(entry, dict):
                files[rel] = entry
                _remember(known, rel, str(entry.get("sha256")))
    try:
        lines = (out_dir / JOURNAL_NAME).read_text(encoding="utf-8").splitlines()
    except OSError:
        lines = []
    for line in lines:
        try:
            entry = json.loads(line)
        except ValueError:
            continue  # a line torn by a crash: the file it announced was never renamed into place
        if "expect" in entry:
            _remember(known, entry["expect"], entry.get("sha256", ""))
        elif "record" in entry:
            rel = entry.pop("record")
            files[rel] = entry
            _remember(known, rel, entry.get("sha256", ""))
        elif "forget" in entry:
            files.pop(entry["forget"], None)
            known.pop(entry["forget"], None)
    return files, known


def relative_key(out_dir: Path, path: Path) -> str:
    return os.path.relpath(path, out_dir).replace(os.sep, "/")
