"""The pure TF-IDF project index: ranking, facets, visibility masks, refresh, similarity."""

from dataclasses import replace

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from interborough.pipeline import search_records
from interborough.pipeline.models import ProjectStatus
from interborough.pipeline.search_index import Audience, Filters, ProjectIndex
from interborough.pipeline.search_records import IndexedProject
from interborough.pipeline.search_text import analyse, words


def record(pk: int, title: str, summary: str = "", **overrides) -> IndexedProject:
    values = {
        "id": pk,
        "organisation_id": 1,
        "status": "published",
        "is_public": False,
        "published": True,
        "phase": "alpha",
        "theme_slugs": ("housing",),
        "tags": (),
        "collaboration_wanted": False,
        "market_engagement_wanted": False,
        "last_activity_at": 1_700_000_000.0 + pk,
        "title": title,
        "summary": summary,
        "problem": "",
    }
    values.update(overrides)
    if values["status"] == "draft" and "published" not in overrides:
        values["published"] = False
    return IndexedProject(**values)


CORPUS = [
    record(1, "Damp and mould reporting", "Tenants report damp with photos", tags=("damp",)),
    record(2, "Repairs booking online", "Tenants book repairs and report damp", organisation_id=2),
    record(
        3,
        "Air quality sensors near schools",
        "Sensors measure pollution",
        organisation_id=3,
        theme_slugs=("net-zero", "health"),
        phase="beta",
        collaboration_wanted=True,
    ),
    record(4, "Damp survey draft", "Damp and mould survey", status="draft", organisation_id=2),
    record(
        5,
        "Mould in temporary accommodation",
        "Families in temporary accommodation report mould and damp",
        organisation_id=3,
        theme_slugs=("housing", "homelessness"),
        tags=("damp", "temporary accommodation"),
        market_engagement_wanted=True,
    ),
    record(6, "Old damp pilot", "Damp pilot that ended", status="archived", organisation_id=2),
]
SIGNED_IN = Audience(signed_in=True, organisation_ids=frozenset())


def test_statuses_match_the_model():
    assert search_records.PUBLISHED == ProjectStatus.PUBLISHED
    assert search_records.ARCHIVED == ProjectStatus.ARCHIVED


def test_words_fold_plurals_drop_stop_words_and_accents():
    assert words("The Boroughs' repairs: authorities\u2019 crisis, café status") == [
        "repair",
        "authority",
        "crisis",
        "cafe",
        "status",
    ]


def test_analyse_weights_the_title_and_pairs_words_within_a_phrase():
    terms = analyse((("Damp reporting", 3), ("mould, damp", 1)))
    assert terms.count("damp") == 4
    assert terms.count("damp reporting") == 3
    assert "mould damp" not in terms  # a comma breaks the phrase


def test_search_ranks_title_matches_first_and_requires_every_word():
    index = ProjectIndex.build(CORPUS)

    hits = index.search("damp", audience=SIGNED_IN)
    assert hits.ids.tolist()[0] == 1  # "damp" in the title and tags beats a mention
    assert set(hits.ids.tolist()) == {1, 2, 5}
    assert list(hits.scores) == sorted(hits.scores, reverse=True)
    assert index.search("damp photos", audience=SIGNED_IN).ids.tolist() == [1]
    assert index.search("damp zeppelin", audience=SIGNED_IN).total == 0


def test_search_without_words_lists_everything_most_recent_first():
    index = ProjectIndex.build(CORPUS)

    hits = index.search("the of and", audience=SIGNED_IN)

    assert hits.ids.tolist() == [5, 3, 2, 1]
    assert not hits.scores.any()


def test_search_sorted_by_updated_ignores_scores():
    index = ProjectIndex.build(CORPUS)

    hits = index.search("damp", audience=SIGNED_IN, sort="updated")

    assert hits.ids.tolist() == [5, 2, 1]


