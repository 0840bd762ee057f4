from datetime import date
from functools import partial

import numpy as np
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from interborough.linkage.encoding import derive, keys, normalise
from interborough.linkage.encoding.columns import (
    Flags,
    attempt,
    column,
    fast_dobs,
    fast_nhs_numbers,
    fast_uprns,
)
from interborough.linkage.encoding.records import ColumnMapping, Encoder
from interborough.linkage.encoding.tokens import Tokeniser

KEY = keys.keygen()
TODAY = date(2026, 12, 7)
MAPPING = ColumnMapping("fn", "sn", "dob", "sex", "pc", nhs_number="nhs", uprn="uprn")


def _row(**changes: str | None) -> dict[str, str | None]:
    row: dict[str, str | None] = {
        "fn": "Ann",
        "sn": "Lee",
        "dob": "1980-02-01",
        "sex": "F",
        "pc": "E1 6AN",
        "nhs": "9434765919",
        "uprn": "100023336956",
    }
    return row | changes


def _encode(rows: list[dict[str, str | None]], first_row: int = 1):  # type: ignore[no-untyped-def]
    data = {name: [r[name] for r in rows] for name in rows[0]}
    return Encoder(KEY, "DSA-1", today=TODAY).encode(data, MAPPING, first_row=first_row)


def test_repeated_values_give_identical_encodings() -> None:
    rows = [_row(), _row(fn="Bob"), _row(), _row(nhs=" 943 476 5919 ")]
    table = _encode(rows).table
    assert table.num_rows == 4
    for name in table.column_names:
        if name != "record_id":
            values = table[name].to_pylist()
            assert values[0] == values[2] == values[3], name
    assert table["tk_forename"][0] != table["tk_forename"][1]
    assert table["tk_dob"][0].as_py() != table["tk_dob_swapped"][0].as_py()


def test_rejected_rows_keep_their_own_row_numbers_when_values_repeat() -> None:
    rows = [
        _row(),
        _row(nhs="9434765918"),  # wrong check digit
        _row(dob="1980-02-30"),
        _row(nhs="9434765918"),
        _row(uprn="12a"),
        _row(dob="2099-01-01", uprn="12a"),
        _row(fn="Cy"),
    ]
    result = _encode(rows, first_row=10)
    assert result.report.rejected == {
        "nhs_number_invalid": [11, 13],
        "dob_impossible": [12],
        "uprn_invalid": [14, 15],
        "dob_future": [15],
    }
    assert result.report.rows_rejected == 5
    assert result.table["record_id"].to_pylist() == ["10", "16"]
    assert result.table["tk_forename"][0] != result.table["tk_forename"][1]


def test_tokeniser_array_matches_one_at_a_time() -> None:
    tokeniser = Tokeniser(keys.subkey(KEY, "DSA-1", "token"))
    values = ["ANN", None, "", "ANN", "ZOË", "B" * 200]
    array = tokeniser.array("name", values)
    assert array.type == pa.string()
    assert array.to_pylist() == [tokeniser.token("name", v) for v in values]
    assert array.null_count == 2
    assert tokeniser.array("name", []).to_pylist() == []


def _slow_and_fast(values: list[str | None], fn, fast):  # type: ignore[no-untyped-def]
    col = column(pa.array(values, type=pa.string()))
    slow_bad: Flags = {}
    fast_bad: Flags = {}
    slow = attempt(col, fn, slow_bad)
    quick = attempt(col, fn, fast_bad, fast)
    assert quick == slow
    assert slow_bad.keys() == fast_bad.keys()
    for reason, rows in slow_bad.items():
        assert np.array_equal(rows, fast_bad[reason]), reason


_DIGITS = st.text("0123456789", min_size=8, max_size=13)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(_DIGITS, st.text("0123456789 -x", max_size=12), st.none()), max_size=20))
def test_fast_nhs_and_uprn_paths_agree_with_the_normalisers(values: list[str | None]) -> None:
    values = [*values, "9434765919", "9434765918", "100023336956", "0100"]
    _slow_and_fast(values, normalise.normalise_nhs_number, fast_nhs_numbers)
    _slow_and_fast(values, normalise.normalise_uprn, fast_uprns)


def _dob_parts(value: str | None) -> derive.DobParts | None:
    parsed = normalise.parse_dob(value, today=TODAY)
    return derive.dob_parts(parsed) if parsed else None


_ISO = st.builds(
    "{:04d}-{:02d}-{:02d}".format,
    st.integers(1870, 2030),
    st.integers(0, 13),
    st.integers(0, 32),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(_ISO, st.dates().map(str), st.text("0123456789-/", max_size=10))))
def test_fast_date_path_agrees_with_parse_dob(values: list[str | None]) -> None:
    values = [*values, "2000-02-29", "1900-02-29", "2026-12-07", "2026-12-08", "1980-03-03"]
    _slow_and_fast(values, _dob_parts, partial(fast_dobs, today=TODAY))
