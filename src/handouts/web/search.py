"""Find a procedure by any name staff might type: title, "also called", or an alias like "ESI".

Matching ignores case and accents and looks at every language, so "cadera" and "nerve burn"
both work. Exact alias hits rank first, then names that start with the query, then the rest.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..workspace import Workspace


def fold(text: str) -> str:
    """Lower case without accents: 'Ablación' -> 'ablacion'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).strip()


@dataclass(frozen=True, slots=True)
class Entry:
    id: str
    titles: dict[str, str]  # language -> title
    names: tuple[str, ...]  # folded titles and "also called" names
    aliases: tuple[str, ...]  # folded aliases

    def title(self, lang: str) -> str:
        return self.titles.get(lang) or next(iter(self.titles.values()))


def build_index(workspace: Workspace) -> list[Entry]:
    found: dict[str, dict] = {}
    for lang in workspace.languages():
        for procedure in workspace.procedures(lang).items.values():
            entry = found.setdefault(procedure.id, {"titles": {}, "names": set(), "aliases": set()})
            entry["titles"][lang] = procedure.title
            entry["names"].update(fold(n) for n in (procedure.title, procedure.id.replace("-", " "),
                                                    *procedure.also_called))
            entry["aliases"].update(fold(a) for a in procedure.aliases)
    return [Entry(pid, data["titles"], tuple(sorted(data["names"])), tuple(sorted(data["aliases"])))
            for pid, data in sorted(found.items())]


def terms(entry: Entry) -> str:
    """Every word of every name and alias, space-separated, for word-start matching."""
    return " ".join(" ".join(re.split(r"[^\w]+", text)) for text in entry.names + entry.aliases)


def search(index: list[Entry], query: str, lang: str) -> list[Entry]:
    """Entries matching every word of the query, best first; everything when the query is empty."""
    q = fold(query)
    if not q:
        return sorted(index, key=lambda e: fold(e.title(lang)))
    words = q.split()
    scored = []
    for entry in index:
        haystack = " " + terms(entry)
        if not all(f" {word}" in haystack for word in words):  # each typed word starts a word of a name
            continue
        if q in entry.aliases:
            rank = 0
        elif any(name.startswith(q) for name in entry.names) or any(a.startswith(q) for a in entry.aliases):
            rank = 1
        else:
            rank = 2
        scored.append((rank, fold(entry.title(lang)), entry))
    return [entry for _, _, entry in sorted(scored, key=lambda item: item[:2])]