def test_search_leaves_out_archived_projects_unless_asked():
    index = ProjectIndex.build(CORPUS)

    assert 6 not in index.search("damp", audience=SIGNED_IN).ids
    assert 6 in index.search("damp", audience=SIGNED_IN, include_archived=True).ids


def test_visible_mask_follows_the_permission_rule():
    records = [
        record(1, "a", status="published", is_public=True),
        record(2, "b", status="published", is_public=False),
        record(3, "c", status="archived", is_public=True, published=True),
        record(4, "d", status="archived", is_public=True, published=False),
        record(5, "e", status="draft", is_public=True, organisation_id=9),
        record(6, "f", status="archived", is_public=False, published=False, organisation_id=9),
    ]
    index = ProjectIndex.build(records)

    def visible(audience: Audience) -> list[int]:
        return index.ids[index.visible_mask(audience)].tolist()

    assert visible(Audience(signed_in=False)) == [1, 3]
    assert visible(Audience(signed_in=True)) == [1, 2, 3]
    assert visible(Audience(signed_in=True, organisation_ids=frozenset({9}))) == [1, 2, 3, 5, 6]


def test_facets_count_the_matched_set_and_ignore_their_own_filter():
    index = ProjectIndex.build(CORPUS)

    hits = index.search(
        "damp", audience=SIGNED_IN, filters=Filters(organisation_ids=frozenset({3}))
    )

    assert hits.ids.tolist() == [5]
    # Other organisations still show what choosing them would add.
    assert hits.facets["organisation"] == {1: 1, 2: 1, 3: 1}
    assert hits.facets["theme"] == {"housing": 1, "homelessness": 1}
    assert hits.facets["tag"] == {"damp": 1, "temporary accommodation": 1}
    assert hits.facets["market"] == {True: 1, False: 0}


def test_filters_within_a_facet_are_alternatives_and_facets_combine():
    index = ProjectIndex.build(CORPUS)

    either = Filters(theme_slugs=frozenset({"health", "homelessness"}))
    assert sorted(index.search(audience=SIGNED_IN, filters=either).ids.tolist()) == [3, 5]
    both = replace(either, phases=frozenset({"beta"}))
    assert index.search(audience=SIGNED_IN, filters=both).ids.tolist() == [3]
    wanted = Filters(collaboration=True, tags=frozenset({"damp"}))
    assert index.search(audience=SIGNED_IN, filters=wanted).total == 0


def test_similar_excludes_the_project_its_organisation_and_forbidden_rows():
    index = ProjectIndex.build(CORPUS)

    found = index.similar(1, exclude_organisation_id=1)
    assert {pk for pk, _ in found} == {2, 4, 5, 6}
    assert all(0 < score <= 1 for _, score in found)
    assert 1 not in dict(found)

    allowed = index.published_mask()
    restricted = dict(index.similar(1, exclude_organisation_id=1, allowed=allowed))
    assert 4 not in restricted and 6 not in restricted
    assert 3 not in restricted  # air quality shares no words with damp


def test_similar_scores_identical_texts_as_one():
    index = ProjectIndex.build(
        [record(1, "Damp reporting app"), record(2, "Damp reporting app", organisation_id=2)]
    )

    assert index.similar(1) == [(2, 1.0)]


def test_explain_names_the_shared_terms_strongest_first_without_repeats():
    index = ProjectIndex.build(CORPUS)

    terms = index.explain(1, 5)

    assert {"damp", "mould"} <= set(terms[:3])
    assert len(terms) == len(set(terms))
    assert index.explain(1, 3) == []


def test_refresh_with_unchanged_text_ranks_exactly_as_a_rebuild():
    index = ProjectIndex.build(CORPUS)
    moved = [
        replace(CORPUS[3], status="published", published=True),
        replace(CORPUS[0], phase="live"),
    ]

    refreshed = index.refresh(moved)
    rebuilt = ProjectIndex.build([*CORPUS[1:3], *CORPUS[4:], *moved])

    for query in ("damp", "mould", "tenants report", ""):
        a, b = (
            refreshed.search(query, audience=SIGNED_IN),
            rebuilt.search(query, audience=SIGNED_IN),
        )
        assert a.ids.tolist() == b.ids.tolist()
        np.testing.assert_allclose(a.scores, b.scores, rtol=1e-6)
        assert a.facets == b.facets
    assert refreshed.similar(1) == rebuilt.similar(1)


