"""One matcher for every name a record goes by: ids, names, aliases, product codes and brands.

`validate` uses it to suggest what an unknown reference meant (`accord-biopharma` is an alias
of `intas`; `coheruss` is close to `coherus`) and to find two entries that share a name;
`digestgen new` uses it to refuse a near-duplicate. Names are compared normalised: case,
spaces, hyphens and punctuation ignored, so "ABP 501", "abp-501" and "ABP501" are one name.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from rapidfuzz import fuzz, process

_NOT_ALNUM = re.compile(r"[\W_]+")
SIMILAR = 85  # a fuzzy score (0 to 100) from which two names are taken for one


def normalise(name: str) -> str:
    """Return a name reduced to lowercase letters and digits: 'ABP 501' -> 'abp501'."""
    return _NOT_ALNUM.sub("", name.casefold())


@dataclass(frozen=True, slots=True)
class Entry:
    """A record that can be referred to: its kind, its id and every name it goes by."""

    kind: str  # company, molecule or product
    id: str
    names: tuple[str, ...]  # the id first, then its name, aliases, brands...
    path: str = ""
    locate: Callable[[], int] = lambda: 0  # its line, worked out only when a message needs it

    @property
    def line(self) -> int:
        return self.locate()


@dataclass(frozen=True, slots=True)
class Clash:
    """Two entries of one kind that share a name once normalised."""

    first: Entry
    second: Entry
    name: str  # the second entry's name that the first one also goes by


class Matcher:
    def __init__(self, entries: Iterable[Entry]):
        self.entries = tuple(entries)
        self.by_kind: dict[str, dict[str, list[Entry]]] = defaultdict(lambda: defaultdict(list))
        for entry in self.entries:
            for name in dict.fromkeys(normalise(n) for n in entry.names):
                if name:
                    self.by_kind[entry.kind][name].append(entry)

    def find(self, kind: str, query: str) -> Entry | None:
        """Return the entry `query` names, exactly once normalised (an alias, a brand...) or nearly."""
        names = self.by_kind.get(kind, {})
        key = normalise(query)
        if key in names:
            return names[key][0]
        found = process.extractOne(key, list(names), scorer=fuzz.ratio, score_cutoff=SIMILAR) if key else None
        return names[found[0]][0] if found else None

    def suggest(self, kind: str, query: str) -> str:
        """Return " (did you mean 'x'?)" for the entry `query` most likely means, or ''."""
        entry = self.find(kind, query)
        if entry is None or entry.id == query:
            return ""
        return f" (did you mean '{entry.id}'?)"

    def clashes(self) -> Iterator[Clash]:
        """Yield each pair of entries of one kind that go by the same name, once per pair."""
        seen: set[tuple[str, str, str]] = set()
        for kind, names in self.by_kind.items():
            for entries in names.values():
                for later in entries[1:]:
                    first = entries[0]
                    if first.id == later.id or (kind, first.id, later.id) in seen:
                        continue
                    seen.add((kind, first.id, later.id))
                    theirs = {normalise(m) for m in first.names}
                    shared = next(n for n in (*later.names[1:], later.names[0]) if normalise(n) in theirs)
                    yield Clash(first, later, shared)
