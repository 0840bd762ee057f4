"""Secondary suppression: stop suppressed cells being worked out from the totals.

A released table is handled here as a grid with its margins: for R rows and C columns the grid has
R+1 rows and C+1 columns, where column C holds the row totals, row R the column totals and (R, C)
the grand total. Every row and every column of that grid is a *line*: an equation "the cells add
up to the total" that anyone reading the table can use.

The values given here are the *arithmetic* values the published totals are computed from (true
counts for `threshold10`, rounded counts for `nhs`). ``minimum_hidden`` is the least value a reader
knows a hidden cell can take: 1 when counts are exact (zeros are always shown, so a hidden cell is
at least 1) and 0 when counts are rounded (a hidden 1 or 2 rounds to 0).

What this module guarantees once :func:`suppress_secondary` has finished (1 and 2 for every line
taken on its own, 3 for all lines together):

1. A line holds either no suppressed entry or at least two (the total counts as an entry when it
   is itself suppressed), so no single hidden value equals "total minus what is shown".
2. When a line's total is shown and k of its cells are hidden with hidden sum H, then
   ``H - (k - 1) * minimum_hidden >= threshold``. A reader who knows the total, every shown cell
   and that each hidden cell is at least ``minimum_hidden`` can bound a hidden cell only to
   ``[minimum_hidden, H - (k - 1) * minimum_hidden]``, an interval that reaches the threshold, so
   they cannot even conclude that a hidden cell is small.
3. No hidden cell can be solved for exactly by combining several rows and columns. Seen as a
   graph whose nodes are the lines and whose edges are the hidden cells, the equations let hidden
   values move only around cycles; a hidden cell on no cycle (a bridge) would be fixed, so the
   cheapest chain of shown cells that closes a cycle through it is hidden too.

It does not claim that the joint equations, together with "every hidden count is at least 1",
never narrow a hidden cell's range (a full linear-programming audit); for the small tables the
hub releases these rules are the customary standard, and the release ledger guards against
differencing across tables.

Complements are chosen smallest value first, interior cells before totals, so as little as
possible is hidden. Zero cells are never chosen: zeros are always shown.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator, Sequence

CellRef = tuple[int, int]

SECONDARY_REASON = "secondary"
Node = tuple[str, int]  # ("row", r) or ("col", c) of the margin-extended grid


class SuppressionError(ValueError):
    """Raised when no set of complementary cells can protect a line."""


def _lines(n_rows: int, n_cols: int) -> Iterator[tuple[list[CellRef], CellRef]]:
    """Yield each line of a margin-extended grid as (interior cells, total cell)."""
    last_row, last_col = n_rows - 1, n_cols - 1
    for r in range(n_rows):
        yield [(r, c) for c in range(last_col)], (r, last_col)
    for c in range(n_cols):
        yield [(r, c) for r in range(last_row)], (last_row, c)


def _line_is_safe(
    values: Sequence[Sequence[int]],
    suppressed: set[CellRef],
    cells: list[CellRef],
    total: CellRef,
    threshold: int,
    minimum_hidden: int,
) -> bool:
    hidden = [cell for cell in cells if cell in suppressed]
    entries = len(hidden) + (1 if total in suppressed else 0)
    if entries == 0:
        return True
    if entries == 1:
        return False
    if total in suppressed:
        return True
    hidden_sum = sum(values[r][c] for r, c in hidden)
    return hidden_sum - (len(hidden) - 1) * minimum_hidden >= threshold


def _complement(
    values: Sequence[Sequence[int]],
    suppressed: set[CellRef],
    cells: list[CellRef],
    total: CellRef,
    minimum_hidden: int,
    zeros: set[CellRef],
) -> CellRef | None:
    """Pick the next cell to hide in an unsafe line, or None if nothing can help."""
    hidden_entries = sum(1 for cell in [*cells, total] if cell in suppressed)
    # With a single hidden entry any positive cell helps; otherwise only a cell that widens the
    # reader's interval (value above the known minimum) does.
    floor = 0 if hidden_entries == 1 else minimum_hidden
    candidates = [
        (values[r][c], is_total, (r, c))
        for is_total, group in ((0, cells), (1, [total]))
        for r, c in group
        if (r, c) not in suppressed
        and (r, c) not in zeros
        and (values[r][c] > floor or (r, c) == total)
    ]
    if not candidates:
        return None
    return min(candidates)[2]


def _reachable(start: Node, edges: set[CellRef], skip: CellRef) -> set[Node]:
    """Nodes (("row", r) or ("col", c)) joined to ``start`` by hidden cells other than ``skip``."""
    seen = {start}
    frontier = [start]
    while frontier:
        kind, index = frontier.pop()
        for r, c in edges:
            if (r, c) == skip:
                continue
            if kind == "row" and r == index:
                node = ("col", c)
            elif kind == "col" and c == index:
                node = ("row", r)
            else:
                continue
            if node not in seen:
                seen.add(node)
                frontier.append(node)
    return seen


def _cheapest_path(
    values: Sequence[Sequence[int]],
    blocked: set[CellRef],
    sources: set[Node],
    targets: set[Node],
) -> list[CellRef] | None:
    """The cells, not blocked, of least total value that join ``sources`` to ``targets``."""
    heap: list[tuple[int, Node, tuple[CellRef, ...]]] = [(0, node, ()) for node in sorted(sources)]
    done: set[Node] = set()
    while heap:
        cost, node, path = heapq.heappop(heap)
        if node in targets:
            return list(path)
        if node in done:
            continue
        done.add(node)
        kind, index = node
        cells = (
            [(index, c) for c in range(len(values[0]))]
            if kind == "row"
            else [(r, index) for r in range(len(values))]
        )
        for r, c in cells:
            if (r, c) in blocked:
                continue
            neighbour: Node = ("col", c) if kind == "row" else ("row", r)
            if neighbour not in done:
                heapq.heappush(heap, (cost + values[r][c], neighbour, (*path, (r, c))))
    return None


def _bridge_complement(
    values: Sequence[Sequence[int]], suppressed: set[CellRef], zeros: set[CellRef]
) -> tuple[CellRef, list[CellRef] | None] | None:
    """Find a hidden cell on no cycle of hidden cells and the cells that would close one.

    Rows and columns are the nodes of a graph and hidden cells its edges. The line equations
    leave hidden cells free to change only along cycles of hidden cells (alternately adding and
    subtracting); a cell on no cycle, a bridge, can be solved for exactly by combining several
    rows and columns. Returns None when there is no bridge.
    """
    for r, c in sorted(suppressed):
        side_a = _reachable(("row", r), suppressed, skip=(r, c))
        if ("col", c) in side_a:
            continue
        side_b = _reachable(("col", c), suppressed, skip=(r, c))
        return (r, c), _cheapest_path(values, suppressed | zeros, side_a, side_b)
    return None


def _protect_lines(
    values: Sequence[Sequence[int]],
    suppressed: set[CellRef],
    zeros: set[CellRef],
    threshold: int,
    minimum_hidden: int,
) -> None:
    """Add complements until every line is safe on its own."""
    n_rows, n_cols = len(values), len(values[0])
    changed = True
    while changed:
        changed = False
        for cells, total in _lines(n_rows, n_cols):
            while not _line_is_safe(values, suppressed, cells, total, threshold, minimum_hidden):
                cell = _complement(values, suppressed, cells, total, minimum_hidden, zeros)
                if cell is None:
                    raise SuppressionError(
                        f"Cannot protect the line ending at total {total}: every other entry is "
                        "zero or already hidden. Merge categories and try again."
                    )
                suppressed.add(cell)
                changed = True


def suppress_secondary(
    values: Sequence[Sequence[int]],
    primary: set[CellRef],
    *,
    threshold: int,
    minimum_hidden: int,
    true_values: Sequence[Sequence[int]] | None = None,
) -> set[CellRef]:
    """Return the extra cells to hide so that every line meets the guarantees above.

    ``values`` is the margin-extended grid (see the module docstring); ``primary`` the cells
    already hidden by the primary rules; ``true_values`` the unrounded counts, when ``values``
    are rounded, so that only true zeros are treated as zeros. The result never includes a
    primary cell, and never a zero: zeros are always shown.
    """
    if not values or not values[0]:
        raise SuppressionError("The table has no cells; there is nothing to protect.")
    counts = values if true_values is None else true_values
    zeros = {(r, c) for r, row in enumerate(counts) for c, count in enumerate(row) if count == 0}
    suppressed = set(primary)
    while True:
        _protect_lines(values, suppressed, zeros, threshold, minimum_hidden)
        bridge = _bridge_complement(values, suppressed, zeros)
        if bridge is None:
            return suppressed - set(primary)
        cell, path = bridge
        if path is None:
            raise SuppressionError(
                f"The hidden cell {cell} could be worked out by combining rows and columns, and "
                "no chain of shown, non-zero cells could protect it. Merge categories and try "
                "again."
            )
        suppressed.update(path)
