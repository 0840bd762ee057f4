"""Synthetic London borough extracts with known truth, for the linkage demo, tests and benchmarks.

Start with ``population(n, seed)`` (true people, see ``synthetic_people``), then
``extracts(population, boroughs, overlap=.., errors=ErrorRates(..), seed=..)`` gives each borough
of a collaboration its records of the people known to it. A share of people (``overlap``) moved
between boroughs, so they are known to two or more: the earlier borough holds the old postcode
and UPRN, the later one the current. Every record may carry realistic errors (see
``synthetic_errors``). The true person id stays in a separate truth table, so a file handed to
the encoder can leave it out; ``truth_pairs`` lists the cross-borough record pairs a perfect
linkage would find, for precision and recall.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Literal

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from interborough.linkage import synthetic_errors as errs
from interborough.linkage.synthetic_data import SyntheticDataError, borough
from interborough.linkage.synthetic_errors import ErrorRates
from interborough.linkage.synthetic_people import (
    Population,
    borough_codes,
    population,
    postcodes,
    uprns,
)

__all__ = [
    "BoroughExtract",
    "ErrorRates",
    "Population",
    "SyntheticDataError",
    "extracts",
    "population",
    "truth_pairs",
    "write_collaboration",
    "write_extract",
]

# Of the people who moved, the share known to three boroughs rather than two.
THIRD_BOROUGH_SHARE = 0.2
TruePair = tuple[str, int, str, int]


@dataclass(frozen=True)
class BoroughExtract:
    """One borough's records (no truth in them) and the truth: record id to true person id."""

    gss_code: str
    name: str
    records: pa.Table
    truth: pa.Table


@dataclass(frozen=True)
class _Records:
    """Records of all boroughs before errors: who, where, and the address held there."""

    person: npt.NDArray[np.int64]
    place: npt.NDArray[np.int64]
    postcode: npt.NDArray[np.object_]
    uprn: npt.NDArray[np.int64]

    def take(self, rows: npt.NDArray[np.int64]) -> _Records:
        return _Records(self.person[rows], self.place[rows], self.postcode[rows], self.uprn[rows])

    @staticmethod
    def join(parts: Sequence[_Records]) -> _Records:
        return _Records(
            np.concatenate([part.person for part in parts]),
            np.concatenate([part.place for part in parts]),
            np.concatenate([part.postcode for part in parts]),
            np.concatenate([part.uprn for part in parts]),
        )


def _other_places(
    excluded: npt.NDArray[np.int64], count: int, rng: np.random.Generator
) -> npt.NDArray[np.int64]:
    """For each row, a random place in range(count) that is none of the row's excluded places."""
    excluded = np.sort(excluded, axis=1)
    place = rng.integers(count - excluded.shape[1], size=excluded.shape[0])
    for column in range(excluded.shape[1]):
        place = place + (place >= excluded[:, column])
    return place


def _earlier_records(
    codes: npt.NDArray[np.str_], home: _Records, overlap: float, rng: np.random.Generator
) -> list[_Records]:
    """Records that boroughs hold from before a person moved to their current borough."""
    movers = np.flatnonzero(rng.random(home.person.shape[0]) < overlap)
    first = _other_places(home.place[movers, None], codes.shape[0], rng)
    places = [first]
    people = [home.person[movers]]
    if codes.shape[0] >= 3:
        third = np.flatnonzero(rng.random(movers.shape[0]) < THIRD_BOROUGH_SHARE)
        excluded = np.stack([home.place[movers[third]], first[third]], axis=1)
        places.append(_other_places(excluded, codes.shape[0], rng))
        people.append(home.person[movers[third]])
    return [
        _Records(person, place, postcodes(codes[place], rng), uprns(place.shape[0], rng))
        for person, place in zip(people, places, strict=True)
    ]


def _check_arguments(overlap: float, codes: list[str]) -> None:
    if not 0.0 <= overlap <= 1.0:
        raise SyntheticDataError(f"overlap must be between 0 and 1, not {overlap!r}.")
    if overlap > 0 and len(codes) < 2:
        raise SyntheticDataError("An overlap needs at least two boroughs; give more or overlap=0.")


def _records_table(
    people: Population, records: _Records, errors: ErrorRates, seed: int
) -> pa.Table:
    """All boroughs' records with errors added, in the order of records; no record ids yet."""
    rng = np.random.default_rng([seed, 1])
    forename = errs.add_nicknames(people.forename[records.person], errors.nickname, rng)
    forename = errs.add_formatting(
        errs.add_typos(forename, errors.typo, rng), errors.formatting, rng
    )
    surname = errs.add_typos(people.surname[records.person], errors.typo, rng)
    dob = errs.swap_day_month(people.dob[records.person], errors.dob_swap, rng)
    nhs_number = errs.blank(people.nhs_number[records.person], errors.missing_nhs_number, rng)
    text = {
        "forename": forename,
        "surname": errs.add_formatting(surname, errors.formatting, rng),
        "dob": np.datetime_as_string(dob, unit="D").astype(object),
        "sex": people.sex[records.person].astype(object),
        "postcode": errs.blank(records.postcode, errors.missing_postcode, rng),
        "nhs_number": nhs_number,
    }
    columns = {name: pa.array(values, pa.string()) for name, values in text.items()}
    return pa.table({**columns, "uprn": pa.array(records.uprn)})


