"""The send log: which schedule rows were e-mailed, so a re-run after a failure skips them.

It holds row ids, message ids and times, and a salted digest of each row so a re-run can tell
an unchanged row from an edited one. It holds no names, addresses, dates or notes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import secrets
from pathlib import Path

from .atomicio import PRIVATE_FILE, make_folder
from .schedule import ScheduleRow


class SendLog:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.salt = ""
        self.sent: dict[str, str] = {}  # row key -> digest of the row when it was sent
        if path.is_file():
            for line in path.read_text(encoding="utf-8").splitlines():
                try:
                    entry = json.loads(line)
                except ValueError:
                    continue  # a torn last line from a crash: that row was not confirmed
                if "salt" in entry:
                    self.salt = entry["salt"]
                elif "row" in entry and "digest" in entry:
                    self.sent[entry["row"]] = entry["digest"]
        if not self.salt:
            self.salt = secrets.token_hex(16)
            self._append({"salt": self.salt, "created": _now()})

    def digest(self, row: ScheduleRow) -> str:
        p = row.patient
        fields = (row.key, row.clinic, row.procedure, row.lang, row.layout, p.name, p.email, p.physician, p.note,
                  p.date.isoformat() if p.date else "", p.arrive.isoformat() if p.arrive else "")
        return hashlib.sha256((self.salt + "\x1f".join(fields)).encode()).hexdigest()

    def already_sent(self, row: ScheduleRow) -> bool:
        return self.sent.get(row.key) == self.digest(row)

    def record(self, row: ScheduleRow, message_id: str) -> None:
        digest = self.digest(row)
        self._append({"row": row.key, "digest": digest, "message_id": message_id, "sent": _now()})
        self.sent[row.key] = digest

    def _append(self, entry: dict) -> None:
        make_folder(self.path.parent, private=True)
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, PRIVATE_FILE)
        try:
            os.fchmod(fd, PRIVATE_FILE)  # a log made by an older version may still be 0644
        except OSError:
            pass  # someone else's file: keep what they chose
        with open(fd, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry) + "\n")
            handle.flush()
            os.fsync(handle.fileno())


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
