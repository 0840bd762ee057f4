"""tidy_query: the bounds both search queries (projects, datasets) put on what they are given."""

from dataclasses import dataclass, field

from interborough.core.search_params import (
    PAGE_MAX,
    PER_PAGE_MAX,
    Q_MAX_LENGTH,
    VALUES_MAX,
    tidy_query,
)


@dataclass
class Query:
    q: str = ""
    tags: list[str] = field(default_factory=list)
    sort: str = ""
    page: int = 1
    per_page: int = 20


def test_tidy_query_cleans_text_and_lists():
    query = Query(
        q="  damp\x00  and   mould " + "x" * 500, tags=["a", "b", "a", *map(str, range(99))]
    )

    tidy_query(query, lists=["tags"], sorts=("relevance", "updated"))

    assert query.q.startswith("damp and mould x") and len(query.q) == Q_MAX_LENGTH
    assert query.tags[:3] == ["a", "b", "0"] and len(query.tags) == VALUES_MAX


def test_tidy_query_resolves_an_unknown_sort_by_whether_there_is_text():
    with_text, without, chosen = Query(q="damp", sort="x"), Query(q="   "), Query(sort="updated")

    for query in (with_text, without, chosen):
        tidy_query(query, lists=(), sorts=("relevance", "updated"))

    assert (with_text.sort, without.sort, chosen.sort) == ("relevance", "updated", "updated")


def test_tidy_query_clamps_paging():
    low, high = Query(page=0, per_page=-5), Query(page=10**9, per_page=10**6)

    tidy_query(low, lists=(), sorts=())
    tidy_query(high, lists=(), sorts=())

    assert (low.page, low.per_page) == (1, 1)
    assert (high.page, high.per_page) == (PAGE_MAX, PER_PAGE_MAX)
