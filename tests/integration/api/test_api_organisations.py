"""The public organisation directory in API v1."""

import pytest

from tests.factories.accounts import OrganisationFactory
from tests.integration.api.helpers import ApiClient, assert_error

pytestmark = pytest.mark.django_db


def test_organisation_list_is_public_and_paginated(organisation, other_organisation):
    response = ApiClient().get("/organisations", {"limit": 1})

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [o["slug"] for o in body["items"]] == ["camden"]


def test_organisation_list_pages_with_offset(organisation, other_organisation):
    response = ApiClient().get("/organisations", {"limit": 1, "offset": 1})

    assert [o["slug"] for o in response.json()["items"]] == ["hackney"]


def test_organisation_list_filters_by_type_and_text(organisation):
    OrganisationFactory(name="Transport for London", slug="tfl", type="public_body")

    by_type = ApiClient().get("/organisations", {"type": "public_body"}).json()
    by_code = ApiClient().get("/organisations", {"q": "E09000007"}).json()

    assert [o["slug"] for o in by_type["items"]] == ["tfl"]
    assert [o["slug"] for o in by_code["items"]] == ["camden"]


def test_organisation_list_excludes_inactive_organisations(organisation):
    OrganisationFactory(slug="closed", is_active=False)

    body = ApiClient().get("/organisations").json()

    assert [o["slug"] for o in body["items"]] == ["camden"]


@pytest.mark.parametrize(
    "params, field",
    [
        ({"type": "pub"}, "type"),
        ({"q": "x" * 101}, "q"),
        ({"q": "camden\x00"}, "q"),
        ({"limit": 0}, "limit"),
        ({"limit": 101}, "limit"),
        ({"limit": -1}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"offset": -5}, "offset"),
        ({"offset": 10**30}, "offset"),
    ],
)
def test_organisation_list_rejects_bad_filters_with_field_errors(organisation, params, field):
    error = assert_error(ApiClient().get("/organisations", params), 422, "validation_error")

    assert [f["field"] for f in error["fields"]] == [field]


def test_organisation_list_with_an_offset_past_the_end_is_empty(organisation):
    body = ApiClient().get("/organisations", {"offset": 1_000_000_000}).json()

    assert body == {"items": [], "count": 1}


def test_organisation_list_finds_unicode_names(db):
    OrganisationFactory(name="Cymdeithas Llŷn ✓", slug="llyn")

    body = ApiClient().get("/organisations", {"q": "Llŷn ✓"}).json()

    assert [o["slug"] for o in body["items"]] == ["llyn"]


def test_organisation_detail_is_public(organisation):
    response = ApiClient().get("/organisations/camden")

    assert response.status_code == 200
    assert response.json()["gss_code"] == "E09000007"


def test_organisation_detail_of_unknown_slug_is_404_in_the_error_shape(db):
    assert_error(ApiClient().get("/organisations/atlantis"), 404, "not_found")


@pytest.mark.parametrize("slug", ["camden%00", "a%20b", "%C5%82%C3%B3d%C5%BA", "x" * 101])
def test_organisation_detail_rejects_malformed_slugs(organisation, slug):
    assert_error(ApiClient().get(f"/organisations/{slug}"), 422, "validation_error")
