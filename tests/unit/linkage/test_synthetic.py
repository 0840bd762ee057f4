"""Tests for the synthetic London population and borough extracts with known truth."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from pathlib import Path

import numpy as np
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interborough.linkage.synthetic import (
    ErrorRates,
    SyntheticDataError,
    extracts,
    population,
    truth_pairs,
    write_collaboration,
    write_extract,
)
from interborough.linkage.synthetic_data import UnknownBoroughError, borough, boroughs, nicknames
from interborough.linkage.synthetic_errors import reformat, strip_diacritics, typo

POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][ABD-HJLNP-UW-Z]{2}$")
SIX = ["Camden", "Hackney", "Islington", "Southwark", "Lambeth", "Newham"]


def nhs_valid(number: str) -> bool:
    digits = [int(char) for char in number]
    check = 11 - sum(d * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True)) % 11
    return len(number) == 10 and check != 10 and (check % 11) == digits[9]


@pytest.fixture(scope="module")
def six_people():
    return population(20_000, 7, boroughs=SIX)


def _only(**rates: float) -> ErrorRates:
    return replace(ErrorRates.none(), **rates)


def test_boroughs_reference_table_has_all_33_gss_codes():
    codes = [item.gss_code for item in boroughs()]
    assert codes == [f"E090000{number:02d}" for number in range(1, 34)]
    assert borough("camden").districts[:3] == ("NW1", "NW3", "NW5")
    assert borough("E09000033").name == "Westminster"


def test_population_is_deterministic_for_a_seed():
    first, second = population(2_000, 5).to_table(), population(2_000, 5).to_table()
    assert first.equals(second)
    assert not first.equals(population(2_000, 6).to_table())


def test_population_size_and_unique_ids():
    people = population(3_000, 1)
    assert len(people) == 3_000
    assert people.to_table().num_rows == 3_000
    assert np.unique(people.person_id).shape[0] == 3_000


def test_population_postcodes_are_valid_and_in_the_home_borough():
    people = population(5_000, 2)
    for code, postcode in zip(people.borough, people.postcode, strict=True):
        assert POSTCODE.match(postcode), postcode
        assert postcode.split(" ")[0] in borough(str(code)).districts


def test_population_nhs_numbers_pass_the_check_digit():
    people = population(5_000, 3, nhs_number_share=0.9)
    present = [number for number in people.nhs_number if number is not None]
    assert 0.88 < len(present) / 5_000 < 0.92
    assert all(nhs_valid(number) for number in present)


def test_population_ages_and_sexes_are_realistic():
    people = population(20_000, 4)
    ages = (np.datetime64("2026-01-01") - people.dob).astype(int) / 365.25
    assert ages.min() >= 0 and ages.max() < 100
    assert 33 < np.median(ages) < 40
    assert 0.48 < np.mean(people.sex == "F") < 0.52
    names = Counter(people.forename[people.sex == "M"])
    assert names["James"] > names["Kwabena"]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: population(-1), "whole number"),
        (lambda: population(10, boroughs=["Gotham"]), "not a London borough"),
        (lambda: population(10, boroughs=["Camden", "E09000007"]), "only once"),
        (lambda: population(10, nhs_number_share=1.5), "nhs_number_share"),
        (lambda: extracts(population(10), SIX, overlap=1.2), "overlap"),
        (lambda: extracts(population(10), ["Camden"], overlap=0.1), "at least two"),
        (lambda: extracts(population(10), ["Narnia", "Camden"]), "not a London borough"),
        (lambda: ErrorRates(typo=-0.1), "typo"),
    ],
)
def test_bad_arguments_raise_clear_errors(call, message):
    with pytest.raises(SyntheticDataError, match=message):
        call()


def test_unknown_borough_is_a_value_error():
    with pytest.raises(ValueError, match="Atlantis"):
        borough("Atlantis")
    assert issubclass(UnknownBoroughError, ValueError)


def test_extracts_are_deterministic(six_people):
    first = extracts(six_people, SIX, seed=3)
    second = extracts(six_people, SIX, seed=3)
    for a, b in zip(first, second, strict=True):
        assert a.records.equals(b.records) and a.truth.equals(b.truth)


def test_extracts_sizes_and_overlap_match_configuration(six_people):
    result = extracts(six_people, SIX, overlap=0.2, errors=ErrorRates.none(), seed=1)
    assert [item.name for item in result] == SIX
    boroughs_per_person = Counter()
    for item in result:
        people = set(item.truth.column("true_person_id").to_pylist())
        assert len(people) == item.records.num_rows  # no duplicates without errors
        boroughs_per_person.update(people)
    assert len(boroughs_per_person) == 20_000
    shared = sum(count >= 2 for count in boroughs_per_person.values()) / 20_000
    assert abs(shared - 0.2) < 0.015
    assert sum(count == 3 for count in boroughs_per_person.values()) > 0


def test_extract_columns_and_unique_record_ids(six_people):
    for item in extracts(six_people, SIX, seed=2):
        assert item.records.column_names == [
            "record_id",
            "forename",
            "surname",
            "dob",
            "sex",
            "postcode",
            "nhs_number",
            "uprn",
        ]
        assert "true_person_id" not in item.records.column_names
        ids = item.records.column("record_id").to_numpy()
        assert np.unique(ids).shape[0] == ids.shape[0]
        assert item.truth.column("record_id").to_pylist() == ids.tolist()


def test_movers_have_a_postcode_of_each_borough_they_are_known_to(six_people):
    for item in extracts(six_people, SIX, overlap=0.3, errors=ErrorRates.none(), seed=4):
        districts = set(borough(item.gss_code).districts)
        for postcode in item.records.column("postcode").to_pylist():
            assert POSTCODE.match(postcode) and postcode.split(" ")[0] in districts


def test_no_errors_means_records_equal_the_truth(six_people):
    table = six_people.to_table().to_pylist()
    for item in extracts(six_people, SIX[:2], overlap=0.0, errors=ErrorRates.none(), seed=5):
        truth = item.truth.column("true_person_id").to_pylist()
        for record, person_id in zip(item.records.to_pylist(), truth, strict=True):
            person = table[person_id - 1]
            for field in ("forename", "surname", "dob", "sex", "postcode", "nhs_number", "uprn"):
                assert record[field] == person[field]


def _changed_share(people, rates: ErrorRates, field: str, eligible=None) -> float:
    table = people.to_table().to_pylist()
    changed = total = 0
    for item in extracts(people, SIX, overlap=0.0, errors=rates, seed=9):
        truth = item.truth.column("true_person_id").to_pylist()
        for value, person_id in zip(item.records.column(field).to_pylist(), truth, strict=True):
            original = table[person_id - 1][field]
            if eligible is None or eligible(original):
                total += 1
                changed += value != original
    return changed / total


@pytest.mark.parametrize(
    ("rates", "field", "expected"),
    [
        (_only(typo=0.1), "surname", 0.1),
        (_only(formatting=0.1), "forename", 0.1),
        (_only(missing_postcode=0.05), "postcode", 0.05),
    ],
)
def test_error_rates_are_close_to_configured(six_people, rates, field, expected):
    assert abs(_changed_share(six_people, rates, field) - expected) < 0.012


def test_nickname_rate_applies_to_forenames_with_nicknames(six_people):
    table = nicknames()
    share = _changed_share(six_people, _only(nickname=0.3), "forename", lambda name: name in table)
    assert abs(share - 0.3) < 0.03


def test_missing_nhs_rate_applies_to_people_with_a_number(six_people):
    share = _changed_share(
        six_people, _only(missing_nhs_number=0.2), "nhs_number", lambda n: n is not None
    )
    assert abs(share - 0.2) < 0.02


def test_dob_swap_swaps_only_valid_dates(six_people):
    def swappable(iso: str) -> bool:
        _, month, day = iso.split("-")
        return int(day) <= 12 and day != month

    assert abs(_changed_share(six_people, _only(dob_swap=0.5), "dob", swappable) - 0.5) < 0.03
    assert _changed_share(six_people, _only(dob_swap=1.0), "dob", lambda d: not swappable(d)) == 0


def test_duplicates_and_truth_pairs_are_consistent(six_people):
    result = extracts(six_people, SIX, overlap=0.1, errors=_only(duplicate=0.1), seed=6)
    records = sum(item.records.num_rows for item in result)
    people = sum(len(set(item.truth.column("true_person_id").to_pylist())) for item in result)
    assert abs((records - people) / people - 0.1) < 0.01
    holders = {}
    for item in result:
        for row in item.truth.to_pylist():
            holders.setdefault(row["true_person_id"], []).append((item.gss_code, row["record_id"]))
    expected = sum(
        sum(1 for i, a in enumerate(held) for b in held[i + 1 :] if a[0] != b[0])
        for held in holders.values()
    )
    pairs = truth_pairs(result)
    assert len(pairs) == expected > 0
    within = truth_pairs(result, within_boroughs=True) - pairs
    assert within and all(pair[0] == pair[2] for pair in within)
    for gss_a, record_a, gss_b, record_b in list(pairs)[:200]:
        assert gss_a < gss_b or (gss_a == gss_b and record_a < record_b)
        assert gss_a != gss_b


def test_write_extract_csv_and_parquet_round_trip(tmp_path: Path):
    people = population(500, 8, boroughs=SIX[:2])
    item = extracts(people, SIX[:2], seed=1)[0]
    csv_paths = write_extract(item, tmp_path / "csv")
    assert [path.name for path in csv_paths] == ["E09000007.csv", "E09000007_truth.csv"]
    assert pa_csv.read_csv(csv_paths[0]).num_rows == item.records.num_rows
    parquet = write_extract(item, tmp_path / "pq", file_format="parquet", with_truth=False)
    assert len(parquet) == 1 and pq.read_table(parquet[0]).equals(item.records)
    with pytest.raises(SyntheticDataError, match="file_format"):
        write_extract(item, tmp_path, file_format="xlsx")  # type: ignore[arg-type]


def test_write_collaboration_writes_each_borough_and_its_truth(tmp_path: Path):
    paths = write_collaboration(tmp_path, 300, SIX[:3], seed=2, file_format="parquet")
    assert sorted(path.name for path in paths) == [
        "E09000007.parquet",
        "E09000007_truth.parquet",
        "E09000012.parquet",
        "E09000012_truth.parquet",
        "E09000019.parquet",
        "E09000019_truth.parquet",
    ]
    assert sum(pq.read_table(path).num_rows for path in paths if "truth" in path.name) >= 300


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzÉé", min_size=1, max_size=12), st.integers())
def test_typo_changes_a_name_by_one_edit(name, seed):
    changed = typo(name, np.random.default_rng(abs(seed)))
    assert changed != name
    assert abs(len(changed) - len(name)) <= 1


@pytest.mark.parametrize(
    ("value", "variant", "expected"),
    [("Zoë", 3, "Zoe"), ("Anna", 0, "ANNA"), ("Anna", 1, "anna"), ("Anna", 2, " Anna  ")],
)
def test_reformat_varies_case_space_and_diacritics(value, variant, expected):
    assert reformat(value, variant) == expected
    assert strip_diacritics("Małgorzata Wójcik") == "Malgorzata Wojcik"
