"""Reference tables behind the synthetic London population: names, nicknames and boroughs.

The CSVs under ``linkage/data/`` are small, hand-written from general knowledge (common UK
forenames by sex, surnames reflecting London's diversity, and each of London's
33 local authorities with its GSS code and a few real postcode districts); nicknames come from
the encoder's table (interborough/linkage/encoding/data/nicknames.csv). They are loaded once
and cached; nothing here touches the network or a database.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import numpy.typing as npt

from interborough.linkage.encoding.normalise import nicknames as encoder_nicknames

DATA_DIR = Path(__file__).parent / "data"


class SyntheticDataError(ValueError):
    """Bad arguments to the synthetic data generator."""


class UnknownBoroughError(SyntheticDataError):
    """A borough that is not one of London's 33 local authorities."""


@dataclass(frozen=True)
class NameTable:
    """Names with their relative frequencies, normalised to probabilities."""

    names: npt.NDArray[np.object_]
    probabilities: npt.NDArray[np.float64]


@dataclass(frozen=True)
class Borough:
    """One London local authority: GSS code, name, relative size and some postcode districts."""

    gss_code: str
    name: str
    population_thousands: int
    districts: tuple[str, ...]


def _read_rows(filename: str) -> list[dict[str, str]]:
    with (DATA_DIR / filename).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _table(rows: list[dict[str, str]], column: str) -> NameTable:
    names = np.array([row[column] for row in rows], dtype=object)
    weights = np.array([float(row["weight"]) for row in rows])
    return NameTable(names=names, probabilities=weights / weights.sum())


@cache
def forenames(sex: str) -> NameTable:
    """Forenames for sex "F" or "M", weighted by how common they are."""
    if sex not in ("F", "M"):
        raise SyntheticDataError(f'Sex must be "F" or "M", not {sex!r}.')
    return _table([row for row in _read_rows("forenames.csv") if row["sex"] == sex], "forename")


@cache
def surnames() -> NameTable:
    """Surnames weighted by how common they are in London."""
    return _table(_read_rows("surnames.csv"), "surname")


@cache
def nicknames() -> dict[str, tuple[str, ...]]:
    """Forename to its common nicknames, e.g. William to Bill, Will, Billy: the encoder's own
    nickname table read the other way, so the synthetic errors are the ones it knows to undo.
    Names that are also forenames in their own right (Harry, Jack) are not in it."""
    table: dict[str, list[str]] = {}
    for nickname, canonical in encoder_nicknames().items():
        table.setdefault(canonical.title(), []).append(nickname.title())
    return {forename: tuple(sorted(names)) for forename, names in table.items()}


@cache
def boroughs() -> tuple[Borough, ...]:
    """London's 33 local authorities in GSS code order (E09000001 to E09000033)."""
    return tuple(
        Borough(
            gss_code=row["gss_code"],
            name=row["name"],
            population_thousands=int(row["population_thousands"]),
            districts=tuple(row["districts"].split()),
        )
        for row in _read_rows("boroughs.csv")
    )


def borough(key: str) -> Borough:
    """Look a borough up by GSS code or by name (case-insensitive)."""
    wanted = key.strip().casefold()
    for candidate in boroughs():
        if wanted in (candidate.gss_code.casefold(), candidate.name.casefold()):
            return candidate
    raise UnknownBoroughError(
        f"{key!r} is not a London borough; give a GSS code from E09000001 to E09000033 "
        "or a borough name such as 'Camden'."
    )
