"""A bounded in-memory cache of serialized answers.

The data is read-only between reloads, so an answer is keyed by the data version, the
normalized query text and the negotiated media types; the least recently used entry goes
first once ``Settings.cache_entries`` is reached or the kept answers add up to more than
``total_bytes`` (64 MiB); answers larger than ``max_bytes`` (4 MiB) are not kept at all.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from typing import Generic, TypeVar

V = TypeVar("V")

_SPACE = re.compile(r"\s+")


def normalize(query: str) -> str:
    """The query with surrounding space removed and, outside quoted text and IRIs, runs of
    white space collapsed to one space (text with quotes or comments is only stripped)."""
    text = query.strip()
    if any(c in text for c in "\"'#"):
        return text
    return _SPACE.sub(" ", text)


class AnswerCache(Generic[V]):
    """Least-recently-used cache of at most ``entries`` values."""

    def __init__(self, entries: int, max_bytes: int = 4 << 20, total_bytes: int = 64 << 20) -> None:
        self.entries = entries
        self.max_bytes = max_bytes
        self.total_bytes = total_bytes
        self.size = 0
        self._data: OrderedDict[tuple[str, ...], tuple[V, int]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: tuple[str, ...]) -> V | None:
        """The cached value, or ``None``."""
        with self._lock:
            found = self._data.get(key)
            if found is None:
                self.misses += 1
                return None
            self._data.move_to_end(key)
            self.hits += 1
            return found[0]

    def put(self, key: tuple[str, ...], value: V, size: int) -> None:
        """Keep ``value`` (of ``size`` bytes) unless caching is off or it is too large."""
        if self.entries <= 0 or size > self.max_bytes:
            return
        with self._lock:
            previous = self._data.pop(key, None)
            if previous is not None:
                self.size -= previous[1]
            self._data[key] = (value, size)
            self.size += size
            while len(self._data) > self.entries or self.size > self.total_bytes:
                _key, (_value, dropped) = self._data.popitem(last=False)
                self.size -= dropped

    def __len__(self) -> int:
        return len(self._data)
