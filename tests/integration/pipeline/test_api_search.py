"""Project search with facets, and similar projects, in API v1."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from interborough.pipeline.models import ProjectStatus
from tests.factories.pipeline import ProjectFactory
from tests.integration.api.helpers import ApiClient, assert_error, issue_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(organisation, other_organisation):
    """Published projects in two boroughs, two of them about the same thing."""
    return {
        "camden_damp": ProjectFactory(
            organisation=organisation,
            title="Damp and mould reporting for tenants",
            summary="Tenants report damp and mould in council homes with photos.",
            problem="Damp and mould reports are lost; mould harms tenants' health.",
            status=ProjectStatus.PUBLISHED,
            themes=["housing"],
            tags=["damp", "mould"],
            collaboration_wanted=True,
            collaboration_kind="Share research",
        ),
        "hackney_damp": ProjectFactory(
            organisation=other_organisation,
            title="Mould and damp reports from tenants",
            summary="Council tenants report mould and damp online, with photos.",
            problem="Damp and mould in council homes is reported late.",
            status=ProjectStatus.PUBLISHED,
            themes=["housing", "health"],
            tags=["damp"],
        ),
        "hackney_parking": ProjectFactory(
            organisation=other_organisation,
            title="Parking permits online",
            summary="Residents buy and renew parking permits without calling.",
            problem="Permit renewals clog the phone lines.",
            status=ProjectStatus.PUBLISHED,
            themes=["transport"],
            tags=["parking"],
        ),
    }


def signed_in(user) -> ApiClient:
    return ApiClient(issue_token(user, scope="read"))


def test_search_ranks_by_relevance_and_returns_facets(library, member):
    response = signed_in(member).get("/projects", {"q": "damp mould"})

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["total"] == 2
    assert (body["page"], body["pages"], body["per_page"]) == (1, 1, 20)
    assert {item["title"] for item in body["items"]} == {
        "Damp and mould reporting for tenants",
        "Mould and damp reports from tenants",
    }
    assert all(0 < item["score"] <= 1 for item in body["items"])
    assert set(body["facets"]) >= {"organisation", "phase", "theme", "tag", "collaboration"}
    themes = {f["value"]: f["count"] for f in body["facets"]["theme"]}
    assert themes["housing"] == 2
    assert themes["health"] == 1


def test_search_filters_by_facets(library, member):
    api = signed_in(member)

    by_theme = api.get("/projects", {"theme": "transport"}).json()
    by_org = api.get("/projects", {"organisation": "hackney", "tag": "damp"}).json()
    wanting_help = api.get("/projects", {"collaboration": "true"}).json()

    assert [i["title"] for i in by_theme["items"]] == ["Parking permits online"]
    assert [i["title"] for i in by_org["items"]] == ["Mould and damp reports from tenants"]
    assert [i["title"] for i in wanting_help["items"]] == ["Damp and mould reporting for tenants"]
    selected = [f["value"] for f in by_org["facets"]["organisation"] if f["selected"]]
    assert selected == ["hackney"]


def test_search_pages_results(library, member):
    body = signed_in(member).get("/projects", {"per_page": 2, "page": 2, "sort": "updated"}).json()

    assert (body["total"], body["page"], body["pages"], body["per_page"]) == (3, 2, 2, 2)
    assert len(body["items"]) == 1


def _queries_for_a_page(api: ApiClient) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert api.get("/projects", {"sort": "updated"}).status_code == 200
    return len(queries)


def test_search_queries_do_not_grow_with_the_page(library, member, organisation, publisher):
    library["camden_damp"].contact = publisher
    library["camden_damp"].save()
    api = signed_in(member)
    api.get("/projects")  # builds the search index
    few = _queries_for_a_page(api)
    for n in range(6):
        ProjectFactory(
            organisation=organisation,
            status=ProjectStatus.PUBLISHED,
            contact=publisher,
            tags=[f"tag {n}"],
        ).partners.add(library["hackney_damp"].organisation)
    api.get("/projects")  # refreshes the index with the new projects

    assert _queries_for_a_page(api) == few


@pytest.mark.parametrize(
    "params",
    [{"per_page": 101}, {"page": 0}, {"sort": "random"}, {"phase": "launched"}, {"q": "x" * 201}],
)
def test_search_refuses_out_of_bounds_parameters(library, params):
    assert_error(ApiClient().get("/projects", params), 422, "validation_error")


def test_similar_projects_come_from_other_organisations_with_reasons(library, member):
    camden = library["camden_damp"]

    response = signed_in(member).get(f"/projects/{camden.pk}/similar")

    assert response.status_code == 200, response.content
    similar = response.json()
    assert similar, "the Hackney damp project should be found"
    first = similar[0]
    assert first["project"]["title"] == "Mould and damp reports from tenants"
    assert first["project"]["organisation"]["slug"] == "hackney"
    assert 0 < first["score"] <= 1
    assert {"damp", "mould"} & set(first["shared_terms"])
    assert [t["slug"] for t in first["shared_themes"]] == ["housing"]
    assert all(s["project"]["organisation"]["slug"] != "camden" for s in similar)


def test_similar_projects_limit_is_bounded(library, member):
    camden = library["camden_damp"]

    assert_error(signed_in(member).get(f"/projects/{camden.pk}/similar", {"limit": 21}), 422)


def test_themes_are_public(db):
    response = ApiClient().get("/themes")

    assert response.status_code == 200
    slugs = [t["slug"] for t in response.json()]
    assert "net-zero" in slugs
    assert "housing" in slugs
