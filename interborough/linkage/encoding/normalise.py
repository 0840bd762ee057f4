"""Normalise identifiers so the same person looks the same in every borough's file.

Names: Unicode NFKD, diacritics stripped, a few letters NFKD cannot split (ß, Æ, Ø, Ł, …)
transliterated, upper case. Apostrophes are *removed* so that "O'Brien", "O\u2019Brien" and "OBrien"
agree; hyphens and every other non-letter become a space so that "Smith-Jones" and "Smith Jones"
agree; whitespace is collapsed. A value with no letters left is missing, not "".

Postcodes are returned in canonical form ("NW1 2AB"); dates of birth are parsed from many
formats, reading ambiguous numeric dates day-first as UK records do. Impossible values raise
:class:`EncoderInputError` with a reason code, so the row can be reported rather than dropped.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from datetime import date, datetime
from functools import cache
from pathlib import Path

from interborough.linkage.encoding.errors import EncoderInputError

_NICKNAMES_CSV = Path(__file__).parent / "data" / "nicknames.csv"

_TRANSLITERATE = str.maketrans(
    {
        "ß": "SS",
        "ẞ": "SS",
        "Æ": "AE",
        "æ": "AE",
        "Œ": "OE",
        "œ": "OE",
        "Ø": "O",
        "ø": "O",
        "Ł": "L",
        "ł": "L",
        "Đ": "D",
        "đ": "D",
        "Ð": "D",
        "ð": "D",
        "Þ": "TH",
        "þ": "TH",
        "\u0131": "I",  # dotless i
    }
)
# ASCII apostrophe, right/left single quotes, grave, acute and the modifier-letter apostrophe.
_APOSTROPHES = re.compile("['\u2019\u2018`\u00b4\u02bc]")
_NON_LETTERS = re.compile(r"[^A-Z]+")
_NON_ALPHANUMERIC = re.compile(r"[^A-Z0-9]+")

# Outward code: area (1-2 letters) + district (digit, then optional digit or letter).
_POSTCODE = re.compile(r"^([A-PR-UWYZ][A-HK-Y]?[0-9][0-9A-HJKMNPR-Y]?)([0-9][ABD-HJLNP-UW-Z]{2})$")

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("JAN", "JANUARY"),
            ("FEB", "FEBRUARY"),
            ("MAR", "MARCH"),
            ("APR", "APRIL"),
            ("MAY",),
            ("JUN", "JUNE"),
            ("JUL", "JULY"),
            ("AUG", "AUGUST"),
            ("SEP", "SEPT", "SEPTEMBER"),
            ("OCT", "OCTOBER"),
            ("NOV", "NOVEMBER"),
            ("DEC", "DECEMBER"),
        ],
        start=1,
    )
    for name in names
}
_TIME_SUFFIX = re.compile(
    r"^(\S+?)(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)$"
)
_ORDINAL = re.compile(r"^([0-9]{1,2})(?:ST|ND|RD|TH)$")
_SEPARATORS = re.compile(r"[\s,/.\-]+")
EARLIEST_YEAR = 1880

_SEX_CODES = {
    "M": "M",
    "MALE": "M",
    "MAN": "M",
    "BOY": "M",
    "1": "M",
    "F": "F",
    "FEMALE": "F",
    "WOMAN": "F",
    "GIRL": "F",
    "2": "F",
}


def normalise_name(value: str | None) -> str | None:
    """Return the comparable form of a name, or None when it holds no letters."""
    return _normalise_text(value, _NON_LETTERS)


def normalise_address(value: str | None) -> str | None:
    """Like a name, but digits are kept ("12A High St." -> "12A HIGH ST")."""
    return _normalise_text(value, _NON_ALPHANUMERIC)


def _normalise_text(value: str | None, drop: re.Pattern[str]) -> str | None:
    if value is None:
        return None
    text = unicodedata.normalize("NFKD", value.translate(_TRANSLITERATE))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _APOSTROPHES.sub("", text).upper()
    text = drop.sub(" ", text).strip()
    return text or None


@cache
def nicknames() -> dict[str, str]:
    """The shipped nickname table: normalised nickname -> canonical forename."""
    with _NICKNAMES_CSV.open(encoding="utf-8", newline="") as handle:
        return {row["nickname"]: row["canonical"] for row in csv.DictReader(handle)}


def canonical_forename(name: str | None) -> str | None:
    """Map a normalised forename's first word through the nickname table ("BILL" -> "WILLIAM")."""
    if not name:
        return None
    first, _, rest = name.partition(" ")
    canonical = nicknames().get(first, first)
    return f"{canonical} {rest}" if rest else canonical


def normalise_postcode(value: str | None) -> str | None:
    """Return a UK postcode as "NW1 2AB", None when blank; raise for impossible ones."""
    if value is None:
        return None
    compact = re.sub(r"\s+", "", value).upper()
    if not compact:
        return None
    if compact == "GIR0AA":
        return "GIR 0AA"
    match = _POSTCODE.match(compact)
    if match is None:
        raise EncoderInputError(
            "postcode_invalid",
            f"{value!r} is not a UK postcode: expected an outward code such as 'NW1' "
            "followed by an inward code such as '2AB'.",
        )
    return f"{match.group(1)} {match.group(2)}"


def normalise_sex(value: str | None) -> str | None:
    """Return "M" or "F" for recognised codes; anything else is unknown (None), not an error."""
    if value is None:
        return None
    return _SEX_CODES.get(value.strip().upper())


