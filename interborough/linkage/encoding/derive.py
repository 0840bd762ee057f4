"""ONS-style derived variables used for blocking and partial agreement in linkage.

Linking on whole values alone misses people whose names are misspelt or whose day and month were
swapped at data entry, so, following the ONS linkage methodology, we also compare initials,
3-letter prefixes, phonetic codes (Soundex, Metaphone, NYSIIS), date parts, the day/month-swapped
date and coarser postcode units. Inputs are already normalised (see ``normalise``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import jellyfish


@dataclass(frozen=True)
class NameParts:
    """Derived variables of one normalised name."""

    initial: str
    prefix3: str
    soundex: str
    metaphone: str
    nysiis: str


@dataclass(frozen=True)
class DobParts:
    """Derived variables of one date of birth, as text ready for tokenising."""

    iso: str
    year: str
    month: str
    day: str
    swapped: str | None


@dataclass(frozen=True)
class PostcodeParts:
    """Coarser units of a canonical postcode: "NW1 2AB" -> sector "NW1 2", district "NW1"."""

    sector: str
    district: str


def name_parts(name: str) -> NameParts:
    """Derive initial, prefix and phonetic codes; spaces are ignored ("DE SOUZA" ~ "DESOUZA")."""
    letters = name.replace(" ", "")
    if not letters:
        raise ValueError("name_parts needs a normalised, non-empty name")
    return NameParts(
        initial=letters[0],
        prefix3=letters[:3],
        soundex=jellyfish.soundex(letters),
        metaphone=jellyfish.metaphone(letters).upper(),
        nysiis=jellyfish.nysiis(letters),
    )


def swapped_date(dob: date) -> date | None:
    """The date with day and month exchanged, when that is a different, valid date."""
    if dob.day == dob.month or dob.day > 12:
        return None
    return date(dob.year, dob.day, dob.month)


def dob_parts(dob: date) -> DobParts:
    """Split a date of birth into year, month, day and the swapped date."""
    swapped = swapped_date(dob)
    return DobParts(
        iso=dob.isoformat(),
        year=f"{dob.year:04d}",
        month=f"{dob.month:02d}",
        day=f"{dob.day:02d}",
        swapped=swapped.isoformat() if swapped else None,
    )


def postcode_parts(postcode: str) -> PostcodeParts:
    """Sector and district of a canonical postcode (with its single space)."""
    outward, _, inward = postcode.partition(" ")
    if not outward or len(inward) != 3:
        raise ValueError(f"{postcode!r} is not a canonical postcode such as 'NW1 2AB'")
    return PostcodeParts(sector=f"{outward} {inward[0]}", district=outward)
