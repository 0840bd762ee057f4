"""The pure dataset index: ranking, column-name matches, facets, visibility, sorts, refresh."""

from dataclasses import replace

import numpy as np

from interborough.catalogue.models import DatasetStatus
from interborough.catalogue.search_index import (
    Audience,
    DatasetIndex,
    Filters,
    matched_columns,
    query_column_keys,
)
from interborough.catalogue.search_records import IndexedColumn, IndexedDataset, column_key

ANYONE = Audience(signed_in=False)


def record(pk: int, title: str, description: str = "", **overrides) -> IndexedDataset:
    values = {
        "id": pk,
        "publisher_id": 1,
        "published": True,
        "title": title,
        "description": description,
        "licence": "OGL-UK-3.0",
        "access_level": "open",
        "updated_at": 1_700_000_000.0 + pk,
    }
    values.update(overrides)
    return IndexedDataset(**values)


def columns(*names: str) -> tuple[IndexedColumn, ...]:
    return tuple(IndexedColumn(name) for name in names)


CORPUS = [
    record(1, "Households by LSOA", "Census households", columns=columns("lsoa_code", "count")),
    record(2, "Deprivation scores", "Each LSOA with its code and score"),
    record(3, "Air quality readings", "Nitrogen dioxide", columns=columns("LSOACode", "no2")),
    record(4, "Fire incidents", "Incidents attended by the fire brigade", keywords=("fire",)),
    record(5, "Rough sleeping", "Counts of people sleeping rough", topic_names=("Housing",)),
]


def ids(hits) -> list[int]:
    return hits.ids.tolist()


def test_index_search_ranks_an_exact_column_name_first():
    index = DatasetIndex.build(CORPUS)

    hits = index.search("lsoa_code", audience=ANYONE)

    # 1 has the column; 3's LSOACode is the same name; 2 only has both words in its text.
    assert ids(hits)[:2] == [1, 3] or ids(hits)[:2] == [3, 1]
    assert ids(hits)[2:] == [2]
    assert hits.scores[0] > 1 > hits.scores[2]


def test_index_search_matches_a_column_name_written_as_words():
    index = DatasetIndex.build(CORPUS)

    assert set(ids(index.search("lsoa code", audience=ANYONE))[:2]) == {1, 3}
    assert ids(index.search("no2", audience=ANYONE)) == [3]


def test_index_search_needs_every_word_and_keeps_meaningful_words():
    index = DatasetIndex.build(CORPUS)

    assert ids(index.search("fire", audience=ANYONE)) == [4]  # a scikit-learn stop word
    assert ids(index.search("fire brigade", audience=ANYONE)) == [4]
    assert ids(index.search("fire housing", audience=ANYONE)) == []
    assert ids(index.search("housing", audience=ANYONE)) == [5]  # a topic's name
    assert ids(index.search("zebra", audience=ANYONE)) == []


def test_index_search_without_words_lists_everything_by_update():
    index = DatasetIndex.build(CORPUS)

    assert ids(index.search("", audience=ANYONE)) == [5, 4, 3, 2, 1]
    assert ids(index.search("the data", audience=ANYONE)) == [5, 4, 3, 2, 1]


def test_index_visibility_is_published_or_own_publisher():
    draft = record(6, "Draft trees", published=False, publisher_id=9)
    other = record(7, "Other trees", published=False, publisher_id=8)
    index = DatasetIndex.build([*CORPUS, draft, other, record(8, "Street trees")])

    assert ids(index.search("trees", audience=ANYONE)) == [8]
    assert ids(index.search("trees", audience=Audience(signed_in=True))) == [8]
    member = Audience(signed_in=True, organisation_ids=frozenset({9}))
    assert ids(index.search("trees", audience=member)) == [8, 6]


