"""Property tests and the attack suite: every released cell satisfies its profile.

The attacker here knows the published table, the profile's rules and that zeros are always shown
(so a hidden count is at least 1, or at least 0 once rounded). For each row and column whose total
is shown, they work out the sum of the hidden cells and bound each hidden cell by it.
"""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from interborough.linkage.disclosure import (
    MARKER,
    ReleasedTable,
    Table,
    dominance_fails,
    p_percent_fails,
    release,
    round_midpoint6,
    round_nearest5,
)

FAST = settings(max_examples=80, deadline=None)

counts = st.one_of(st.just(0), st.integers(1, 12), st.integers(13, 120))


@st.composite
def tables(draw: st.DrawFn, with_contributions: bool = False, max_size: int = 4) -> Table:
    n_rows, n_cols = draw(st.integers(1, max_size)), draw(st.integers(1, max_size))
    grid = [[draw(counts) for _ in range(n_cols)] for _ in range(n_rows)]
    contributions = None
    if with_contributions:
        amount = st.floats(0, 1000, allow_nan=False)
        contributions = [
            [draw(st.lists(amount, min_size=n, max_size=n)) for n in row] for row in grid
        ]
    rows = [f"r{i}" for i in range(n_rows)]
    cols = [f"c{j}" for j in range(n_cols)]
    return Table(rows, cols, grid, contributions)


def true_grid(table: Table) -> list[list[int]]:
    rows = [[*row, sum(row)] for row in table.counts]
    return [*rows, [sum(column) for column in zip(*rows, strict=True)]]


def lines(grid: list[list]) -> list[tuple[list, object]]:
    """Each row and column of the grid with margins, as (interior entries, total)."""
    rows = [(row[:-1], row[-1]) for row in grid]
    columns = [(list(col[:-1]), col[-1]) for col in zip(*grid, strict=True)]
    return rows + columns


def attack_margins(released: ReleasedTable, minimum_hidden: int, threshold: int) -> None:
    """Assert no line lets a reader pin down a hidden cell or prove it small."""
    for cells, total in lines(released.grid()):
        hidden = [v for v in cells if v == MARKER]
        entries = len(hidden) + (total == MARKER)
        assert entries != 1, "a single hidden entry is total minus the shown cells"
        if hidden and total != MARKER:
            hidden_sum = total - sum(v for v in cells if v != MARKER)
            upper = hidden_sum - (len(hidden) - 1) * minimum_hidden
            assert upper > minimum_hidden, "a hidden cell is determined exactly"
            assert upper >= threshold, "the reader can prove every hidden cell is small"


def solvable_hidden_cells(released: ReleasedTable) -> list[tuple[int, int]]:
    """Hidden cells a reader can solve for exactly by combining any rows and columns.

    Each line gives one linear equation in the hidden values. A hidden value is fixed by the
    equations exactly when its column of the coefficient matrix is not a combination of the
    others, i.e. dropping it lowers the rank.
    """
    grid = released.grid()
    n_rows, n_cols = len(grid), len(grid[0])
    hidden = [(r, c) for r in range(n_rows) for c in range(n_cols) if grid[r][c] == MARKER]
    if not hidden:
        return []
    matrix = np.zeros((n_rows + n_cols, len(hidden)))
    for j, (r, c) in enumerate(hidden):
        matrix[r, j] = -1 if c == n_cols - 1 else 1  # a total sits on the other side
        matrix[n_rows + c, j] = -1 if r == n_rows - 1 else 1
    rank = np.linalg.matrix_rank(matrix)
    return [
        cell
        for j, cell in enumerate(hidden)
        if np.linalg.matrix_rank(np.delete(matrix, j, axis=1)) < rank
    ]


@FAST
@given(tables())
def test_release_nhs_never_shows_one_to_seven(table: Table) -> None:
    released = release(table, "nhs")
    for true_row, shown_row in zip(true_grid(table), released.grid(), strict=True):
        for true, shown in zip(true_row, shown_row, strict=True):
            assert shown == MARKER or not 1 <= true <= 7
            assert shown == MARKER or not 1 <= shown <= 7


