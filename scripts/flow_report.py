#!/usr/bin/env python3
"""Print every page-flow violation (issue 14, item 5) in a folder of built handouts, one per line.

    python scripts/flow_report.py out/            # every one-page, booklet and large-print file
    python scripts/flow_report.py out/ --summary  # and how many files break each rule, per layout

Exit status 1 when anything is found. The rules live in tests/flowcheck.py.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from flowcheck import RULES, UnreadableHandout, check_pdf, layout_kind, reading_order_files  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--summary", action="store_true", help="count files per rule and layout at the end")
    args = parser.parse_args()
    files = reading_order_files(args.folder)
    if not files:
        print(f"{args.folder}: no one-page, booklet or large-print PDFs found", file=sys.stderr)
        return 2
    per_rule: dict[tuple[str, str], set[str]] = defaultdict(set)
    per_layout: dict[str, int] = defaultdict(int)
    total = 0
    for path in files:
        name = str(path.relative_to(args.folder))
        kind = layout_kind(path)
        per_layout[kind] += 1
        try:
            found = check_pdf(path, name=name)
        except UnreadableHandout as exc:
            print(f"{name}: cannot check: {exc}")
            total += 1
            continue
        for violation in found:
            print(violation.line())
            per_rule[(kind, violation.rule)].add(name)
            total += 1
    if args.summary:
        print(f"\n{total} violations in {len({n for names in per_rule.values() for n in names})} of {len(files)} files")
        for kind in sorted(per_layout):
            counts = ", ".join(f"{rule}: {len(per_rule[(kind, rule)])}" for rule in RULES)
            print(f"{kind} ({per_layout[kind]} files): files violating  {counts}")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
