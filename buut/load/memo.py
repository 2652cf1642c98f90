"""Results kept by the text they were made from, for the life of one process.

`mkdocs serve` loads and checks the whole project on every save, and only the saved file changed.
Parsing YAML, the checks of a page or a data file and a page's numbered headings are pure functions
of their text, so each is kept here by its key (the text and what else it depends on) and made
again only for text not seen before. A cache holds at most `limit` results; when full, it starts
over.
"""
from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")


class Remembered(Generic[T]):
    def __init__(self, limit: int = 20_000):
        self.limit = limit
        self._kept: dict[Hashable, T] = {}

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        if key not in self._kept:
            if len(self._kept) >= self.limit:
                self._kept.clear()
            self._kept[key] = make()
        return self._kept[key]
