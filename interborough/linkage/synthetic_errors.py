"""Realistic recording errors for synthetic borough extracts, each at a configurable rate.

Real borough systems hold typos, nicknames, swapped day and month, blanks, odd case and spacing,
and duplicate records of one person. Linkage is only tested honestly against data with those
faults, so the generator adds them here. Draws are vectorised with numpy; only the few rows that
get an error are touched one by one, which keeps a million rows fast.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, fields

import numpy as np
import numpy.typing as npt

from interborough.linkage.synthetic_data import SyntheticDataError, nicknames

ObjectArray = npt.NDArray[np.object_]
LETTERS = "abcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True)
class ErrorRates:
    """How often each kind of error appears; every rate is a probability from 0 to 1.

    typo and formatting apply to forename and surname separately. nickname applies to records
    whose forename has a known nickname, dob_swap to dates whose day is 12 or less and differs
    from the month, missing_nhs_number to records that have an NHS number. duplicate is the
    share of records that get a second record of the same person in the same borough.
    """

    typo: float = 0.02
    nickname: float = 0.05
    dob_swap: float = 0.02
    missing_postcode: float = 0.03
    missing_nhs_number: float = 0.1
    formatting: float = 0.05
    duplicate: float = 0.02

    def __post_init__(self) -> None:
        for field in fields(self):
            value = getattr(self, field.name)
            if not 0.0 <= value <= 1.0:
                raise SyntheticDataError(
                    f"Error rate {field.name} must be between 0 and 1, not {value!r}."
                )

    @classmethod
    def none(cls) -> ErrorRates:
        """Rates for clean data, with no errors at all."""
        return cls(**{field.name: 0.0 for field in fields(cls)})


def typo(value: str, rng: np.random.Generator) -> str:
    """One character substituted, inserted, deleted or two neighbours transposed."""
    operation = int(rng.integers(4)) if len(value) > 1 else int(rng.integers(2))
    position = int(rng.integers(len(value))) if value else 0
    letter = LETTERS[int(rng.integers(len(LETTERS)))]
    if operation == 1 or not value:
        return value[:position] + letter + value[position:]
    if operation == 2:
        return value[:position] + value[position + 1 :]
    if operation == 3:
        position = min(position, len(value) - 2)
        if value[position] != value[position + 1]:
            return value[:position] + value[position + 1] + value[position] + value[position + 2 :]
    if letter == value[position].lower():
        letter = LETTERS[(LETTERS.index(letter) + 1) % len(LETTERS)]
    return value[:position] + letter + value[position + 1 :]


def strip_diacritics(value: str) -> str:
    """Zoë becomes Zoe, Małgorzata becomes Malgorzata."""
    decomposed = unicodedata.normalize("NFKD", value.replace("ł", "l").replace("Ł", "L"))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def reformat(value: str, variant: int) -> str:
    """Vary case, spacing or diacritics the way different systems do."""
    if variant == 3 and not value.isascii():
        return strip_diacritics(value)
    if variant == 2:
        return f" {value}  "
    if variant == 1 and value.lower() != value:
        return value.lower()
    return value.upper() if value.upper() != value else value.lower()


def _chosen(
    rng: np.random.Generator, rate: float, eligible: npt.NDArray[np.bool_]
) -> npt.NDArray[np.intp]:
    return np.flatnonzero(eligible & (rng.random(eligible.shape[0]) < rate))


def add_typos(values: ObjectArray, rate: float, rng: np.random.Generator) -> ObjectArray:
    """A copy of values with a typo in each value at the given rate."""
    result = values.copy()
    for index in _chosen(rng, rate, np.ones(values.shape[0], dtype=bool)):
        result[index] = typo(str(result[index]), rng)
    return result


def add_formatting(values: ObjectArray, rate: float, rng: np.random.Generator) -> ObjectArray:
    """A copy of values with case, whitespace or diacritic variation at the given rate."""
    result = values.copy()
    chosen = _chosen(rng, rate, np.ones(values.shape[0], dtype=bool))
    variants = np.asarray(rng.integers(4, size=len(chosen)))
    for position, index in enumerate(chosen):
        result[index] = reformat(str(result[index]), int(variants[position]))
    return result


def add_nicknames(values: ObjectArray, rate: float, rng: np.random.Generator) -> ObjectArray:
    """A copy of forenames where those with nicknames use one at the given rate."""
    table = nicknames()
    eligible = np.fromiter((name in table for name in values), dtype=bool, count=values.shape[0])
    result = values.copy()
    for index in _chosen(rng, rate, eligible):
        options = table[str(values[index])]
        result[index] = options[int(rng.integers(len(options)))]
    return result


def date_parts(dob: npt.NDArray[np.datetime64]) -> tuple[npt.NDArray, npt.NDArray, npt.NDArray]:
    """Year (as datetime64[Y]), month (1-12) and day (1-31) of each date."""
    years = dob.astype("datetime64[Y]")
    months = dob.astype("datetime64[M]")
    month = (months - years.astype("datetime64[M]")).astype(np.int64) + 1
    day = (dob - months.astype("datetime64[D]")).astype(np.int64) + 1
    return years, month, day


def swap_day_month(
    dob: npt.NDArray[np.datetime64], rate: float, rng: np.random.Generator
) -> npt.NDArray[np.datetime64]:
    """A copy of dates with day and month swapped at the given rate, where the swap is valid."""
    years, month, day = date_parts(dob)
    chosen = _chosen(rng, rate, (day <= 12) & (day != month))
    result = dob.copy()
    swapped = years[chosen].astype("datetime64[M]") + (day[chosen] - 1)
    result[chosen] = swapped.astype("datetime64[D]") + (month[chosen] - 1)
    return result


def blank(values: ObjectArray, rate: float, rng: np.random.Generator) -> ObjectArray:
    """A copy of values with present values made missing (None) at the given rate."""
    result = values.copy()
    present = np.asarray(values != None, dtype=bool)  # noqa: E711 - elementwise on an array
    result[_chosen(rng, rate, present)] = None
    return result