def extracts(
    people: Population,
    boroughs: Sequence[str],
    *,
    overlap: float = 0.1,
    errors: ErrorRates | None = None,
    seed: int = 0,
) -> list[BoroughExtract]:
    """Each borough's records of the people living in the collaboration's boroughs.

    overlap is the share of those people who moved from other boroughs of the collaboration and
    so are known to two (or, for a fifth of them, three) boroughs.
    """
    codes = borough_codes(boroughs)
    _check_arguments(overlap, codes)
    errors = ErrorRates() if errors is None else errors
    rng = np.random.default_rng([seed, 0])
    living_here = np.flatnonzero(np.isin(people.borough, codes))
    if living_here.shape[0] == 0 and len(people) > 0:
        raise SyntheticDataError(
            "No one in the population lives in these boroughs; make the population with "
            "population(n, seed, boroughs=...) for the same boroughs."
        )
    code_array = np.array(codes)
    place = np.searchsorted(np.sort(code_array), people.borough[living_here])
    place = np.argsort(code_array)[place]
    home = _Records(living_here, place, people.postcode[living_here], people.uprn[living_here])
    records = _Records.join([home, *_earlier_records(code_array, home, overlap, rng)])
    duplicated = np.flatnonzero(rng.random(records.person.shape[0]) < errors.duplicate)
    records = _Records.join([records, records.take(duplicated)])
    table = _records_table(people, records, errors, seed)
    true_person_id = pa.array(people.person_id[records.person])
    extracts_made = []
    for index, code in enumerate(codes):
        rows = pa.array(rng.permutation(np.flatnonzero(records.place == index)))
        record_id = pa.array(np.arange(1, len(rows) + 1, dtype=np.int64))
        borough_records = table.take(rows).add_column(0, "record_id", record_id)
        truth = pa.table({"record_id": record_id, "true_person_id": true_person_id.take(rows)})
        extracts_made.append(BoroughExtract(code, borough(code).name, borough_records, truth))
    return extracts_made


def truth_pairs(
    borough_extracts: Sequence[BoroughExtract], *, within_boroughs: bool = False
) -> set[TruePair]:
    """Every pair of records in different boroughs that belong to the same true person.

    Each pair is (gss_code_a, record_id_a, gss_code_b, record_id_b) with a before b. With
    within_boroughs, duplicate pairs inside one borough are included too (for deduplication).
    """
    by_person: dict[int, list[tuple[str, int]]] = {}
    for extract in borough_extracts:
        person = extract.truth.column("true_person_id").to_numpy()
        record = extract.truth.column("record_id").to_numpy()
        for person_id, record_id in zip(person.tolist(), record.tolist(), strict=True):
            by_person.setdefault(person_id, []).append((extract.gss_code, record_id))
    pairs: set[TruePair] = set()
    for held in by_person.values():
        for first, second in combinations(sorted(held), 2):
            if within_boroughs or first[0] != second[0]:
                pairs.add((first[0], first[1], second[0], second[1]))
    return pairs


def write_extract(
    extract: BoroughExtract,
    directory: Path,
    *,
    file_format: Literal["csv", "parquet"] = "csv",
    with_truth: bool = True,
) -> list[Path]:
    """Write a borough's records (and, unless told not to, its truth) as <gss_code>.<format>."""
    if file_format not in ("csv", "parquet"):
        raise SyntheticDataError(f'file_format must be "csv" or "parquet", not {file_format!r}.')
    directory.mkdir(parents=True, exist_ok=True)
    tables = {extract.gss_code: extract.records}
    if with_truth:
        tables[f"{extract.gss_code}_truth"] = extract.truth
    written = []
    for stem, table in tables.items():
        path = directory / f"{stem}.{file_format}"
        if file_format == "csv":
            pa_csv.write_csv(table, path)
        else:
            pq.write_table(table, path)
        written.append(path)
    return written


def write_collaboration(
    directory: Path,
    n: int,
    boroughs: Sequence[str],
    *,
    seed: int = 0,
    overlap: float = 0.1,
    errors: ErrorRates | None = None,
    file_format: Literal["csv", "parquet"] = "csv",
) -> list[Path]:
    """Make n people in the boroughs and write every borough's extract and truth to directory."""
    people = population(n, seed, boroughs=boroughs)
    made = extracts(people, boroughs, overlap=overlap, errors=errors, seed=seed)
    return [
        path for item in made for path in write_extract(item, directory, file_format=file_format)
    ]
