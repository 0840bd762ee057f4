"""Project search and similar projects through the selectors, against the database."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import QueryDict
from django.utils import timezone

from interborough.accounts.models import OrganisationType
from interborough.pipeline.models import Phase, Project, ProjectStatus
from interborough.pipeline.permissions import visible_projects_q
from interborough.pipeline.selectors import search, search_cache
from interborough.pipeline.selectors.search import FacetValue, project_search, project_similar
from interborough.pipeline.selectors.search_query import PER_PAGE_MAX, SearchQuery
from tests.factories.accounts import MembershipFactory, OrganisationFactory, UserFactory
from tests.factories.pipeline import ProjectFactory

pytestmark = pytest.mark.django_db

PUBLISHED = ProjectStatus.PUBLISHED


@pytest.fixture
def boroughs(organisation, other_organisation):
    islington = OrganisationFactory(
        name="London Borough of Islington",
        short_name="Islington",
        slug="islington",
        gss_code="E09000019",
    )
    gla = OrganisationFactory(
        name="Greater London Authority", slug="gla", type=OrganisationType.PUBLIC_BODY
    )
    return organisation, other_organisation, islington, gla


def ids(results) -> list[int]:
    return [p.pk for p in results.projects]


def everything(**overrides) -> SearchQuery:
    return SearchQuery(per_page=PER_PAGE_MAX, include_archived=True, **overrides)


def test_project_search_shows_each_viewer_exactly_what_permissions_allow(boroughs, member):
    camden, hackney, islington, _ = boroughs
    for org in (camden, hackney, islington):
        for status in ProjectStatus.values:
            for public in (False, True):
                ProjectFactory(organisation=org, status=status, is_public=public)
    # Archived without ever being published: only its own organisation sees it.
    ProjectFactory(organisation=hackney, status=ProjectStatus.ARCHIVED, published_at=None)
    outsider = UserFactory()
    two_orgs = MembershipFactory(organisation=hackney).user
    MembershipFactory(organisation=islington, user=two_orgs)

    for viewer in (AnonymousUser(), outsider, member, two_orgs):
        expected = set(
            Project.objects.filter(visible_projects_q(viewer)).values_list("pk", flat=True)
        )
        assert set(ids(project_search(viewer=viewer, query=everything()))) == expected


def test_project_search_leaves_archived_projects_out_by_default(organisation, member):
    live = ProjectFactory(organisation=organisation, status=PUBLISHED)
    ProjectFactory(organisation=organisation, status=ProjectStatus.ARCHIVED)

    results = project_search(viewer=member, query=SearchQuery())

    assert ids(results) == [live.pk]


def test_project_search_matches_words_in_title_summary_problem_and_tags(organisation, member):
    by_title = ProjectFactory(organisation=organisation, status=PUBLISHED, title="Damp reporting")
    by_problem = ProjectFactory(
        organisation=organisation, status=PUBLISHED, problem="Tenants wait for damp surveys."
    )
    by_tag = ProjectFactory(organisation=organisation, status=PUBLISHED, tags=["damp"])
    ProjectFactory(organisation=organisation, status=PUBLISHED, title="Parking permits")

    results = project_search(viewer=member, query=SearchQuery(q="damp"))

    assert ids(results)[0] == by_title.pk
    assert set(ids(results)) == {by_title.pk, by_problem.pk, by_tag.pk}
    assert results.query.sort == "relevance"
    assert 0 < results.scores[by_title.pk] <= 1


def test_project_search_sorts_by_relevance_or_by_last_activity(organisation, member):
    now = timezone.now()
    strong = ProjectFactory(
        organisation=organisation,
        status=PUBLISHED,
        title="Damp and mould",
        summary="Damp surveys",
        last_activity_at=now - timedelta(days=9),
    )
    weak = ProjectFactory(
        organisation=organisation,
        status=PUBLISHED,
        summary="Repairs, including some damp",
        last_activity_at=now,
    )

    by_relevance = project_search(viewer=member, query=SearchQuery(q="damp"))
    by_update = project_search(viewer=member, query=SearchQuery(q="damp", sort="updated"))

    assert ids(by_relevance) == [strong.pk, weak.pk]
    assert ids(by_update) == [weak.pk, strong.pk]


def test_project_search_counts_facets_and_boroughs(boroughs, member):
    camden, hackney, islington, gla = boroughs
    ProjectFactory(organisation=camden, status=PUBLISHED, themes=["housing"], tags=["damp"])
    ProjectFactory(
        organisation=hackney,
        status=PUBLISHED,
        themes=["housing", "net-zero"],
        phase=Phase.BETA,
        collaboration_wanted=True,
    )
    ProjectFactory(organisation=islington, status=PUBLISHED, themes=["transport"])
    ProjectFactory(organisation=gla, status=PUBLISHED, themes=["housing"])

    results = project_search(
        viewer=member, query=SearchQuery(themes=["housing"], organisations=["hackney"])
    )

    assert results.total == 1
    facets = results.facets
    assert facets["organisation"] == [  # the organisation filter does not narrow its own facet
        FacetValue("gla", "Greater London Authority", 1, False),  # by label
        FacetValue("camden", camden.name, 1, False),
        FacetValue("hackney", hackney.name, 1, True),
    ]
    assert {f.value: f.count for f in facets["theme"]}["net-zero"] == 1
    housing = next(f for f in facets["theme"] if f.value == "housing")
    assert housing == FacetValue("housing", "Housing", 1, True)
    assert next(f for f in facets["phase"] if f.value == Phase.BETA).count == 1
    assert [f.value for f in facets["phase"]] == Phase.values
    assert facets["collaboration"] == [
        FacetValue("yes", "Yes", 1, False),
        FacetValue("no", "No", 0, False),
    ]
    assert facets["tag"] == []  # Hackney's project has no tags
    # Local authorities only, by GSS code, counted without the organisation filter.
    assert results.borough_counts == {"E09000007": 1, "E09000012": 1}


def test_project_search_tag_facet_lists_the_most_used_tags(organisation, member):
    for n in range(35):
        ProjectFactory(organisation=organisation, status=PUBLISHED, tags=[f"tag {n:02}", "common"])

    results = project_search(viewer=member, query=SearchQuery(tags=["tag 34"]))

    tags = results.facets["tag"]
    # Counted without the tag filter itself, so every project has "common".
    assert tags[0] == FacetValue("common", "common", 35, False)
    assert len(tags) == 31  # the top 30, plus the selected one
    assert tags[-1] == FacetValue("tag 34", "tag 34", 1, True)
    assert results.total == 1


def test_project_search_pages(organisation, member):
    created = [ProjectFactory(organisation=organisation, status=PUBLISHED) for _ in range(5)]
    newest_first = [p.pk for p in sorted(created, key=lambda p: p.last_activity_at, reverse=True)]

    first = project_search(viewer=member, query=SearchQuery(per_page=2))
    last = project_search(viewer=member, query=SearchQuery(per_page=2, page=3))
    beyond = project_search(viewer=member, query=SearchQuery(per_page=2, page=99))

    assert (first.total, first.pages, first.page) == (5, 3, 1)
    assert ids(first) == newest_first[:2]
    assert first.has_next and not first.has_previous
    assert ids(last) == newest_first[4:]
    assert beyond.page == 3 and ids(beyond) == ids(last)


def test_project_search_loads_a_page_in_a_fixed_number_of_queries(
    organisation, member, django_assert_max_num_queries
):
    for n in range(30):
        ProjectFactory(organisation=organisation, status=PUBLISHED, tags=[f"t{n}", "x"])
    project_search(viewer=member, query=SearchQuery())  # builds the index

    with django_assert_max_num_queries(8):
        results = project_search(viewer=member, query=SearchQuery(per_page=30))
        for project in results.projects:
            assert project.organisation.name
            assert list(project.themes.all()) and list(project.tags.all())


def test_project_search_index_follows_edits_and_deletions(organisation, member):
    project = ProjectFactory(organisation=organisation, status=PUBLISHED, title="Parking permits")
    gone = ProjectFactory(organisation=organisation, status=PUBLISHED, title="Parking bays")
    assert len(ids(project_search(viewer=member, query=SearchQuery(q="parking")))) == 2

    project.title = "Parking sensors"
    project.save()
    gone.delete()

    assert ids(project_search(viewer=member, query=SearchQuery(q="sensors"))) == [project.pk]
    assert ids(project_search(viewer=member, query=SearchQuery(q="parking"))) == [project.pk]


def test_project_search_index_notices_a_late_commit_with_an_older_timestamp(organisation, member):
    project = ProjectFactory(organisation=organisation, status=PUBLISHED, title="Parking permits")
    ProjectFactory(organisation=organisation, status=PUBLISHED, title="Newest")
    project_search(viewer=member, query=SearchQuery())
    # A change that leaves the count and the newest updated_at as they were.
    Project.objects.filter(pk=project.pk).update(
        title="Street lighting", updated_at=project.updated_at
    )
    assert ids(project_search(viewer=member, query=SearchQuery(q="lighting"))) == []

    for cached in search_cache._cache.values():
        cached.checked_at -= search_cache.RECHECK_SECONDS

    assert ids(project_search(viewer=member, query=SearchQuery(q="lighting"))) == [project.pk]


def test_search_query_from_params_ignores_junk():
    params = QueryDict(mutable=True)
    params.setlist("organisation", ["camden", "Camden", "<script>", "x" * 300])
    params.setlist("phase", ["alpha", "gamma"])
    params.setlist("tag", ["  Damp  Mould ", ""])
    params.update(
        {
            "q": "  damp\x00 and\tmould " + "z" * 500,
            "collaboration": "maybe",
            "market": "yes",
            "include_archived": "no",
            "sort": "random",
            "page": "-4",
            "per_page": "lots",
        }
    )

    query = SearchQuery.from_params(params)

    assert query.q.startswith("damp and mould zz") and len(query.q) == 200
    assert query.organisations == ["camden"]
    assert query.phases == ["alpha"]
    assert query.tags == ["damp mould"]
    assert (query.collaboration, query.market, query.include_archived) == (None, True, False)
    assert query.sort == "relevance"
    assert (query.page, query.per_page) == (1, 20)


def test_search_query_from_params_reads_a_plain_dict_and_round_trips():
    query = SearchQuery.from_params(
        {"theme": ["housing", "net-zero"], "collaboration": "no", "page": "3", "per_page": "500"}
    )

    assert query.themes == ["housing", "net-zero"]
    assert query.collaboration is False
    assert (query.sort, query.page, query.per_page) == ("updated", 3, 100)
    again = QueryDict(mutable=True)
    for name, value in query.as_params():
        again.appendlist(name, value)
    assert SearchQuery.from_params(again) == query
    assert ("page", "3") in query.as_params()
    assert "page" not in dict(query.as_params(page=None))


def test_project_search_ignores_unknown_slugs_and_unused_tags(organisation, member):
    project = ProjectFactory(organisation=organisation, status=PUBLISHED)

    results = project_search(
        viewer=member,
        query=SearchQuery(organisations=["atlantis"], themes=["no-such"], tags=["never used"]),
    )

    assert ids(results) == [project.pk]
    assert results.query.organisations == results.query.themes == results.query.tags == []


def test_project_similar_lists_other_organisations_projects_with_reasons(boroughs, member):
    camden, hackney, islington, _ = boroughs
    mine = ProjectFactory(
        organisation=camden,
        status=PUBLISHED,
        title="Damp and mould reporting",
        summary="Tenants report damp and mould with photos",
        themes=["housing", "net-zero"],
    )
    theirs = ProjectFactory(
        organisation=hackney,
        status=PUBLISHED,
        title="Reporting damp and mould",
        summary="An online form for tenants to report damp",
        themes=["housing"],
    )
    ProjectFactory(organisation=camden, status=PUBLISHED, title="Damp and mould in Camden")
    ProjectFactory(organisation=islington, status=ProjectStatus.ARCHIVED, title="Damp and mould")
    ProjectFactory(organisation=islington, status=ProjectStatus.DRAFT, title="Damp and mould")
    ProjectFactory(
        organisation=islington,
        status=PUBLISHED,
        title="Parking permits",
        summary="Apply for a permit online",
        problem="Queues at the parking office",
    )

    similar = project_similar(viewer=member, project=mine)

    assert [s.project.pk for s in similar] == [theirs.pk]
    assert 0 < similar[0].score <= 1
    terms = similar[0].shared_terms
    assert "damp" in terms[:3] and any("mould" in t for t in terms), terms
    assert [t.slug for t in similar[0].shared_themes] == ["housing"]


def test_project_similar_shows_drafts_only_to_their_own_organisation(boroughs, member):
    camden, hackney, _, _ = boroughs
    mine = ProjectFactory(organisation=hackney, status=PUBLISHED, title="Damp and mould reporting")
    draft = ProjectFactory(organisation=camden, title="Damp and mould reporting tool")

    assert project_similar(viewer=member, project=mine)[0].project == draft
    assert project_similar(viewer=UserFactory(), project=mine) == []
    assert project_similar(viewer=AnonymousUser(), project=mine) == []


def test_search_query_toggle_params_select_and_unselect_facet_values():
    query = SearchQuery(q="damp", themes=["housing"], collaboration=True, page=4)

    assert query.toggle_params("theme", "net-zero") == [
        ("q", "damp"),
        ("theme", "housing"),
        ("theme", "net-zero"),
        ("collaboration", "yes"),
        ("sort", "relevance"),
    ]
    assert ("theme", "housing") not in query.toggle_params("theme", "housing")
    assert ("collaboration", "yes") not in query.toggle_params("collaboration", "yes")
    assert ("collaboration", "no") in query.toggle_params("collaboration", "no")
    assert ("organisation", "camden") in query.toggle_params("organisation", "camden")


def test_search_query_made_directly_is_bounded_too():
    query = SearchQuery(q="damp\n\x00" + "x" * 500, themes=("housing",), page=0, per_page=999)

    assert query.q.startswith("damp x") and len(query.q) == 200
    assert query.themes == ["housing"]
    assert (query.page, query.per_page, query.sort) == (1, 100, "relevance")


def test_project_search_ids_lists_every_match_in_order_without_paging(organisation, member):
    ProjectFactory(organisation=organisation, title="Parking permits")  # a draft: visible
    matches = [
        ProjectFactory(organisation=organisation, status=PUBLISHED, title=f"Damp {n}")
        for n in range(3)
    ]
    hidden = ProjectFactory(status=ProjectStatus.DRAFT, title="Damp elsewhere")

    found = search.project_search_ids(viewer=member, query=SearchQuery(q="damp", per_page=1))

    assert sorted(found) == sorted(p.pk for p in matches)
    assert hidden.pk not in found
    assert found == [
        p.pk for p in project_search(viewer=member, query=SearchQuery(q="damp")).projects
    ]


def test_project_search_index_drops_the_newest_project_when_it_is_deleted(organisation, member):
    for n in range(12):  # so that one deletion is under a tenth of the index
        ProjectFactory(organisation=organisation, status=PUBLISHED, title=f"Filler {n}")
    kept = ProjectFactory(organisation=organisation, status=PUBLISHED, title="Parking permits")
    newest = ProjectFactory(organisation=organisation, title="Parking draft")
    assert len(ids(project_search(viewer=member, query=SearchQuery(q="parking")))) == 2
    before = search_cache.search_index()

    newest.delete()

    assert ids(project_search(viewer=member, query=SearchQuery(q="parking"))) == [kept.pk]
    after = search_cache.search_index()
    assert (after.fitted_size, after.changed_since_fit) == (14, 1)  # refreshed, not rebuilt
    assert before.fitted_size == 14
