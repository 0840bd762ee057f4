"""Tests of the hub-side linkage: accuracy against synthetic truth, refusals, person ids."""

from __future__ import annotations

import re
from itertools import combinations

import duckdb
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interborough.linkage import synthetic
from interborough.linkage.encoding.bloom import dice
from interborough.linkage.encoding.keys import keygen
from interborough.linkage.encoding.records import ColumnMapping, Encoder
from interborough.linkage.linking import LinkageInputError, LinkResult, link
from interborough.linkage.linking_model import dice_sql

BOROUGHS = ["E09000012", "E09000025", "E09000030"]
MAPPING = ColumnMapping(
    forename="forename", surname="surname", dob="dob", sex="sex", postcode="postcode",
    nhs_number="nhs_number", record_id="record_id",
)  # fmt: skip
PERSON_ID = re.compile(r"^p_[0-9a-f]{24}$")


@pytest.fixture(scope="module")
def collaboration() -> tuple[dict[str, pa.Table], list[synthetic.BoroughExtract]]:
    people = synthetic.population(3000, 7, boroughs=BOROUGHS)
    made = synthetic.extracts(people, BOROUGHS, seed=7)
    encoder = Encoder(keygen(), "DSA-2026-0006")
    return {e.gss_code: encoder.encode(e.records, MAPPING).table for e in made}, made


@pytest.fixture(scope="module")
def result(collaboration: tuple[dict[str, pa.Table], list[synthetic.BoroughExtract]]) -> LinkResult:
    return link(collaboration[0])


def _found_pairs(person_ids: pa.Table) -> set[tuple[str, int, str, int]]:
    groups: dict[str, list[tuple[str, int]]] = {}
    columns = (person_ids[c].to_pylist() for c in ("party", "record_id", "person_id"))
    for party, record_id, person in zip(*columns, strict=True):
        groups.setdefault(person, []).append((party, int(record_id)))
    return {
        (a[0], a[1], b[0], b[1])
        for held in groups.values()
        for a, b in combinations(sorted(held), 2)
        if a[0] != b[0]
    }


def _partition(person_ids: pa.Table) -> set[frozenset[tuple[str, str]]]:
    groups: dict[str, set[tuple[str, str]]] = {}
    columns = (person_ids[c].to_pylist() for c in ("party", "record_id", "person_id"))
    for party, record_id, person in zip(*columns, strict=True):
        groups.setdefault(person, set()).add((party, record_id))
    return {frozenset(g) for g in groups.values()}


def test_link_cross_borough_precision_and_recall(collaboration, result) -> None:
    truth = synthetic.truth_pairs(collaboration[1])
    found = _found_pairs(result.person_ids)
    true_positives = len(found & truth)
    assert len(truth) > 300
    assert true_positives / len(found) >= 0.95
    assert true_positives / len(truth) >= 0.95


def test_link_gives_every_record_one_person_id(collaboration, result) -> None:
    parties = collaboration[0]
    ids = result.person_ids
    assert ids.column_names == ["party", "record_id", "person_id"]
    assert ids.num_rows == sum(t.num_rows for t in parties.values())
    keys = set(zip(ids["party"].to_pylist(), ids["record_id"].to_pylist(), strict=True))
    expected = {(p, r) for p, t in parties.items() for r in t["record_id"].to_pylist()}
    assert keys == expected


def test_link_person_ids_are_random_and_hold_no_identifier(collaboration, result) -> None:
    ids = set(result.person_ids["person_id"].to_pylist())
    assert all(PERSON_ID.match(i) for i in ids)
    encoded_values = {
        str(v) for t in collaboration[0].values() for c in t.column_names for v in t[c].to_pylist()
    }
    assert ids.isdisjoint(encoded_values)
    again = link(collaboration[0])
    # Same people in a second run, but fresh ids: nothing about a person fixes the id.
    assert _partition(again.person_ids) == _partition(result.person_ids)
    assert ids.isdisjoint(again.person_ids["person_id"].to_pylist())