def test_refresh_re_transforms_changed_text_and_removes_deleted_rows():
    corpus = [record(i, f"Filler project {i}", "About parking permits") for i in range(10, 40)]
    index = ProjectIndex.build([*CORPUS, *corpus])
    edited = replace(CORPUS[2], title="Parking sensors", summary="Sensors for parking bays")

    refreshed = index.refresh([edited], removed=[1])

    assert refreshed.changed_since_fit == 2  # below 10 % of 36: no refit
    assert 3 in refreshed.search("parking sensors", audience=SIGNED_IN).ids
    assert 3 not in refreshed.search("air quality", audience=SIGNED_IN).ids
    assert 1 not in refreshed and len(refreshed) == len(index) - 1
    assert index.search("air quality", audience=SIGNED_IN).ids.tolist() == [3]  # immutable


def test_refresh_refits_once_more_than_a_tenth_has_changed():
    index = ProjectIndex.build(CORPUS)
    novel = replace(CORPUS[0], title="Zeppelin docking", summary="")

    refreshed = index.refresh([novel])

    assert refreshed.changed_since_fit == 0  # 1 of 6 is over 10 %: refitted
    assert refreshed.search("zeppelin", audience=SIGNED_IN).ids.tolist() == [1]


def test_refresh_without_changes_returns_the_same_index():
    index = ProjectIndex.build(CORPUS)

    assert index.refresh(CORPUS[:2]) is index


def test_empty_index_answers_every_question():
    index = ProjectIndex.build([])

    assert index.search("damp", audience=SIGNED_IN).total == 0
    assert index.search(audience=SIGNED_IN).total == 0
    assert index.similar(1) == []
    assert index.explain(1, 2) == []


def test_index_of_projects_without_words_still_filters():
    index = ProjectIndex.build([record(1, "the"), record(2, "of", phase="beta")])

    assert index.search(
        audience=SIGNED_IN, filters=Filters(phases=frozenset({"beta"}))
    ).ids.tolist() == [2]
    assert index.search("damp", audience=SIGNED_IN).total == 0
    assert index.similar(1) == []


TITLES = st.sampled_from(
    ["damp mould", "repairs booking", "air quality", "damp repairs", "parking permits", "the"]
)
RECORDS = st.lists(
    st.builds(
        lambda pk, title, org, status, public, was_published: record(
            pk,
            title,
            organisation_id=org,
            status=status,
            is_public=public,
            published=was_published or status == "published",
        ),
        st.integers(1, 10_000),
        TITLES,
        st.integers(1, 4),
        st.sampled_from(["draft", "published", "archived"]),
        st.booleans(),
        st.booleans(),
    ),
    max_size=25,
    unique_by=lambda r: r.id,
)


def allowed_by_rule(r: IndexedProject, audience: Audience) -> bool:
    """permissions.visible_projects_q, written out row by row."""
    once_published = r.status == "published" or (r.status == "archived" and r.published)
    if not audience.signed_in:
        return once_published and r.is_public
    return once_published or r.organisation_id in audience.organisation_ids


