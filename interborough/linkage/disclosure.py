"""Disclosure control: decide what an aggregate table may show before it leaves the hub.

A table of counts (and optionally, per cell, each person's contribution to a magnitude) is run
through a named profile, the one an agreement's output profile names:

- ``nhs``: counts of 1-7 become ``[c]``; every other count is rounded to the nearest 5; totals
  are computed from the rounded cells; zero stays 0.
- ``threshold10``: counts of 1-9 are hidden; for magnitude tables a cell is also hidden when the
  two largest contributions exceed 90% of its total (dominance) or when the rest of the cell is
  less than 10% of the largest contribution (p% rule).
- ``midpoint6``: every count becomes the midpoint of its band of six (1-6 -> 3, 7-12 -> 9, ...);
  rates are computed from the rounded values (see :func:`release_rates`).

Row, column and grand totals are part of the released table and go through the same rules. After
the primary rules, secondary suppression (``disclosure_suppression``) hides further cells so that
nothing hidden can be worked out from the totals.

Zero cells are always shown: a structural zero says nothing about any person, and showing zeros
means a reader knows every hidden cell is positive, which the secondary rules take into account.
The reasons recorded in a :class:`ReleasedTable` are for the output checkers inside the safe
setting; publish only its display values.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from interborough.linkage.disclosure_suppression import (
    SECONDARY_REASON,
    CellRef,
    suppress_secondary,
)

MARKER = "[c]"

Display = int | str
Rounding = Literal["none", "nearest5", "midpoint6"]


class DisclosureError(ValueError):
    """Base class for disclosure-control errors a person can act on."""


class UnknownProfileError(DisclosureError):
    """Raised when an agreement names an output profile that does not exist."""


class InvalidTableError(DisclosureError):
    """Raised when a table is malformed: ragged, negative or with mismatched contributions."""


@dataclass(frozen=True)
class Profile:
    """A named set of disclosure rules."""

    name: str
    threshold: int  # counts from 1 to threshold - 1 are hidden; 0 disables suppression
    rounding: Rounding
    dominance: tuple[int, float] | None = None  # (n, k): top n contributions > k of the total
    p_percent: float | None = None  # remainder below p of the largest contribution


# With n=2, k=90% and p=10% the p% rule never fires on a cell dominance has passed (a remainder
# under 10% of the largest is under 10% of the total); it is kept so that either parameter can
# change without the other rule silently disappearing.
PROFILES: Mapping[str, Profile] = {
    "nhs": Profile(name="nhs", threshold=8, rounding="nearest5"),
    "threshold10": Profile(
        name="threshold10", threshold=10, rounding="none", dominance=(2, 0.90), p_percent=0.10
    ),
    "midpoint6": Profile(name="midpoint6", threshold=0, rounding="midpoint6"),
}


def get_profile(name: str) -> Profile:
    """Return the profile an agreement names, or explain which names exist."""
    try:
        return PROFILES[name]
    except KeyError:
        known = ", ".join(sorted(PROFILES))
        raise UnknownProfileError(
            f"There is no disclosure profile called {name!r}. Use one of: {known}."
        ) from None


# The rounding bases an agreement's output profile may name, and how each rounds.
_ROUNDING_BASES: Mapping[int, Rounding] = {1: "none", 5: "nearest5"}


def profile_for_agreement(output_profile: Mapping[str, object] | None) -> Profile:
    """The profile an agreement's `processing.output_disclosure_profile` sets out (minimum cell
    count, rounding base, dominance n and k); refuse one this engine cannot apply as written.

    Secondary suppression always runs, whatever the agreement says: it only ever hides more.
    """
    if not output_profile:
        raise DisclosureError(
            "The agreement sets no output disclosure profile: nothing may be released."
        )
    threshold = output_profile.get("minimum_cell_count")
    base = output_profile.get("rounding_base") or 1
    n, k = output_profile.get("dominance_n"), output_profile.get("dominance_percent")
    if not isinstance(threshold, int) or isinstance(threshold, bool) or threshold < 1:
        raise DisclosureError(
            "The agreement's minimum cell count must be a whole number, 1 or more."
        )
    if not isinstance(base, int) or isinstance(base, bool) or base not in _ROUNDING_BASES:
        raise DisclosureError(f"A rounding base of {base} is not supported: use 1 (none) or 5.")
    dominance = None
    if n is not None or k is not None:
        if not (isinstance(n, int) and n >= 1 and isinstance(k, int | float) and 1 <= k <= 100):
            raise DisclosureError(
                "The agreement's dominance rule needs n (1 or more) and k (1-100)."
            )
        dominance = (n, float(k) / 100)
    return Profile(
        name="agreement",
        threshold=threshold,
        rounding=_ROUNDING_BASES[base],
        dominance=dominance,
    )


@dataclass(frozen=True)
class Table:
    """An aggregate table before disclosure control.

    ``contributions``, when given, holds for each cell one non-negative magnitude per person, so
    its length must equal the cell's count.
    """

    row_labels: Sequence[str]
    col_labels: Sequence[str]
    counts: Sequence[Sequence[int]]
    contributions: Sequence[Sequence[Sequence[float]]] | None = None

    def __post_init__(self) -> None:
        _validate(self)


def _validate(table: Table) -> None:
    n_rows, n_cols = len(table.row_labels), len(table.col_labels)
    if n_rows == 0 or n_cols == 0:
        raise InvalidTableError("A table needs at least one row label and one column label.")
    if len(table.counts) != n_rows:
        raise InvalidTableError(
            f"The table has {n_rows} row labels but {len(table.counts)} rows of counts."
        )
    for r, row in enumerate(table.counts):
        if len(row) != n_cols:
            raise InvalidTableError(
                f"Row {table.row_labels[r]!r} has {len(row)} counts; expected {n_cols}."
            )
        for c, count in enumerate(row):
            if isinstance(count, bool) or not isinstance(count, int) or count < 0:
                raise InvalidTableError(
                    f"Cell ({table.row_labels[r]!r}, {table.col_labels[c]!r}) must be a whole "
                    f"number of people, 0 or more; got {count!r}."
                )
    if table.contributions is not None:
        _validate_contributions(table)


def _validate_contributions(table: Table) -> None:
    contributions = table.contributions or []
    if len(contributions) != len(table.counts) or any(
        len(row) != len(table.col_labels) for row in contributions
    ):
        raise InvalidTableError("Contributions must have the same shape as the counts.")
    for r, row in enumerate(contributions):
        for c, values in enumerate(row):
            where = f"({table.row_labels[r]!r}, {table.col_labels[c]!r})"
            if len(values) != table.counts[r][c]:
                raise InvalidTableError(
                    f"Cell {where} counts {table.counts[r][c]} people but has "
                    f"{len(values)} contributions; give one per person."
                )
            if any(value < 0 for value in values):
                raise InvalidTableError(f"Cell {where} has a negative contribution.")


@dataclass(frozen=True)
class ReleasedTable:
    """A table after disclosure control.

    Cell references are on the grid with margins: ``(r, n_cols)`` is row r's total,
    ``(n_rows, c)`` column c's total and ``(n_rows, n_cols)`` the grand total.
    """

    profile: str
    row_labels: tuple[str, ...]
    col_labels: tuple[str, ...]
    cells: tuple[tuple[Display, ...], ...]
    row_totals: tuple[Display, ...]
    col_totals: tuple[Display, ...]
    grand_total: Display
    primary: Mapping[CellRef, str] = field(default_factory=dict)
    secondary: Mapping[CellRef, str] = field(default_factory=dict)

    def grid(self) -> list[list[Display]]:
        """The display values with margins, in the same layout as the cell references."""
        rows = [[*row, total] for row, total in zip(self.cells, self.row_totals, strict=True)]
        return [*rows, [*self.col_totals, self.grand_total]]

    def is_suppressed(self, cell: CellRef) -> bool:
        """Whether a cell (margins included) is hidden."""
        return cell in self.primary or cell in self.secondary

    def shown_cells(self) -> list[CellRef]:
        """The cells (margins included) that are shown: the ones to record in the ledger."""
        n_rows, n_cols = len(self.row_labels) + 1, len(self.col_labels) + 1
        return [
            (r, c) for r in range(n_rows) for c in range(n_cols) if not self.is_suppressed((r, c))
        ]

    def published(self) -> dict[str, object]:
        """What may leave the safe setting: labels and display values, never the reasons."""
        return {
            "profile": self.profile,
            "row_labels": list(self.row_labels),
            "col_labels": list(self.col_labels),
            "cells": [list(row) for row in self.cells],
            "row_totals": list(self.row_totals),
            "col_totals": list(self.col_totals),
            "grand_total": self.grand_total,
        }


def round_nearest5(count: int) -> int:
    """Round to the nearest multiple of 5, halves cannot occur for whole numbers."""
    return 5 * ((count + 2) // 5)


def round_midpoint6(count: int) -> int:
    """Round to the midpoint of the count's band of six; 0 stays 0."""
    return 0 if count == 0 else 6 * ((count - 1) // 6) + 3


def _round(count: int, rounding: Rounding) -> int:
    if rounding == "nearest5":
        return round_nearest5(count)
    if rounding == "midpoint6":
        return round_midpoint6(count)
    return count


def _with_margins(grid: Sequence[Sequence[int]]) -> list[list[int]]:
    rows = [[*row, sum(row)] for row in grid]
    col_totals = [sum(column) for column in zip(*rows, strict=True)]
    return [*rows, col_totals]


def _contributions_with_margins(table: Table) -> list[list[list[float]]] | None:
    if table.contributions is None:
        return None
    rows = [[list(values) for values in row] for row in table.contributions]
    rows = [[*row, [v for values in row for v in values]] for row in rows]
    col_totals = [[v for values in column for v in values] for column in zip(*rows, strict=True)]
    return [*rows, col_totals]


def dominance_fails(values: Sequence[float], n: int, k: float) -> bool:
    """True when the n largest contributions make up more than k of the cell's total."""
    total = sum(values)
    return total > 0 and sum(sorted(values, reverse=True)[:n]) > k * total


def p_percent_fails(values: Sequence[float], p: float) -> bool:
    """True when the total minus the two largest contributions is below p of the largest."""
    if not values or max(values) <= 0:
        return False
    ordered = sorted(values, reverse=True)
    return sum(ordered) - sum(ordered[:2]) < p * ordered[0]


def _primary_reason(
    count: int, contributions: Sequence[float] | None, profile: Profile
) -> str | None:
    if 0 < count < profile.threshold:
        return "small-count"
    if contributions is None or count == 0:
        return None
    if profile.dominance is not None and dominance_fails(contributions, *profile.dominance):
        return "dominance"
    if profile.p_percent is not None and p_percent_fails(contributions, profile.p_percent):
        return "p-percent"
    return None


def _primary(table: Table, true_grid: list[list[int]], profile: Profile) -> dict[CellRef, str]:
    contributions = _contributions_with_margins(table)
    reasons: dict[CellRef, str] = {}
    for r, row in enumerate(true_grid):
        for c, count in enumerate(row):
            cell_contributions = contributions[r][c] if contributions is not None else None
            reason = _primary_reason(count, cell_contributions, profile)
            if reason is not None:
                reasons[(r, c)] = reason
    return reasons


def release(table: Table, profile: str | Profile) -> ReleasedTable:
    """Apply a profile (by name, or an agreement's own, see `profile_for_agreement`) to a table
    and return what may be shown."""
    profile = get_profile(profile) if isinstance(profile, str) else profile
    true_grid = _with_margins(table.counts)
    # Totals are always computed from the (possibly rounded) cells, never rounded separately.
    shown_grid = _with_margins([[_round(n, profile.rounding) for n in row] for row in table.counts])
    primary = _primary(table, true_grid, profile) if profile.threshold > 0 else {}
    secondary: set[CellRef] = set()
    if primary:
        secondary = suppress_secondary(
            shown_grid,
            set(primary),
            threshold=profile.threshold,
            minimum_hidden=0 if profile.rounding != "none" else 1,
            true_values=true_grid,
        )
    display: list[list[Display]] = [
        [
            MARKER if (r, c) in primary or (r, c) in secondary else value
            for c, value in enumerate(row)
        ]
        for r, row in enumerate(shown_grid)
    ]
    return ReleasedTable(
        profile=profile.name,
        row_labels=tuple(table.row_labels),
        col_labels=tuple(table.col_labels),
        cells=tuple(tuple(row[:-1]) for row in display[:-1]),
        row_totals=tuple(row[-1] for row in display[:-1]),
        col_totals=tuple(display[-1][:-1]),
        grand_total=display[-1][-1],
        primary=primary,
        secondary={cell: SECONDARY_REASON for cell in sorted(secondary)},
    )


@dataclass(frozen=True)
class ReleasedRates:
    """Numerators and denominators after disclosure control, and the rates computed from them."""

    numerators: ReleasedTable
    denominators: ReleasedTable
    rates: tuple[tuple[float | None, ...], ...]  # None where either side is hidden or zero


def release_rates(
    numerators: Table, denominators: Table, profile: str | Profile = "midpoint6"
) -> ReleasedRates:
    """Release a table of rates: each count is controlled first, the rate computed afterwards."""
    if (list(numerators.row_labels), list(numerators.col_labels)) != (
        list(denominators.row_labels),
        list(denominators.col_labels),
    ):
        raise InvalidTableError("Numerators and denominators must have the same row and columns.")
    top, bottom = release(numerators, profile), release(denominators, profile)
    rates = tuple(
        tuple(
            n / d if isinstance(n, int) and isinstance(d, int) and d > 0 else None
            for n, d in zip(top_row, bottom_row, strict=True)
        )
        for top_row, bottom_row in zip(top.grid(), bottom.grid(), strict=True)
    )
    return ReleasedRates(numerators=top, denominators=bottom, rates=rates)
