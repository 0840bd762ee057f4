"""Reading a dataset search from URL parameters: lenient, bounded, round-trips."""

from django.http import QueryDict
from hypothesis import given, settings
from hypothesis import strategies as st

from interborough.catalogue.search_index import SORTS
from interborough.catalogue.selectors.search_query import (
    PAGE_MAX,
    PER_PAGE_MAX,
    DatasetSearchQuery,
)
from interborough.core.search_params import Q_MAX_LENGTH, VALUE_MAX_LENGTH, VALUES_MAX

PARAMS = ("q", "publisher", "topic", "tag", "format", "licence", "access", "borough", "sort",
          "page", "per_page", "other")  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(PARAMS), st.text(max_size=300)),
        max_size=40,
    )
)
def test_query_from_any_parameters_is_bounded(pairs):
    params = QueryDict(mutable=True)
    for name, value in pairs:
        params.appendlist(name, value)

    query = DatasetSearchQuery.from_params(params)

    assert len(query.q) <= Q_MAX_LENGTH
    assert query.sort in SORTS
    assert 1 <= query.page <= PAGE_MAX and 1 <= query.per_page <= PER_PAGE_MAX
    for values in (query.publishers, query.topics, query.tags, query.boroughs):
        assert len(values) <= VALUES_MAX
        assert all(0 < len(v) <= VALUE_MAX_LENGTH for v in values)
    assert set(query.formats) <= {"csv", "xlsx", "json", "geojson", "parquet"}
    assert set(query.access_levels) <= {"open", "signed_in", "restricted"}
    # What the page links to reads back as the same search.
    assert DatasetSearchQuery.from_params(_as_querydict(query.as_params())) == query


def _as_querydict(pairs: list[tuple[str, str]]) -> QueryDict:
    params = QueryDict(mutable=True)
    for name, value in pairs:
        params.appendlist(name, value)
    return params


def test_query_sort_defaults_to_relevance_with_text_and_updated_without():
    assert DatasetSearchQuery.from_params({"q": "trees"}).sort == "relevance"
    assert DatasetSearchQuery.from_params({}).sort == "updated"
    assert DatasetSearchQuery.from_params({"sort": "price"}).sort == "updated"
    assert DatasetSearchQuery.from_params({"sort": "used", "q": "x"}).sort == "used"


def test_query_reads_facets_and_drops_junk():
    query = DatasetSearchQuery.from_params(
        QueryDict(
            "publisher=camden&publisher=Not+A+Slug&format=CSV&format=exe&access=restricted"
            "&access=everyone&licence=OGL-UK-3.0&licence=mine&tag=Rough++Sleeping&page=x"
        )
    )

    assert query.publishers == ["camden"]
    assert query.formats == ["csv"]
    assert query.access_levels == ["restricted"]
    assert query.licences == ["OGL-UK-3.0"]
    assert query.tags == ["rough sleeping"]
    assert query.page == 1
    assert query.is_filtered
