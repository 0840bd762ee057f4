"""Release ledger: refuse a table that, with earlier releases, would reveal a small group.

For each collaboration the hub remembers, for every released cell, the set of pseudonymous person
ids behind it. These sets never leave the safe setting. Two cells whose populations nest (one is
a subset of the other) let a reader subtract one count from the other; if the difference is
between 1 and threshold - 1 people, that subtraction reveals a group too small to publish. The
ledger refuses any new table with such a pair, against earlier releases or within itself, and
names the pair so the analyst can change the table.

Record only the cells a table actually shows (not the hidden ones). This is a plain class over
in-memory data; a Django model persists it through :meth:`ReleaseLedger.to_dict` and
:meth:`ReleaseLedger.from_dict`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import combinations
from typing import Any


class LedgerError(ValueError):
    """Base class for release-ledger refusals."""


class DifferencingError(LedgerError):
    """Raised when two nested cells differ by a group smaller than the threshold."""


@dataclass(frozen=True)
class ReleasedCell:
    """One shown cell of a release and the people behind it."""

    release_id: str
    cell: str
    population: frozenset[str]

    @property
    def name(self) -> str:
        return f"{self.release_id}:{self.cell}"


def _nested_difference(a: frozenset[str], b: frozenset[str]) -> int | None:
    """The size of the larger minus the smaller when one contains the other, else None."""
    if len(a) <= len(b) and a <= b:
        return len(b) - len(a)
    if len(b) < len(a) and b <= a:
        return len(a) - len(b)
    return None


class ReleaseLedger:
    """The populations behind every cell released in one collaboration."""

    def __init__(
        self, collaboration: str, threshold: int, cells: Iterable[ReleasedCell] = ()
    ) -> None:
        if threshold < 2:
            raise LedgerError(f"The ledger threshold must be 2 or more; got {threshold}.")
        self.collaboration = collaboration
        self.threshold = threshold
        self._cells: list[ReleasedCell] = list(cells)

    @property
    def cells(self) -> tuple[ReleasedCell, ...]:
        return tuple(self._cells)

    @property
    def release_ids(self) -> set[str]:
        return {cell.release_id for cell in self._cells}

    def _is_risky(self, a: ReleasedCell, b: ReleasedCell) -> bool:
        difference = _nested_difference(a.population, b.population)
        return difference is not None and 1 <= difference < self.threshold

    def _refuse(self, a: ReleasedCell, b: ReleasedCell) -> DifferencingError:
        difference = abs(len(a.population) - len(b.population))
        return DifferencingError(
            f"Releasing {a.name} would reveal a group of {difference} people by differencing "
            f"with {b.name} (fewer than {self.threshold}). Merge or remove one of these cells."
        )

    def check(self, release_id: str, cells: Mapping[str, Iterable[str]]) -> None:
        """Raise if releasing these cells would allow differencing; change nothing."""
        if release_id in self.release_ids:
            raise LedgerError(f"Release {release_id!r} is already in the ledger.")
        new = [ReleasedCell(release_id, name, frozenset(ids)) for name, ids in cells.items()]
        for a, b in combinations(new, 2):
            if self._is_risky(a, b):
                raise self._refuse(a, b)
        for a in new:
            for b in self._cells:
                if self._is_risky(a, b):
                    raise self._refuse(a, b)

    def record(self, release_id: str, cells: Mapping[str, Iterable[str]]) -> None:
        """Check a release and, if it is safe, add its cells to the ledger."""
        self.check(release_id, cells)
        self._cells.extend(
            ReleasedCell(release_id, name, frozenset(ids)) for name, ids in cells.items()
        )

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form, with ids sorted so that equal ledgers serialise equally."""
        return {
            "collaboration": self.collaboration,
            "threshold": self.threshold,
            "cells": [
                {
                    "release_id": cell.release_id,
                    "cell": cell.cell,
                    "population": sorted(cell.population),
                }
                for cell in self._cells
            ],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ReleaseLedger:
        """Rebuild a ledger from :meth:`to_dict` output, refusing malformed data."""
        try:
            cells = [
                ReleasedCell(
                    str(item["release_id"]), str(item["cell"]), frozenset(item["population"])
                )
                for item in data["cells"]
            ]
            return cls(str(data["collaboration"]), int(data["threshold"]), cells)
        except (KeyError, TypeError) as error:
            raise LedgerError(
                f"The stored ledger is malformed: missing or wrong {error}."
            ) from None
