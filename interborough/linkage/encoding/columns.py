"""Input columns reduced to their distinct values, and vectorised checks for common identifiers.

The encoder works once per *distinct* value of a column (pyarrow dictionary encoding) and spreads
results back to rows by index. Names and postcodes repeat heavily, so that alone makes them cheap.
NHS numbers and UPRNs are nearly unique and dates of birth many, so for them a numpy/pyarrow fast
path accepts the values that are plainly valid (ten digits with a right check digit; a UPRN of
digits without leading zeros; a real ISO date in range) and only the rest go through the Python
normaliser, which gives the same answer for valid values and the reason for invalid ones. A row
with an impossible value is flagged under its reason by its own row number.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from interborough.linkage.encoding.derive import DobParts
from interborough.linkage.encoding.errors import EncoderInputError
from interborough.linkage.encoding.normalise import EARLIEST_YEAR

Normaliser = Callable[[Any], Any]
# Takes a column, returns results for the distinct values it vouches for and which those are.
FastPath = Callable[["Column"], tuple[list[Any], npt.NDArray[np.bool_]]]
Flags = dict[str, npt.NDArray[np.bool_]]
_NHS_WEIGHTS = np.arange(10, 1, -1, dtype=np.int64)
_DAYS_IN_MONTH = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])


@dataclass
class Column:
    """One input column reduced to distinct values, with each row's index into them."""

    values: list[Any]
    dictionary: pa.StringArray
    indices: pa.Array  # int32, null where the input was null
    positions: npt.NDArray[np.int64]  # indices with null mapped to len(values)

    def rows_where(self, flags: npt.ArrayLike) -> npt.NDArray[np.bool_]:
        """Row mask from a per-distinct-value mask (null rows are never flagged)."""
        lookup = np.append(np.asarray(flags, dtype=np.bool_), False)
        return lookup[self.positions]


def column(values: pa.ChunkedArray | pa.Array) -> Column:
    """Cast to text (dates become ISO text), blank to null, and dictionary-encode."""
    text = pc.utf8_trim_whitespace(pc.cast(values, pa.string()))
    text = pc.if_else(pc.equal(text, ""), None, text)
    if isinstance(text, pa.ChunkedArray):
        text = text.combine_chunks()
    encoded = pc.dictionary_encode(text)
    distinct = encoded.dictionary
    indices = encoded.indices
    positions = pc.fill_null(indices, len(distinct)).to_numpy().astype(np.int64)
    return Column(distinct.to_pylist(), distinct, indices, positions)


def attempt(col: Column, fn: Normaliser, bad: Flags, fast: FastPath | None = None) -> list[Any]:
    """Apply ``fn`` to each distinct value; values it refuses become None and flag their rows.

    With ``fast``, values the fast path accepts take its result and skip ``fn``.
    """
    if fast is None:
        results: list[Any] = [None] * len(col.values)
        todo: range | npt.NDArray[np.intp] = range(len(col.values))
    else:
        results, accepted = fast(col)
        todo = np.flatnonzero(~accepted)
    reasons: dict[str, npt.NDArray[np.bool_]] = {}
    for i in todo:
        try:
            results[i] = fn(col.values[i])
        except EncoderInputError as error:
            results[i] = None
            reasons.setdefault(error.reason, np.zeros(len(col.values), dtype=np.bool_))[i] = True
    for reason, flags in reasons.items():
        flag(bad, reason, col.rows_where(flags))
    return results


def flag(bad: Flags, reason: str, rows: npt.NDArray[np.bool_]) -> None:
    """Add ``rows`` to the rows rejected for ``reason``."""
    if rows.any():
        bad[reason] = bad[reason] | rows if reason in bad else rows


def _accept(values: pa.StringArray, pattern: str) -> npt.NDArray[np.bool_]:
    matched = pc.match_substring_regex(values, pattern)
    return np.asarray(pc.fill_null(matched, False).to_numpy(zero_copy_only=False), dtype=np.bool_)


def _vouched(values: pa.StringArray, accepted: npt.NDArray[np.bool_]) -> list[Any]:
    """The accepted values themselves, None elsewhere (to be filled in by the normaliser)."""
    kept = pc.if_else(pa.array(accepted, type=pa.bool_()), values, None)
    return list(kept.to_pylist())


def fast_nhs_numbers(col: Column) -> tuple[list[Any], npt.NDArray[np.bool_]]:
    """Vouch for plain ten-digit NHS numbers whose modulus 11 check digit is right."""
    values = col.dictionary
    accepted = _accept(values, r"^[0-9]{10}$")
    if accepted.any():
        digits = _digit_matrix(values.filter(pa.array(accepted, type=pa.bool_())), 10)
        check = 11 - (digits[:, :9] @ _NHS_WEIGHTS) % 11
        check[check == 11] = 0
        accepted[accepted] = check == digits[:, 9]  # a check of 10 never equals a digit
    return _vouched(values, accepted), accepted


def fast_uprns(col: Column) -> tuple[list[Any], npt.NDArray[np.bool_]]:
    """Vouch for UPRNs already written as 1 to 12 digits without leading zeros."""
    accepted = _accept(col.dictionary, r"^[1-9][0-9]{0,11}$")
    return _vouched(col.dictionary, accepted), accepted


def fast_dobs(col: Column, today: date) -> tuple[list[Any], npt.NDArray[np.bool_]]:
    """Vouch for ISO dates (YYYY-MM-DD) that are real, not after ``today`` and not too early.

    Results are the :class:`DobParts` that ``derive.dob_parts(parse_dob(value))`` would give.
    """
    accepted = _accept(col.dictionary, r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
    results: list[Any] = [None] * len(col.values)
    if not accepted.any():
        return results, accepted
    digits = _digit_matrix(col.dictionary.filter(pa.array(accepted, type=pa.bool_())), 10)
    year = digits[:, :4] @ np.array([1000, 100, 10, 1])
    month = digits[:, 5] * 10 + digits[:, 6]
    day = digits[:, 8] * 10 + digits[:, 9]
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    last_day = _DAYS_IN_MONTH[np.clip(month, 0, 12)] + (leap & (month == 2))
    ordinal = year * 10_000 + month * 100 + day
    real = (month >= 1) & (month <= 12) & (day >= 1) & (day <= last_day)
    ok = (
        real
        & (year >= EARLIEST_YEAR)
        & (ordinal <= today.year * 10_000 + today.month * 100 + today.day)
    )
    swaps = (day != month) & (day <= 12)
    accepted[accepted] = ok
    for i, swap in zip(np.flatnonzero(accepted), swaps[ok], strict=True):
        text = col.values[i]
        year_, month_, day_ = text[:4], text[5:7], text[8:]
        swapped = f"{year_}-{day_}-{month_}" if swap else None
        results[i] = DobParts(text, year_, month_, day_, swapped)
    return results, accepted


def _digit_matrix(values: pa.StringArray, width: int) -> npt.NDArray[np.int64]:
    """Rows of digits of ASCII-digit strings that are all exactly ``width`` long."""
    offsets = np.frombuffer(values.buffers()[1], dtype=np.int32)
    start = int(offsets[values.offset])
    data = np.frombuffer(values.buffers()[2], dtype=np.uint8)[start : start + len(values) * width]
    return data.reshape(-1, width).astype(np.int64) - ord("0")