@FAST
@given(tables())
def test_release_nhs_cells_rounded_and_totals_from_rounded_cells(table: Table) -> None:
    released = release(table, "nhs")
    for r, row in enumerate(released.cells):
        for c, shown in enumerate(row):
            assert shown == MARKER or shown == round_nearest5(table.counts[r][c])
    rounded = [[round_nearest5(n) for n in row] for row in table.counts]
    for r, total in enumerate(released.row_totals):
        assert total == MARKER or total == sum(rounded[r])
    for c, total in enumerate(released.col_totals):
        assert total == MARKER or total == sum(row[c] for row in rounded)
    # A line with nothing hidden adds up exactly as published.
    for cells, total in lines(released.grid()):
        if MARKER not in cells and total != MARKER:
            assert total == sum(cells)


@FAST
@given(tables())
def test_release_threshold10_never_shows_under_ten(table: Table) -> None:
    released = release(table, "threshold10")
    for true_row, shown_row in zip(true_grid(table), released.grid(), strict=True):
        for true, shown in zip(true_row, shown_row, strict=True):
            assert shown == MARKER or (shown == true and (true == 0 or true >= 10))


@FAST
@given(tables(with_contributions=True))
def test_release_threshold10_shown_cells_pass_dominance_and_p_percent(table: Table) -> None:
    released = release(table, "threshold10")
    contributions = table.contributions or []
    for r, row in enumerate(released.cells):
        for c, shown in enumerate(row):
            if shown != MARKER:
                assert not dominance_fails(contributions[r][c], 2, 0.90)
                assert not p_percent_fails(contributions[r][c], 0.10)


@FAST
@given(tables())
def test_release_midpoint6_hides_nothing_and_rounds_every_cell(table: Table) -> None:
    released = release(table, "midpoint6")
    assert [list(row) for row in released.cells] == [
        [round_midpoint6(n) for n in row] for row in table.counts
    ]


@FAST
@given(tables())
def test_attack_margin_recomputation_threshold10(table: Table) -> None:
    attack_margins(release(table, "threshold10"), minimum_hidden=1, threshold=10)


@FAST
@given(tables())
def test_attack_margin_recomputation_nhs(table: Table) -> None:
    attack_margins(release(table, "nhs"), minimum_hidden=0, threshold=8)


@settings(max_examples=150, deadline=None)
@given(tables(max_size=6))
def test_attack_joint_equations_solve_no_hidden_cell(table: Table) -> None:
    for profile in ("nhs", "threshold10"):
        assert solvable_hidden_cells(release(table, profile)) == []


def test_attack_joint_equations_block_diagonal_example():
    # Found by a random search: before cycle checking, the 4 in row 3 was hidden with two
    # complements per line, yet rows 0 and 3 and columns 0 and 2 together gave its rounded value.
    counts = [[4, 0, 70, 0], [0, 58, 8, 0], [0, 85, 0, 68], [86, 4, 8, 0], [0, 46, 0, 10]]
    table = Table([f"r{i}" for i in range(5)], ["a", "b", "c", "d"], counts)
    released = release(table, "nhs")
    assert released.cells[3][1] == MARKER
    assert solvable_hidden_cells(released) == []
    attack_margins(released, minimum_hidden=0, threshold=8)


@FAST
@given(tables())
def test_attack_zero_cells_are_shown_and_never_complements(table: Table) -> None:
    for profile in ("nhs", "threshold10"):
        released = release(table, profile)
        for r, row in enumerate(table.counts):
            for c, count in enumerate(row):
                if count == 0:
                    assert released.cells[r][c] == 0


def test_attack_cell_with_only_zero_neighbours_is_not_revealed():
    # Row a is 4, 0, 0: its only possible complements are zeros, which are always shown, so
    # hiding 4 alone would leave it as "row total minus zeros". The row total (itself 4) is
    # hidden, and the column 'x' gives no way back either.
    table = Table(["a", "b"], ["x", "y", "z"], [[4, 0, 0], [20, 30, 40]])
    released = release(table, "threshold10")
    assert released.cells[0] == (MARKER, 0, 0)
    assert released.row_totals[0] == MARKER
    attack_margins(released, minimum_hidden=1, threshold=10)


def test_attack_hidden_ones_cannot_be_pinned_by_positivity():
    # Hiding 1 and 1 with a shown total would tell a reader both are exactly 1, since zeros are
    # shown; a further complement must widen the interval.
    table = Table(["a", "b"], ["x", "y", "z"], [[1, 1, 25], [30, 40, 50]])
    released = release(table, "threshold10")
    attack_margins(released, minimum_hidden=1, threshold=10)
    assert released.cells[0][2] == MARKER