def test_link_diagnostics_are_consistent_counts(collaboration, result) -> None:
    diagnostics = result.diagnostics
    parties = collaboration[0]
    assert diagnostics.records_by_party == {p: t.num_rows for p, t in parties.items()}
    sizes = diagnostics.cluster_sizes
    assert sum(size * count for size, count in sizes.items()) == result.person_ids.num_rows
    assert sum(sizes.values()) == diagnostics.people
    assert sum(diagnostics.match_weight_histogram.values()) == diagnostics.pairs_scored
    assert set(diagnostics.overlap_by_party_pair) <= set(combinations(sorted(parties), 2))
    assert diagnostics.people_in_two_or_more_parties <= sum(
        diagnostics.overlap_by_party_pair.values()
    )
    assert 0.95 <= diagnostics.estimated_precision <= 1.0
    assert 0.9 <= diagnostics.estimated_recall <= 1.0
    text = repr(diagnostics)
    assert not any(person in text for person in result.person_ids["person_id"].to_pylist())
    assert "fp1:" not in text


def test_link_refuses_files_encoded_with_another_key(collaboration) -> None:
    made = collaboration[1]
    other = Encoder(keygen(), "DSA-2026-0006").encode(made[1].records, MAPPING).table
    parties = {made[0].gss_code: collaboration[0][made[0].gss_code], made[1].gss_code: other}
    with pytest.raises(LinkageInputError, match="different keys"):
        link(parties)


def test_link_refuses_a_file_without_the_encoder_columns(collaboration) -> None:
    first, second = list(collaboration[0].items())[:2]
    damaged = second[1].drop_columns(["bf_surname", "tk_dob"])
    with pytest.raises(LinkageInputError, match="bf_surname, tk_dob"):
        link({first[0]: first[1], second[0]: damaged})


def test_link_refuses_a_file_without_a_fingerprint(collaboration) -> None:
    first, second = list(collaboration[0].items())[:2]
    stripped = second[1].replace_schema_metadata(None)
    with pytest.raises(LinkageInputError, match="no key fingerprint"):
        link({first[0]: first[1], second[0]: stripped})


def test_link_refuses_repeated_record_ids(collaboration) -> None:
    first, second = list(collaboration[0].items())[:2]
    repeated = pa.concat_tables([second[1], second[1].slice(0, 1)])
    with pytest.raises(LinkageInputError, match="repeated record ids"):
        link({first[0]: first[1], second[0]: repeated})


def test_link_refuses_other_bloom_settings(collaboration) -> None:
    first, second = list(collaboration[0].items())[:2]
    metadata = dict(second[1].schema.metadata)
    metadata[b"interborough.bloom"] = b'{"name": {"m": 512, "k": 10}}'
    changed = second[1].replace_schema_metadata(metadata)
    with pytest.raises(LinkageInputError, match="Bloom filter settings"):
        link({first[0]: first[1], second[0]: changed})


def test_link_refuses_one_party_empty_files_and_bad_thresholds(collaboration) -> None:
    first, second = list(collaboration[0].items())[:2]
    with pytest.raises(LinkageInputError, match="at least two parties"):
        link({first[0]: first[1]})
    with pytest.raises(LinkageInputError, match="no records"):
        link({first[0]: first[1], second[0]: second[1].slice(0, 0)})
    with pytest.raises(LinkageInputError, match="between 0 and 1"):
        link(dict([first, second]), threshold_probability=1.0)


@settings(max_examples=40, deadline=None)
@given(st.binary(min_size=16, max_size=16), st.binary(min_size=16, max_size=16))
def test_dice_sql_matches_the_encoder_dice(a: bytes, b: bytes) -> None:
    sql = dice_sql("bf").replace("_bits_l", "_l").replace("_bits_r", "_r")
    sql = sql.replace("bf_n_l", "bit_count(bf_l)").replace("bf_n_r", "bit_count(bf_r)")
    row = duckdb.sql(
        f"SELECT {sql} FROM (SELECT $a::BLOB::BIT AS bf_l, $b::BLOB::BIT AS bf_r)",  # noqa: S608
        params={"a": a, "b": b},
    ).fetchall()[0]
    assert row is not None
    if not any(a) and not any(b):
        assert row[0] is None  # no bits set on either side: Dice is undefined, not a match
    else:
        assert row[0] == pytest.approx(dice(a, b))
