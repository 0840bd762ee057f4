"""The release ledger refuses tables that reveal a small group by differencing."""

import contextlib
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interborough.linkage.ledger import (
    DifferencingError,
    LedgerError,
    ReleasedCell,
    ReleaseLedger,
)


def people(start: int, stop: int) -> set[str]:
    return {f"p{i}" for i in range(start, stop)}


def test_record_then_refuse_a_cell_that_differs_by_a_small_group():
    # Attack: "all people aged 18+" (25) is released, then "aged 18-64" (22). The difference
    # reveals 3 people aged 65+, which could not have been shown on its own.
    ledger = ReleaseLedger("homelessness-6", threshold=10)
    ledger.record("t1", {"adults": people(0, 25)})
    with pytest.raises(
        DifferencingError, match=r"t2:working-age would reveal a group of 3 people.*t1:adults"
    ):
        ledger.record("t2", {"working-age": people(0, 22)})
    assert ledger.release_ids == {"t1"}


def test_record_allows_nested_cells_differing_by_the_threshold_or_more():
    ledger = ReleaseLedger("c", threshold=10)
    ledger.record("t1", {"all": people(0, 30)})
    ledger.record("t2", {"most": people(0, 20)})
    assert ledger.release_ids == {"t1", "t2"}


def test_record_allows_overlapping_cells_that_do_not_nest():
    ledger = ReleaseLedger("c", threshold=10)
    ledger.record("t1", {"a": people(0, 20)})
    ledger.record("t2", {"b": people(15, 35)})
    assert len(ledger.cells) == 2


def test_record_allows_identical_populations():
    ledger = ReleaseLedger("c", threshold=10)
    ledger.record("t1", {"a": people(0, 20)})
    ledger.record("t2", {"a again": people(0, 20)})
    assert len(ledger.cells) == 2


def test_check_refuses_differencing_within_one_table():
    ledger = ReleaseLedger("c", threshold=10)
    cells = {"row total": people(0, 15), "cell": people(0, 12)}
    with pytest.raises(DifferencingError, match="group of 3 people"):
        ledger.check("t1", cells)


def test_check_does_not_record():
    ledger = ReleaseLedger("c", threshold=10)
    ledger.check("t1", {"a": people(0, 20)})
    assert ledger.cells == ()


def test_record_refuses_a_release_id_used_before():
    ledger = ReleaseLedger("c", threshold=10)
    ledger.record("t1", {"a": people(0, 20)})
    with pytest.raises(LedgerError, match="already in the ledger"):
        ledger.record("t1", {"b": people(40, 60)})


def test_ledger_threshold_below_two_is_refused():
    with pytest.raises(LedgerError, match="2 or more"):
        ReleaseLedger("c", threshold=1)


def test_to_dict_from_dict_round_trip_keeps_refusing():
    ledger = ReleaseLedger("c", threshold=10)
    ledger.record("t1", {"a": people(0, 20)})
    restored = ReleaseLedger.from_dict(json.loads(json.dumps(ledger.to_dict())))
    assert restored.cells == (ReleasedCell("t1", "a", frozenset(people(0, 20))),)
    assert restored.threshold == 10
    assert restored.collaboration == "c"
    with pytest.raises(DifferencingError):
        restored.record("t2", {"b": people(0, 19)})


def test_from_dict_malformed_is_refused():
    with pytest.raises(LedgerError, match="malformed"):
        ReleaseLedger.from_dict({"collaboration": "c", "threshold": 10})


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.dictionaries(
            st.sampled_from(["a", "b", "c"]),
            st.frozensets(st.integers(0, 25).map(str), max_size=25),
            min_size=1,
        ),
        min_size=1,
        max_size=6,
    )
)
def test_attack_differencing_no_accepted_pair_reveals_a_small_group(releases):
    ledger = ReleaseLedger("c", threshold=10)
    for number, cells in enumerate(releases):
        with contextlib.suppress(DifferencingError):
            ledger.record(f"t{number}", cells)
    recorded = ledger.cells
    for i, a in enumerate(recorded):
        for b in recorded[i + 1 :]:
            small, large = sorted((a.population, b.population), key=len)
            if small <= large:
                assert not 1 <= len(large) - len(small) <= 9, (a.name, b.name)
