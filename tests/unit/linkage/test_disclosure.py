"""Worked examples for the disclosure-control profiles, computed by hand."""

import pytest

from interborough.linkage.disclosure import (
    MARKER,
    PROFILES,
    DisclosureError,
    InvalidTableError,
    Table,
    UnknownProfileError,
    dominance_fails,
    get_profile,
    p_percent_fails,
    profile_for_agreement,
    release,
    release_rates,
    round_midpoint6,
    round_nearest5,
)
from interborough.linkage.disclosure_suppression import SuppressionError, suppress_secondary

C = MARKER
EXAMPLE = Table(
    row_labels=["Camden", "Hackney", "Lambeth"],
    col_labels=["18-34", "35-64", "65+"],
    counts=[[3, 20, 15], [12, 8, 30], [40, 25, 5]],
)


def test_get_profile_unknown_name_lists_known_profiles():
    with pytest.raises(UnknownProfileError, match="midpoint6, nhs, threshold10"):
        get_profile("nhs-strict")


def test_profiles_registry_holds_the_three_named_profiles():
    assert set(PROFILES) == {"nhs", "threshold10", "midpoint6"}


@pytest.mark.parametrize(
    ("count", "expected"), [(0, 0), (2, 0), (3, 5), (8, 10), (12, 10), (13, 15), (20, 20)]
)
def test_round_nearest5_examples(count, expected):
    assert round_nearest5(count) == expected


@pytest.mark.parametrize(
    ("count", "expected"), [(0, 0), (1, 3), (6, 3), (7, 9), (12, 9), (13, 15), (25, 27)]
)
def test_round_midpoint6_examples(count, expected):
    assert round_midpoint6(count) == expected


def test_release_nhs_worked_example():
    # Rounded: [[5,20,15],[10,10,30],[40,25,5]]; 3 and 5 are 1-7 so hidden. Complements, smallest
    # first: row Camden takes 15, column 18-34 takes Hackney's 10, row Lambeth takes 25, column
    # 35-64 then takes Hackney's 10. Totals are sums of the rounded cells.
    released = release(EXAMPLE, "nhs")
    assert released.grid() == [
        [C, 20, C, 40],
        [C, C, 30, 50],
        [40, C, C, 70],
        [55, 55, 50, 160],
    ]
    assert released.primary == {(0, 0): "small-count", (2, 2): "small-count"}
    assert set(released.secondary) == {(0, 2), (1, 0), (1, 1), (2, 1)}
    assert released.profile == "nhs"


def test_release_nhs_zero_stays_zero_and_totals_from_rounded_cells():
    released = release(Table(["a", "b"], ["x", "y"], [[0, 12], [13, 0]]), "nhs")
    assert released.grid() == [[0, 10, 10], [15, 0, 15], [15, 10, 25]]


def test_release_nhs_grand_total_of_rounded_zeros_is_hidden():
    # Every cell is 2, so every rounded cell is 0 and the totals of rounded cells are 0 too.
    # The true grand total is 8, so it may not be shown; the 0 it would show would tell a reader
    # that all four hidden cells are 1 or 2.
    released = release(Table(["a", "b"], ["x", "y"], [[2, 2], [2, 2]]), "nhs")
    assert released.grid() == [[C, C, C], [C, C, C], [C, C, C]]
    assert released.secondary == {(2, 2): "secondary"}


def test_suppress_secondary_empty_grid_is_refused():
    with pytest.raises(SuppressionError, match="no cells"):
        suppress_secondary([], set(), threshold=10, minimum_hidden=1)


def test_release_threshold10_worked_example():
    # 3, 8 and 5 are under 10. Complements: Camden 15, Hackney 12, Lambeth 25; every column then
    # holds two hidden cells whose sum minus one is at least 10.
    released = release(EXAMPLE, "threshold10")
    assert released.grid() == [
        [C, 20, C, 38],
        [C, C, 30, 50],
        [40, C, C, 70],
        [55, 53, 50, 158],
    ]
    assert set(released.primary) == {(0, 0), (1, 1), (2, 2)}
    assert set(released.secondary) == {(0, 2), (1, 0), (2, 1)}


def test_release_threshold10_small_hidden_sum_takes_a_further_complement():
    # Row a hides 3 and 4: total 57 minus 50 shown leaves 7, so each would be known to be under
    # 10. The 50 must go too; the columns then need the smallest cells of row b.
    table = Table(["a", "b"], ["x", "y", "z"], [[3, 4, 50], [20, 30, 60]])
    released = release(table, "threshold10")
    assert released.cells[0] == (C, C, C)
    assert released.row_totals == (57, 110)
    assert released.cells[1] == (C, C, C)
    assert released.col_totals == (23, 34, 110)


def test_release_threshold10_small_total_is_hidden():
    table = Table(["a", "b"], ["x", "y"], [[4, 0], [30, 40]])
    released = release(table, "threshold10")
    assert released.primary[(0, 2)] == "small-count"
    assert released.row_totals[0] == C
    assert released.cells[0][1] == 0


def test_release_threshold10_dominance_hides_a_large_cell():
    contributions = [[[500.0, 450.0] + [1.0] * 10, [10.0] * 12], [[5.0] * 15, [7.0] * 20]]
    counts = [[12, 12], [15, 20]]
    table = Table(["a", "b"], ["x", "y"], counts, contributions)
    released = release(table, "threshold10")
    assert released.primary[(0, 0)] == "dominance"
    assert released.cells[0][0] == C


