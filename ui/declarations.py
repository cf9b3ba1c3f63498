"""A page's table of declared things (its controls, its sections), each with a unique key and a label.

One table class serves both, so a page's controls and its sections are looked up, listed and checked for
duplicates the same way (:class:`ui.controls.Controls`, :class:`ui.sections.Sections`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import ClassVar, Protocol, TypeVar


class Declared(Protocol):
    key: str
    label: str


T = TypeVar("T", bound=Declared)


class Declarations(Mapping[str, T]):
    """Declared items by key, in the order declared; a key declared twice is an error."""

    #: What one item is called in the error for a key declared twice ("control", "section").
    kind: ClassVar[str] = "item"

    def __init__(self, *items: T):
        self._by_key: dict[str, T] = {}
        for item in items:
            if item.key in self._by_key:
                raise ValueError(f"the {self.kind} {item.key} is declared twice")
            self._by_key[item.key] = item

    def __getitem__(self, key: str) -> T:
        return self._by_key[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_key)

    def __len__(self) -> int:
        return len(self._by_key)

    def labels(self) -> dict[str, str]:
        """Key -> label of every item, for teacher mode's lists and the link builder."""
        return {key: item.label for key, item in self._by_key.items()}
