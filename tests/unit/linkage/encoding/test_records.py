from datetime import date

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interborough.linkage.encoding import keys
from interborough.linkage.encoding.bloom import dice
from interborough.linkage.encoding.errors import EncoderInputError
from interborough.linkage.encoding.records import ColumnMapping, Encoder, encode_table

KEY = keys.keygen()
TODAY = date(2026, 12, 7)
MAPPING = ColumnMapping("fn", "sn", "dob", "sex", "pc", attributes=("borough",))


def _data() -> dict[str, list[str | None]]:
    return {
        "fn": ["José", "Bill", None, "123", "Ann"],
        "sn": ["O'Brien", "Smith", "Khan", "Lee", "Ng"],
        "dob": ["01/02/1980", "31/02/1980", "1 Feb 1980", None, "banana"],
        "sex": ["m", "2", "x", None, "F"],
        "pc": ["nw12ab", "SW1A 1AA", "zz", "E1 6AN", None],
        "borough": ["a", "b", "c", "d", "e"],
        "secret_notes": ["x", "y", "z", "w", "v"],
    }


def _encode(data: dict[str, list[str | None]] | pa.Table, mapping: ColumnMapping = MAPPING):
    return encode_table(data, mapping, key=KEY, agreement="DSA-1", today=TODAY)


def test_report_counts_rejections_by_reason_with_row_numbers() -> None:
    result = _encode(_data())
    report = result.report
    assert report.rows == 5
    assert report.rows_encoded == 1
    assert report.rows_rejected == 4
    assert report.rejected == {
        "dob_impossible": [2],
        "postcode_invalid": [3],
        "forename_no_latin_letters": [4],
        "dob_unreadable": [5],
    }
    assert result.table["record_id"].to_pylist() == ["1"]


def test_completeness_counts_missing_values_among_encoded_rows() -> None:
    data = {
        "fn": ["Ann", None, "Bob", "Cy"],
        "sn": ["A", "B", "C", "D"],
        "dob": ["1980-01-01", None, None, "1980-01-03"],
        "sex": ["F", "?", "M", "M"],
        "pc": ["E1 6AN", "E1 6AN", None, "E1 6AN"],
    }
    report = _encode(data, ColumnMapping("fn", "sn", "dob", "sex", "pc")).report
    assert report.rejected == {}
    assert report.completeness == {
        "forename": 0.75,
        "surname": 1.0,
        "dob": 0.5,
        "sex": 0.75,
        "postcode": 0.75,
    }


def test_output_has_only_encodings_and_allowed_attributes() -> None:
    table = _encode(_data()).table
    names = set(table.column_names)
    assert "borough" in names
    assert not names & {"fn", "sn", "dob", "sex", "pc", "secret_notes"}
    assert all(n == "record_id" or n == "borough" or n[:3] in ("tk_", "bf_") for n in names)
    meta = table.schema.metadata
    assert meta[b"interborough.key_fingerprint"].decode() == keys.fingerprint(KEY)
    assert meta[b"interborough.agreement"] == b"DSA-1"
    plain = {str(v) for row in table.to_pylist() for v in row.values()}
    assert not plain & {"JOSE", "OBRIEN", "NW1 2AB", "1980-02-01"}


def test_tokens_link_variants_of_the_same_person() -> None:
    a = {"fn": ["Bill"], "sn": ["O'Brien"], "dob": ["01/02/1980"], "sex": ["M"], "pc": ["nw12ab"]}
    b = {
        "fn": ["William"],
        "sn": ["OBrien"],
        "dob": ["1980-01-02"],
        "sex": ["1"],
        "pc": ["NW1 2AB"],
    }
    mapping = ColumnMapping("fn", "sn", "dob", "sex", "pc")
    ra, rb = _encode(a, mapping).table.to_pylist()[0], _encode(b, mapping).table.to_pylist()[0]
    assert ra["tk_forename"] != rb["tk_forename"]
    assert ra["tk_forename_canonical"] == rb["tk_forename_canonical"]
    assert ra["tk_surname"] == rb["tk_surname"]
    assert ra["tk_dob"] == rb["tk_dob_swapped"]
    assert ra["tk_sex"] == rb["tk_sex"] and ra["tk_postcode"] == rb["tk_postcode"]
    assert dice(ra["bf_surname"], rb["bf_surname"]) == 1.0


def test_different_agreements_cannot_be_joined() -> None:
    data = _data()
    one = encode_table(data, MAPPING, key=KEY, agreement="DSA-1", today=TODAY).table
    two = encode_table(data, MAPPING, key=KEY, agreement="DSA-2", today=TODAY).table
    assert one["tk_surname"].to_pylist() != two["tk_surname"].to_pylist()


def test_optional_identifiers_and_record_id() -> None:
    data = {
        "id": ["r1", " "],
        "fn": ["A", "B"],
        "sn": ["C", "D"],
        "dob": [date(1980, 2, 1), date(1990, 3, 4)],
        "sex": [1, 2],
        "pc": ["E1 6AN", "E1 6AN"],
        "nhs": ["4010232137", "4010232138"],
        "ni": ["AB123456C", None],
        "uprn": [100023336956, None],
        "addr": ["12 High St", None],
    }
    mapping = ColumnMapping(
        "fn", "sn", "dob", "sex", "pc", "nhs", "ni", "uprn", address="addr", record_id="id"
    )
    result = _encode(pa.table(data), mapping)
    assert result.report.rejected == {"record_id_missing": [2], "nhs_number_invalid": [2]}
    row = result.table.to_pylist()[0]
    assert row["record_id"] == "r1"
    assert row["tk_nhs_number"] and row["tk_ni_number"] and row["tk_uprn"]
    assert len(row["bf_address"]) == 256
    assert result.report.completeness["address"] == 1.0


@pytest.mark.parametrize(
    "mapping",
    [
        ColumnMapping("fn", "sn", "dob", "sex", "missing"),
        ColumnMapping("fn", "sn", "dob", "sex", "pc", attributes=("fn",)),
    ],
)
def test_bad_mapping_is_refused_clearly(mapping: ColumnMapping) -> None:
    with pytest.raises(EncoderInputError) as caught:
        _encode(_data(), mapping)
    assert caught.value.reason == "mapping_invalid"


def test_attribute_clashing_with_output_names_is_refused() -> None:
    data = {**_data(), "tk_x": ["1"] * 5}
    with pytest.raises(EncoderInputError, match="clash"):
        _encode(data, ColumnMapping("fn", "sn", "dob", "sex", "pc", attributes=("tk_x",)))


def test_encoder_reports_rows_from_first_row_offset() -> None:
    encoder = Encoder(KEY, "DSA-1", today=TODAY)
    report = encoder.encode(_data(), MAPPING, first_row=101).report
    assert report.rejected["dob_impossible"] == [102]


_text = st.one_of(st.none(), st.text(max_size=20))


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(st.tuples(_text, _text, _text, _text, _text, _text), min_size=1, max_size=8))
def test_encoding_never_raises_on_arbitrary_text(rows: list[tuple[str | None, ...]]) -> None:
    columns = list(zip(*rows, strict=True))
    data = dict(zip(["fn", "sn", "dob", "sex", "pc", "nhs"], map(list, columns), strict=True))
    mapping = ColumnMapping("fn", "sn", "dob", "sex", "pc", nhs_number="nhs")
    result = _encode(data, mapping)
    rejected_rows = {r for rows_ in result.report.rejected.values() for r in rows_}
    assert result.report.rows == len(rows)
    assert result.table.num_rows + len(rejected_rows) == len(rows)
