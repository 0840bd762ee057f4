"""The true people behind the synthetic borough extracts (see ``linkage.synthetic``).

``population`` makes people with names by frequency, a London age spread, a home borough and a
valid postcode in one of its districts, NHS numbers with a correct check digit, and UPRN-like
numbers. Vectorised with numpy, so a million people take seconds; deterministic for a seed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from interborough.linkage.synthetic_data import (
    SyntheticDataError,
    borough,
    boroughs,
    forenames,
    surnames,
)

# London's age spread by five-year band, 0-4 to 85-89, then 90-99 (percent, about census 2021).
AGE_BAND_SHARES = np.array(
    [6.5, 6.2, 6.0, 5.5, 6.5, 8.5, 9.3, 8.5, 7.5, 6.8, 6.3, 5.6, 4.5, 3.5, 3.0, 2.2, 1.5, 0.9, 0.4]
)
AGE_BAND_YEARS = np.array([5] * 18 + [10])
AS_OF = np.datetime64("2026-01-01")
# Inward-code letters: the Royal Mail never uses C, I, K, M, O or V there.
UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
UNITS = np.array([a + b for a in UNIT_LETTERS for b in UNIT_LETTERS])
NHS_WEIGHTS = np.arange(10, 1, -1)


@dataclass(frozen=True)
class Population:
    """True people, one array per attribute, aligned by position."""

    person_id: npt.NDArray[np.int64]
    forename: npt.NDArray[np.object_]
    surname: npt.NDArray[np.object_]
    sex: npt.NDArray[np.str_]
    dob: npt.NDArray[np.datetime64]
    borough: npt.NDArray[np.str_]
    postcode: npt.NDArray[np.object_]
    nhs_number: npt.NDArray[np.object_]
    uprn: npt.NDArray[np.int64]

    def __len__(self) -> int:
        return int(self.person_id.shape[0])

    def to_table(self) -> pa.Table:
        """The population as a pyarrow Table (dob as ISO text, missing NHS numbers null)."""
        return pa.table(
            {
                "person_id": self.person_id,
                "forename": pa.array(self.forename, pa.string()),
                "surname": pa.array(self.surname, pa.string()),
                "sex": self.sex,
                "dob": np.datetime_as_string(self.dob, unit="D"),
                "borough": self.borough,
                "postcode": pa.array(self.postcode, pa.string()),
                "nhs_number": pa.array(self.nhs_number, pa.string()),
                "uprn": self.uprn,
            }
        )


def borough_codes(keys: Sequence[str] | None) -> list[str]:
    """GSS codes for borough codes or names, all 33 when keys is None; refuses repeats."""
    if keys is None:
        return [item.gss_code for item in boroughs()]
    if isinstance(keys, str):
        raise SyntheticDataError("Give boroughs as a list of codes or names, not one string.")
    codes = [borough(key).gss_code for key in keys]
    if not codes:
        raise SyntheticDataError("Give at least one borough.")
    if len(set(codes)) != len(codes):
        raise SyntheticDataError(f"Each borough may appear only once, got {list(keys)!r}.")
    return codes


def postcodes(codes: npt.NDArray[np.str_], rng: np.random.Generator) -> npt.NDArray[np.object_]:
    """A valid-format postcode in one of each borough's districts, e.g. "NW1 2AB"."""
    districts = np.empty(codes.shape[0], dtype="U4")
    for code in np.unique(codes):
        rows = np.flatnonzero(codes == code)
        choices = np.array(borough(str(code)).districts)
        districts[rows] = choices[rng.integers(len(choices), size=rows.shape[0])]
    sectors = rng.integers(10, size=codes.shape[0]).astype("U1")
    units = UNITS[rng.integers(UNITS.shape[0], size=codes.shape[0])]
    outward = np.strings.add(districts, " ")
    return np.strings.add(np.strings.add(outward, sectors), units).astype(object)


def nhs_check_digit(digits: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Modulus-11 check digit for rows of nine digits; 10 means the number is not valid."""
    check = 11 - (digits @ NHS_WEIGHTS) % 11
    return np.where(check == 11, 0, check)


def nhs_numbers(n: int, rng: np.random.Generator) -> npt.NDArray[np.str_]:
    """n ten-digit NHS numbers (starting 4, 6 or 7 as in England) with valid check digits."""
    digits = np.empty((n, 9), dtype=np.int64)
    todo = np.arange(n)
    while todo.shape[0]:
        digits[todo] = rng.integers(10, size=(todo.shape[0], 9))
        digits[todo, 0] = np.array([4, 6, 7])[rng.integers(3, size=todo.shape[0])]
        todo = todo[nhs_check_digit(digits[todo]) == 10]
    full = np.concatenate([digits, nhs_check_digit(digits)[:, None]], axis=1)
    return (full @ 10 ** np.arange(9, -1, -1, dtype=np.int64)).astype("U10")


def dates_of_birth(n: int, rng: np.random.Generator) -> npt.NDArray[np.datetime64]:
    """Dates of birth following London's age spread, as at 1 January 2026."""
    band = rng.choice(AGE_BAND_SHARES.shape[0], size=n, p=AGE_BAND_SHARES / AGE_BAND_SHARES.sum())
    start = np.concatenate([[0], np.cumsum(AGE_BAND_YEARS)[:-1]])[band]
    age_days = ((start + rng.random(n) * AGE_BAND_YEARS[band]) * 365.25).astype(np.int64)
    return AS_OF - age_days - 1


def _names(sex: npt.NDArray[np.str_], rng: np.random.Generator) -> npt.NDArray[np.object_]:
    result = np.empty(sex.shape[0], dtype=object)
    for code in ("F", "M"):
        rows = np.flatnonzero(sex == code)
        table = forenames(code)
        picks = rng.choice(table.names.shape[0], size=rows.shape[0], p=table.probabilities)
        result[rows] = table.names[picks]
    return result


def population(
    n: int,
    seed: int = 0,
    *,
    boroughs: Sequence[str] | None = None,
    nhs_number_share: float = 0.95,
) -> Population:
    """n true London people living in the given boroughs (all 33 by default)."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise SyntheticDataError(f"The number of people must be a whole number ≥ 0, not {n!r}.")
    if not 0.0 <= nhs_number_share <= 1.0:
        raise SyntheticDataError(
            f"nhs_number_share must be between 0 and 1, not {nhs_number_share!r}."
        )
    codes = borough_codes(boroughs)
    rng = np.random.default_rng(seed)
    sizes = np.array([borough(code).population_thousands for code in codes], dtype=np.float64)
    home = np.array(codes)[rng.choice(len(codes), size=n, p=sizes / sizes.sum())]
    sex = np.array(["F", "M"])[rng.integers(2, size=n)]
    table = surnames()
    nhs = nhs_numbers(n, rng).astype(object)
    nhs[rng.random(n) >= nhs_number_share] = None
    return Population(
        person_id=np.arange(1, n + 1, dtype=np.int64),
        forename=_names(sex, rng),
        surname=table.names[rng.choice(table.names.shape[0], size=n, p=table.probabilities)],
        sex=sex,
        dob=dates_of_birth(n, rng),
        borough=home,
        postcode=postcodes(home, rng),
        nhs_number=nhs,
        uprn=uprns(n, rng),
    )


def uprns(n: int, rng: np.random.Generator) -> npt.NDArray[np.int64]:
    """UPRN-like twelve-digit property numbers."""
    return rng.integers(100_000_000_000, 200_000_000_000, size=n, dtype=np.int64)
