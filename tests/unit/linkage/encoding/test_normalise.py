import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interborough.linkage.encoding import derive, normalise
from interborough.linkage.encoding.errors import EncoderInputError

TODAY = date(2026, 12, 7)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("José", "JOSE"),
        ("  zoë   ", "ZOE"),
        ("Siân", "SIAN"),
        ("O'Brien", "OBRIEN"),
        ("O\u2019Brien", "OBRIEN"),
        ("Smith-Jones", "SMITH JONES"),
        ("de   la  Cruz", "DE LA CRUZ"),
        ("Müller", "MULLER"),
        ("Straße", "STRASSE"),
        ("Øvergaard", "OVERGAARD"),
        ("Łukasz", "LUKASZ"),
        ("Æthelred", "AETHELRED"),
        ("Dr. J. Smith", "DR J SMITH"),
        ("...", None),
        ("", None),
        (None, None),
    ],
)
def test_normalise_name_table(raw: str | None, expected: str | None) -> None:
    assert normalise.normalise_name(raw) == expected


def test_normalise_address_keeps_digits() -> None:
    assert normalise.normalise_address("12a, High St.") == "12A HIGH ST"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("BILL", "WILLIAM"),
        ("BOB", "ROBERT"),
        ("LIZ ANNE", "ELIZABETH ANNE"),
        ("WILLIAM", "WILLIAM"),
    ],
)
def test_canonical_forename_maps_nicknames(name: str, expected: str) -> None:
    assert normalise.canonical_forename(name) == expected


def test_nickname_table_is_upper_case_and_non_trivial() -> None:
    table = normalise.nicknames()
    assert len(table) > 50
    assert all(k == normalise.normalise_name(k) and v.isupper() for k, v in table.items())


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("nw12ab", "NW1 2AB"),
        ("NW1 2AB", "NW1 2AB"),
        (" sw1a   1aa ", "SW1A 1AA"),
        ("E1 6AN", "E1 6AN"),
        ("EC1A1BB", "EC1A 1BB"),
        ("W1A 0AX", "W1A 0AX"),
        ("M1 1AE", "M1 1AE"),
        ("gir0aa", "GIR 0AA"),
        ("   ", None),
        (None, None),
    ],
)
def test_normalise_postcode_canonical(raw: str | None, expected: str | None) -> None:
    assert normalise.normalise_postcode(raw) == expected


@pytest.mark.parametrize("raw", ["ZZ", "NW1", "12345", "QW1 2AB", "NW1 2CB", "NW1 2AB X", "N1W"])
def test_normalise_postcode_refuses_impossible(raw: str) -> None:
    with pytest.raises(EncoderInputError) as caught:
        normalise.normalise_postcode(raw)
    assert caught.value.reason == "postcode_invalid"
    assert raw in str(caught.value)


@pytest.mark.parametrize(
    "raw",
    [
        "1980-02-01",
        "1980/02/01",
        "01/02/1980",
        "1/2/1980",
        "01-02-1980",
        "01.02.1980",
        "1 Feb 1980",
        "1st February 1980",
        "Feb 1, 1980",
        "01-FEB-1980",
        "19800201",
        "01021980",
        "1980-02-01T00:00:00",
        "1980-02-01 00:00:00",
        date(1980, 2, 1),
    ],
)
def test_parse_dob_formats(raw: str | date) -> None:
    assert normalise.parse_dob(raw, today=TODAY) == date(1980, 2, 1)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("31/02/1980", "dob_impossible"),
        ("1980-13-01", "dob_impossible"),
        ("29/02/1981", "dob_impossible"),
        ("01/02/80", "dob_two_digit_year"),
        ("banana", "dob_unreadable"),
        ("1 Smarch 1980", "dob_unreadable"),
        ("²/2/1980", "dob_unreadable"),
        ("01/01/2090", "dob_future"),
        ("01/01/1700", "dob_too_early"),
    ],
)
def test_parse_dob_refuses_garbage(raw: str, reason: str) -> None:
    with pytest.raises(EncoderInputError) as caught:
        normalise.parse_dob(raw, today=TODAY)
    assert caught.value.reason == reason


def test_parse_dob_blank_is_missing() -> None:
    assert normalise.parse_dob("  ", today=TODAY) is None
    assert normalise.parse_dob(None, today=TODAY) is None


def test_parse_dob_accepts_29_february_in_leap_year() -> None:
    assert normalise.parse_dob("29/02/1980", today=TODAY) == date(1980, 2, 29)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        *[("M", "M"), ("male", "M"), ("1", "M"), ("f", "F"), ("Female", "F"), ("2", "F")],
        *[("x", None), ("unknown", None), ("9", None), ("", None), (None, None)],
    ],
)
def test_normalise_sex_codes(raw: str | None, expected: str | None) -> None:
    assert normalise.normalise_sex(raw) == expected


def test_nhs_number_check_digit() -> None:
    assert normalise.normalise_nhs_number("401 023 2137") == "4010232137"
    with pytest.raises(EncoderInputError, match="check digit"):
        normalise.normalise_nhs_number("4010232138")


def test_ni_number_drops_suffix_and_refuses_bad_prefix() -> None:
    assert normalise.normalise_ni_number("ab 12 34 56 c") == "AB123456"
    assert normalise.normalise_ni_number("AB123456") == "AB123456"
    with pytest.raises(EncoderInputError):
        normalise.normalise_ni_number("GB123456A")


def test_uprn_strips_float_suffix_and_zeros() -> None:
    assert normalise.normalise_uprn("00100023336956.0".lstrip("0")) == "100023336956"
    with pytest.raises(EncoderInputError):
        normalise.normalise_uprn("12AB")


def test_derive_name_parts() -> None:
    parts = derive.name_parts("DE SOUZA")
    assert (parts.initial, parts.prefix3, parts.soundex) == ("D", "DES", "D220")
    assert derive.name_parts("SMITH").soundex == derive.name_parts("SMYTH").soundex


def test_derive_dob_parts_and_swap() -> None:
    parts = derive.dob_parts(date(1980, 2, 1))
    assert (parts.iso, parts.year, parts.month, parts.day) == ("1980-02-01", "1980", "02", "01")
    assert parts.swapped == "1980-01-02"
    assert derive.swapped_date(date(1980, 2, 13)) is None
    assert derive.swapped_date(date(1980, 3, 3)) is None


def test_derive_postcode_parts() -> None:
    parts = derive.postcode_parts("NW1 2AB")
    assert (parts.sector, parts.district) == ("NW1 2", "NW1")


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=30))
def test_normalise_name_output_is_upper_latin_single_spaced(raw: str) -> None:
    result = normalise.normalise_name(raw)
    assert result is None or re.fullmatch(r"[A-Z]+( [A-Z]+)*", result)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=20))
def test_parsers_only_raise_encoder_input_error(raw: str) -> None:
    for parse in (
        lambda v: normalise.parse_dob(v, today=TODAY),
        normalise.normalise_postcode,
        normalise.normalise_nhs_number,
        normalise.normalise_ni_number,
        normalise.normalise_uprn,
    ):
        try:
            parse(raw)
        except EncoderInputError as error:
            assert error.reason and str(error)