@settings(max_examples=150, deadline=None)
@given(
    records=RECORDS,
    signed_in=st.booleans(),
    orgs=st.frozensets(st.integers(1, 4)),
    query=st.sampled_from(["", "damp", "repairs", "air quality"]),
    include_archived=st.booleans(),
    mask_seed=st.integers(0, 2**16),
)
def test_search_never_returns_a_row_the_audience_or_mask_forbids(
    records, signed_in, orgs, query, include_archived, mask_seed
):
    index = ProjectIndex.build(records)
    audience = Audience(signed_in=signed_in, organisation_ids=orgs if signed_in else frozenset())
    allowed = np.random.default_rng(mask_seed).random(len(index)) < 0.7
    permitted = {
        pk
        for pk, ok in zip(index.ids.tolist(), allowed.tolist(), strict=True)
        if ok
        and allowed_by_rule(index.record(pk), audience)
        and (include_archived or index.record(pk).status != "archived")
    }

    hits = index.search(
        query, audience=audience, allowed=allowed, include_archived=include_archived
    )
    similar = (
        index.similar(records[0].id, allowed=allowed & index.visible_mask(audience))
        if records
        else []
    )

    assert set(hits.ids.tolist()) <= permitted
    if not query:
        assert set(hits.ids.tolist()) == permitted
    assert sum(hits.facets["organisation"].values()) == hits.total
    assert {pk for pk, _ in similar} <= {
        pk for pk in index.ids.tolist() if allowed_by_rule(index.record(pk), audience)
    }


def test_explain_shows_terms_as_the_projects_write_them():
    index = ProjectIndex.build(
        [
            record(1, "Surveyors triage repairs", "Tenants send photos"),
            record(2, "Repair triage", "Photos from tenants", organisation_id=2),
            record(3, "Parking permits"),
        ]
    )

    assert set(index.explain(1, 2)) == {"triage", "repairs", "tenants", "photos"}


def test_refresh_adds_projects_with_new_tags_themes_phases_and_organisations():
    fillers = [record(i, f"Filler project {i}", "About parking permits") for i in range(10, 40)]
    index = ProjectIndex.build([*CORPUS, *fillers])
    new = record(
        99,
        "Damp sensors",
        organisation_id=77,
        phase="retired",
        theme_slugs=("cyber",),
        tags=("brand new",),
    )

    refreshed = index.refresh([new])
    rebuilt = ProjectIndex.build([*CORPUS, *fillers, new])

    assert refreshed.changed_since_fit == 1  # not refitted
    only_new = Filters(tags=frozenset({"brand new"}), organisation_ids=frozenset({77}))
    assert refreshed.search("damp", audience=SIGNED_IN, filters=only_new).ids.tolist() == [99]
    assert refreshed.search(audience=SIGNED_IN).facets == rebuilt.search(audience=SIGNED_IN).facets
    assert refreshed.known_tags(["brand new", "nope"]) == ["brand new"]


def test_refresh_finds_a_new_project_by_words_the_fit_never_saw():
    fillers = [record(i, f"Filler project {i}", "About parking permits") for i in range(10, 40)]
    index = ProjectIndex.build([*CORPUS, *fillers])
    drones = record(99, "Drone deliveries", "Drones carry parking permits", organisation_id=5)

    refreshed = index.refresh([drones])

    assert refreshed.changed_since_fit == 1  # not refitted
    assert refreshed.search("drone", audience=SIGNED_IN).ids.tolist() == [99]
    assert refreshed.search("drone deliveries", audience=SIGNED_IN).ids.tolist() == [99]
    assert index.search("drone", audience=SIGNED_IN).total == 0
    again = refreshed.refresh([record(98, "Drone survey of roofs", organisation_id=6)])
    assert dict(again.similar(98))[99] > 0
    assert "drone" in again.explain(98, 99)


def test_vectorising_after_the_fit_weighs_words_as_scikit_learn_does():
    from sklearn.feature_extraction.text import TfidfVectorizer

    from interborough.pipeline.search_text import Vocabulary

    documents = [r.document() for r in CORPUS]
    vocabulary, vectors = Vocabulary.fit(documents)
    reference = TfidfVectorizer(analyzer=analyse, sublinear_tf=True).fit(documents)

    again, same = vocabulary.vectorise(documents)

    assert same is vocabulary
    np.testing.assert_allclose(again.toarray(), vectors.toarray(), rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(
        again.toarray(), reference.transform(documents).toarray(), rtol=1e-5, atol=1e-7
    )