def test_index_facets_ignore_their_own_filter_only():
    index = DatasetIndex.build(
        [
            record(1, "Trees", publisher_id=1, formats=("csv",), boroughs=("camden",)),
            record(
                2, "Trees", publisher_id=2, formats=("csv", "geojson"), access_level="restricted"
            ),
            record(3, "Trees", publisher_id=2, formats=("parquet",), topics=("environment",)),
        ]
    )

    hits = index.search("trees", audience=ANYONE, filters=Filters(formats=frozenset({"csv"})))

    assert ids(hits) == [2, 1]
    assert hits.facets["format"] == {"csv": 2, "geojson": 1, "parquet": 1}
    assert hits.facets["publisher"] == {1: 1, 2: 1}
    assert hits.facets["access_level"] == {"open": 1, "restricted": 1}
    assert hits.facets["borough"] == {"camden": 1}
    assert hits.facets["topic"] == {}
    both = Filters(formats=frozenset({"csv"}), access_levels=frozenset({"restricted"}))
    assert ids(index.search("", audience=ANYONE, filters=both)) == [2]
    assert ids(index.search("", audience=ANYONE, filters=Filters(publisher_ids={2}))) == [3, 2]


def test_index_sorts_by_title_and_usage():
    index = DatasetIndex.build(
        [record(1, "beta"), record(2, "Alpha"), record(3, "gamma"), record(4, "alpha")]
    )

    assert ids(index.search("", audience=ANYONE, sort="title")) == [4, 2, 1, 3]
    usage = index.aligned({1: 10.0, 3: 30.0, 99: 5.0})
    assert ids(index.search("", audience=ANYONE, sort="used", usage=usage)) == [3, 1, 4, 2]


def test_index_refresh_adds_changes_and_removes_without_a_refit():
    index = DatasetIndex.build([record(i, f"Dataset {i}", "Budget lines") for i in range(1, 40)])
    changed = replace(index.record(5), title="Drone survey", columns=columns("drone_id"))

    refreshed = index.refresh([changed, record(99, "New thing")], removed=[7])

    assert refreshed.changed_since_fit == 3  # not refitted
    assert ids(refreshed.search("drone", audience=ANYONE)) == [5]
    assert ids(refreshed.search("drone_id", audience=ANYONE)) == [5]
    assert 7 not in refreshed and 99 in refreshed
    assert ids(index.search("drone", audience=ANYONE)) == []  # the old index is unchanged
    assert refreshed.search("budget", audience=ANYONE).total == 38  # 39, less 7


def test_index_refresh_refits_when_much_has_changed():
    index = DatasetIndex.build([record(i, f"Dataset {i}") for i in range(1, 11)])

    refreshed = index.refresh([record(i, f"Renamed {i}") for i in range(1, 4)])

    assert refreshed.changed_since_fit == 0
    assert refreshed.search("renamed", audience=ANYONE).total == 3


def test_index_of_nothing_finds_nothing():
    index = DatasetIndex.build([])

    hits = index.search("trees", audience=ANYONE)

    assert hits.total == 0 and np.all(hits.scores == 0)


def test_column_key_makes_ways_of_writing_a_name_one():
    for name in ("lsoa_code", "LSOA Code", "lsoa-code", "lsoaCode", "LSOACode", " LSOA__code "):
        assert column_key(name) in {"lsoa_code", "lsoacode"}, name
    assert column_key("lsoaCode") == column_key("LSOA_Code") == "lsoa_code"
    assert query_column_keys("rough sleeping lsoa_code") >= {
        "lsoa_code",
        "rough_sleeping_lsoa_code",
    }


def test_matched_columns_lists_exact_names_first():
    dataset = record(1, "t", columns=columns("ward_code", "lsoa_code", "lsoa_name", "count"))

    assert matched_columns(dataset, "lsoa code") == ["lsoa_code"]
    assert matched_columns(dataset, "lsoa") == ["lsoa_code", "lsoa_name"]
    assert matched_columns(dataset, "households by lsoa") == ["lsoa_code", "lsoa_name"]
    assert matched_columns(dataset, "count") == ["count"]
    assert matched_columns(dataset, "households") == []
    assert matched_columns(dataset, "") == []


def test_record_statuses_match_the_model():
    assert DatasetStatus.PUBLISHED == "published"