def test_dominance_fails_examples():
    assert dominance_fails([50, 45, 5], 2, 0.9)
    assert not dominance_fails([40, 30, 30], 2, 0.9)
    assert not dominance_fails([0, 0], 2, 0.9)


def test_p_percent_fails_examples():
    # 100 + 95 + 9: the remainder 9 is under 10% of 100, so the second largest contributor could
    # estimate the largest to within 10%.
    assert p_percent_fails([100, 95, 9], 0.10)
    assert not p_percent_fails([100, 95, 11], 0.10)


def test_release_midpoint6_worked_example():
    released = release(EXAMPLE, "midpoint6")
    assert released.grid() == [
        [3, 21, 15, 39],
        [9, 9, 27, 45],
        [39, 27, 3, 69],
        [51, 57, 45, 153],
    ]
    assert not released.primary
    assert not released.secondary


def test_release_rates_midpoint6_uses_rounded_values():
    numerators = Table(["a"], ["x", "y"], [[5, 14]])
    denominators = Table(["a"], ["x", "y"], [[100, 0]])
    rates = release_rates(numerators, denominators)
    # 5 -> 3, 100 -> 99; 14 -> 15 over 0 has no rate; totals 18 over 99.
    assert rates.rates[0] == (3 / 99, None, 18 / 99)
    assert rates.numerators.cells == ((3, 15),)


def test_release_rates_mismatched_labels_is_refused():
    with pytest.raises(InvalidTableError, match="same row and columns"):
        release_rates(Table(["a"], ["x"], [[1]]), Table(["b"], ["x"], [[1]]))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"row_labels": [], "col_labels": ["x"], "counts": []}, "at least one row"),
        ({"row_labels": ["a"], "col_labels": ["x"], "counts": [[1], [2]]}, "2 rows of counts"),
        ({"row_labels": ["a"], "col_labels": ["x", "y"], "counts": [[1]]}, "expected 2"),
        ({"row_labels": ["a"], "col_labels": ["x"], "counts": [[-1]]}, "0 or more"),
        ({"row_labels": ["a"], "col_labels": ["x"], "counts": [[2.5]]}, "whole number"),
        ({"row_labels": ["a"], "col_labels": ["x"], "counts": [[True]]}, "whole number"),
        (
            {"row_labels": ["a"], "col_labels": ["x"], "counts": [[2]], "contributions": [[[1]]]},
            "one per person",
        ),
        (
            {"row_labels": ["a"], "col_labels": ["x"], "counts": [[1]], "contributions": [[[-1]]]},
            "negative",
        ),
        (
            {"row_labels": ["a"], "col_labels": ["x"], "counts": [[1]], "contributions": []},
            "same shape",
        ),
    ],
)
def test_table_invalid_input_is_refused(kwargs, message):
    with pytest.raises(InvalidTableError, match=message):
        Table(**kwargs)


def test_released_table_shown_cells_and_published_form_leave_out_hidden_cells():
    # 4 is hidden; its row takes 20, its column 30, and column y then 40: a 2 by 2 block whose
    # totals (24, 70; 34, 60) leave one degree of freedom.
    released = release(Table(["a", "b"], ["x", "y"], [[4, 20], [30, 40]]), "threshold10")
    assert released.shown_cells() == [(0, 2), (1, 2), (2, 0), (2, 1), (2, 2)]
    assert released.published() == {
        "profile": "threshold10",
        "row_labels": ["a", "b"],
        "col_labels": ["x", "y"],
        "cells": [[C, C], [C, C]],
        "row_totals": [24, 70],
        "col_totals": [34, 60],
        "grand_total": 94,
    }


# --- an agreement's own output profile --------------------------------------------------------


def _agreement_profile(**changes):
    profile = {
        "minimum_cell_count": 10,
        "rounding_base": 5,
        "dominance_n": 2,
        "dominance_percent": 90,
        "secondary_suppression": True,
        "two_person_check": True,
    }
    return {**profile, **changes}


def test_profile_for_agreement_reads_the_agreements_rules():
    profile = profile_for_agreement(_agreement_profile())

    assert (profile.threshold, profile.rounding, profile.dominance) == (10, "nearest5", (2, 0.9))


def test_release_under_an_agreements_profile_hides_small_counts_and_rounds_the_rest():
    table = Table(["a", "b", "c"], ["x", "y", "z"], [[3, 22, 40], [14, 31, 50], [20, 26, 61]])

    released = release(table, profile_for_agreement(_agreement_profile()))

    grid = released.grid()
    assert grid[0][0] == MARKER  # 3 < 10
    assert grid[2][2] == 60  # 61 rounded to the nearest 5
    assert all(v % 5 == 0 for row in grid for v in row if v != MARKER)
    # the hidden 3 cannot be recomputed: its row and column each hide a second cell
    assert sum(v == MARKER for v in grid[0]) >= 2
    assert sum(row[0] == MARKER for row in grid) >= 2


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"minimum_cell_count": 0}, "minimum cell count"),
        ({"minimum_cell_count": None}, "minimum cell count"),
        ({"rounding_base": 3}, "rounding base of 3"),
        ({"rounding_base": True}, "rounding base"),
        ({"dominance_n": 2, "dominance_percent": 150}, "dominance"),
        ({"dominance_n": None, "dominance_percent": 90}, "dominance"),
    ],
)
def test_profile_for_agreement_refuses_rules_it_cannot_apply(changes, message):
    with pytest.raises(DisclosureError, match=message):
        profile_for_agreement(_agreement_profile(**changes))


def test_profile_for_agreement_refuses_an_agreement_without_one():
    with pytest.raises(DisclosureError, match="no output disclosure profile"):
        profile_for_agreement(None)