def parse_dob(value: str | date | None, *, today: date | None = None) -> date | None:
    """Parse a date of birth from many formats, day-first; None when blank; raise when bad."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return _check_dob(value.year, value.month, value.day, str(value), today)
    if isinstance(value, date):
        return _check_dob(value.year, value.month, value.day, str(value), today)
    text = value.strip().upper()
    if not text:
        return None
    timed = _TIME_SUFFIX.match(text)
    if timed:
        text = timed.group(1)
    year, month, day = _split_date(text, value)
    return _check_dob(year, month, day, value, today)


def _digits(text: str) -> bool:
    """True for ASCII digits only: int() rejects some Unicode digits such as superscripts."""
    return text.isascii() and text.isdigit()


def _split_date(text: str, original: str) -> tuple[int, int, int]:
    if _digits(text) and len(text) == 8:
        return _split_compact(text)
    parts = [p for p in _SEPARATORS.split(text) if p]
    parts = [_ORDINAL.sub(r"\1", p) for p in parts]
    if len(parts) != 3 or any(len(p) > 9 for p in parts):
        raise _unreadable(original)
    months = [p for p in parts if p in _MONTHS]
    if len(months) == 1:
        numbers = [p for p in parts if p not in _MONTHS]
        if not all(_digits(p) for p in numbers):
            raise _unreadable(original)
        years = [p for p in numbers if len(p) == 4]
        if len(years) != 1:
            raise _two_digit_year(original)
        day = next(p for p in numbers if p != years[0])
        return int(years[0]), _MONTHS[months[0]], int(day)
    if not all(_digits(p) for p in parts):
        raise _unreadable(original)
    if len(parts[0]) == 4:
        return int(parts[0]), int(parts[1]), int(parts[2])
    if len(parts[2]) == 4:
        return int(parts[2]), int(parts[1]), int(parts[0])
    raise _two_digit_year(original)


def _split_compact(text: str) -> tuple[int, int, int]:
    """Read 8 digits as YYYYMMDD when that is a real date, otherwise as DDMMYYYY."""
    year, month, day = int(text[:4]), int(text[4:6]), int(text[6:])
    if 1800 <= year <= 2199 and 1 <= month <= 12 and 1 <= day <= 31:
        return year, month, day
    return int(text[4:]), int(text[2:4]), int(text[:2])


def _check_dob(year: int, month: int, day: int, original: str, today: date | None) -> date:
    try:
        parsed = date(year, month, day)
    except ValueError:
        raise EncoderInputError(
            "dob_impossible", f"{original!r} is not a real date (day {day}, month {month})."
        ) from None
    if parsed > (today or date.today()):
        raise EncoderInputError("dob_future", f"Date of birth {original!r} is in the future.")
    if parsed.year < EARLIEST_YEAR:
        raise EncoderInputError(
            "dob_too_early", f"Date of birth {original!r} is before {EARLIEST_YEAR}."
        )
    return parsed


def _unreadable(original: str) -> EncoderInputError:
    return EncoderInputError(
        "dob_unreadable",
        f"{original!r} is not a date this encoder can read: use e.g. 1980-02-01, 01/02/1980 "
        "(day first), 1 Feb 1980 or 19800201.",
    )


def _two_digit_year(original: str) -> EncoderInputError:
    return EncoderInputError(
        "dob_two_digit_year",
        f"{original!r} has a two-digit year, which is ambiguous for a date of birth: "
        "export the full four-digit year.",
    )


def normalise_nhs_number(value: str | None) -> str | None:
    """Return a 10-digit NHS number after checking its modulus 11 check digit."""
    if value is None:
        return None
    digits = re.sub(r"[\s-]+", "", value)
    if not digits:
        return None
    if not (_digits(digits) and len(digits) == 10):
        raise EncoderInputError("nhs_number_invalid", f"{value!r} is not a 10-digit NHS number.")
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    if check == 10 or check != int(digits[9]):
        raise EncoderInputError(
            "nhs_number_invalid", f"{value!r} fails the NHS number check digit."
        )
    return digits


_NI_NUMBER = re.compile(r"^([A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z])([0-9]{6})([A-D]?)$")
_NI_BAD_PREFIXES = {"BG", "GB", "NK", "KN", "TN", "NT", "ZZ"}


def normalise_ni_number(value: str | None) -> str | None:
    """Return the 8 identifying characters of a National Insurance number (suffix dropped)."""
    if value is None:
        return None
    compact = re.sub(r"\s+", "", value).upper()
    if not compact:
        return None
    match = _NI_NUMBER.match(compact)
    if match is None or match.group(1) in _NI_BAD_PREFIXES:
        raise EncoderInputError(
            "ni_number_invalid", f"{value!r} is not a National Insurance number like QQ123456C."
        )
    # The A-D suffix is often missing in council records and identifies no one on its own.
    return match.group(1) + match.group(2)


def normalise_uprn(value: str | None) -> str | None:
    """Return a UPRN as digits without leading zeros (1 to 12 digits)."""
    if value is None:
        return None
    text = value.strip()
    if text.endswith(".0"):  # spreadsheets often turn identifiers into floats
        text = text[:-2]
    if not text:
        return None
    if not (_digits(text) and len(text) <= 12 and int(text) > 0):
        raise EncoderInputError("uprn_invalid", f"{value!r} is not a UPRN (1 to 12 digits).")
    return str(int(text))
