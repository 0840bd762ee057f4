"""The CKAN Action API: CKAN's envelope and error types, and each catalogue action."""

import json

import pytest
from django.test import Client

from interborough.catalogue.models import AccessLevel, DatasetStatus, Keyword, Topic
from tests.factories.catalogue import DatasetFactory, ready_resource

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(organisation, publisher):
    dataset = DatasetFactory(
        publisher=organisation,
        title="Street trees",
        slug="street-trees",
        status=DatasetStatus.PUBLISHED,
    )
    dataset.keywords.add(Keyword.objects.create(name="trees"))
    dataset.topics.add(Topic.objects.get(slug="environment"))
    ready_resource(by=publisher, dataset=dataset)
    return dataset


def call(client: Client, action: str, method: str = "get", prefix: str = "/api/3/action/", **data):
    if method == "get":
        return client.get(f"{prefix}{action}", data)
    return client.post(f"{prefix}{action}", json.dumps(data), content_type="application/json")


def test_ckan_envelope_on_success_has_help_success_and_result(client, published):
    response = call(client, "package_show", id="street-trees")

    body = response.json()
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json;charset=utf-8"
    assert set(body) == {"help", "success", "result"}
    assert body["success"] is True
    assert body["help"].endswith("/api/3/action/help_show?name=package_show")


@pytest.mark.parametrize("prefix", ["/api/3/action/", "/api/action/"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_ckan_actions_answer_on_both_paths_by_get_and_post(client, published, prefix, method):
    response = call(client, "package_show", method=method, prefix=prefix, id="street-trees")

    assert response.status_code == 200
    assert response.json()["result"]["name"] == "street-trees"


def test_ckan_unknown_action_is_a_bad_request_as_ckan_says_it(client):
    response = call(client, "package_create")

    assert response.status_code == 400
    assert response.json() == "Bad request - Action name not known: package_create"


def test_ckan_not_found_error_type_and_code(client):
    body = call(client, "package_show", id="no-such-dataset").json()

    assert body["success"] is False
    assert body["error"]["__type"] == "Not Found Error"
    assert body["error"]["message"].startswith("Not found")


def test_ckan_not_found_status_is_404(client):
    assert call(client, "package_show", id="nope").status_code == 404


def test_ckan_missing_id_is_a_validation_error_with_409(client):
    response = call(client, "package_show")

    assert response.status_code == 409
    assert response.json()["error"] == {"id": ["Missing value"], "__type": "Validation Error"}


def test_ckan_bad_json_body_is_a_bad_request(client):
    response = client.post("/api/3/action/package_list", "{nope", content_type="application/json")

    assert response.status_code == 400
    assert response.json().startswith("Bad request - JSON Error")


def test_ckan_json_body_must_be_an_object(client):
    response = client.post("/api/3/action/package_list", "[1]", content_type="application/json")

    assert response.status_code == 400
    assert "needs to be a dictionary" in response.json()


def test_ckan_a_bad_api_key_is_an_authorization_error(client):
    response = client.get("/api/3/action/status_show", HTTP_AUTHORIZATION="ib_not-a-real-key")

    assert response.status_code == 403
    assert response.json()["error"]["__type"] == "Authorization Error"


def test_ckan_package_show_has_ckan_fields_and_resources(client, published):
    result = call(client, "package_show", id=str(published.pk)).json()["result"]

    assert result["name"] == "street-trees"
    assert result["license_id"] == "OGL-UK-3.0"
    assert result["isopen"] is True
    assert result["organization"]["name"] == "camden"
    assert [t["name"] for t in result["tags"]] == ["trees"]
    assert [g["name"] for g in result["groups"]] == ["environment"]
    (resource,) = result["resources"]
    assert resource["format"] == "CSV"
    assert resource["datastore_active"] is True
    assert resource["url"].startswith("http://testserver/datasets/street-trees/resources/")
    assert {"key": "access_level", "value": "open"} in result["extras"]


def test_ckan_package_list_lists_published_datasets_only(client, published, organisation):
    DatasetFactory(publisher=organisation, slug="a-draft")

    assert call(client, "package_list").json()["result"] == ["street-trees"]


def test_ckan_package_list_pages_with_limit_and_offset(client, organisation):
    for slug in ("a", "b", "c"):
        DatasetFactory(publisher=organisation, slug=slug, status=DatasetStatus.PUBLISHED)

    assert call(client, "package_list", limit=2, offset=1).json()["result"] == ["b", "c"]


def test_ckan_package_list_rejects_a_non_number_limit(client):
    response = call(client, "package_list", limit="ten")

    assert response.status_code == 409
    assert response.json()["error"]["limit"] == ["Invalid integer"]


def test_ckan_a_draft_is_not_found_to_others_but_shown_to_its_publisher(
    client, organisation, publisher
):
    DatasetFactory(publisher=organisation, slug="draft-data")
    from tests.conftest import verified_client

    assert call(client, "package_show", id="draft-data").status_code == 404
    assert call(verified_client(publisher), "package_show", id="draft-data").status_code == 200


def test_ckan_restricted_metadata_is_open(client, organisation):
    DatasetFactory(
        publisher=organisation,
        slug="placements",
        status=DatasetStatus.PUBLISHED,
        access_level=AccessLevel.RESTRICTED,
    )

    result = call(client, "package_show", id="placements").json()["result"]

    assert {"key": "access_level", "value": "restricted"} in result["extras"]


def test_ckan_resource_show_by_uuid(client, published):
    resource = published.resources.get()

    result = call(client, "resource_show", id=str(resource.pk)).json()["result"]

    assert result["package_id"] == str(published.pk)
    assert result["hash"].startswith("sha256:")


def test_ckan_resource_show_of_junk_id_is_not_found(client):
    assert call(client, "resource_show", id="'; drop table x").status_code == 404


def test_ckan_organization_list_names_by_default_and_dicts_with_all_fields(
    client, published, other_organisation
):
    names = call(client, "organization_list").json()["result"]
    full = call(client, "organization_list", all_fields="true").json()["result"]

    assert names == ["camden", "hackney"]
    assert [(o["name"], o["package_count"]) for o in full] == [("camden", 1), ("hackney", 0)]
    assert full[0]["is_organization"] is True


def test_ckan_organization_list_rejects_an_unknown_sort(client):
    response = call(client, "organization_list", sort="password desc")

    assert response.status_code == 409
    assert "sort" in response.json()["error"]


def test_ckan_organization_show_with_datasets(client, published):
    result = call(client, "organization_show", id="camden", include_datasets=True).json()["result"]

    assert result["title"] == "London Borough of Camden"
    assert [p["name"] for p in result["packages"]] == ["street-trees"]


def test_ckan_group_list_is_the_topics(client, published):
    groups = call(client, "group_list", all_fields=True).json()["result"]

    by_name = {g["name"]: g["package_count"] for g in groups}
    assert by_name["environment"] == 1


def test_ckan_tag_list_with_query(client, published):
    assert call(client, "tag_list").json()["result"] == ["trees"]
    assert call(client, "tag_list", query="zzz").json()["result"] == []


def test_ckan_license_list_includes_ogl(client):
    licences = call(client, "license_list").json()["result"]

    ogl = next(item for item in licences if item["id"] == "OGL-UK-3.0")
    assert ogl["url"].startswith("https://www.nationalarchives.gov.uk/")


def test_ckan_status_show_names_the_api_version(client):
    result = call(client, "status_show").json()["result"]

    assert result["ckan_version"].startswith("2.")
    assert "datastore" in result["extensions"]


def test_ckan_api_root_gives_the_version(client):
    assert client.get("/api/3").json() == {"version": 3}


def test_ckan_help_show_returns_the_action_docstring(client):
    result = call(client, "help_show", name="package_list").json()["result"]

    assert "published datasets" in result


@pytest.fixture
def searchable(published, organisation, other_organisation, publisher):
    other = DatasetFactory(
        publisher=other_organisation,
        title="Hackney libraries",
        slug="hackney-libraries",
        description="Opening hours of libraries.",
        status=DatasetStatus.PUBLISHED,
    )
    other.keywords.add(Keyword.objects.create(name="libraries"))
    return [published, other]


def test_ckan_package_search_counts_and_returns_packages(client, searchable):
    result = call(client, "package_search", q="libraries").json()["result"]

    assert result["count"] == 1
    assert [p["name"] for p in result["results"]] == ["hackney-libraries"]


def test_ckan_package_search_all_with_star_colon_star(client, searchable):
    result = call(client, "package_search", q="*:*", rows=1).json()["result"]

    assert result["count"] == 2
    assert len(result["results"]) == 1


def test_ckan_package_search_fq_on_organization_and_tags(client, searchable):
    by_org = call(client, "package_search", fq="organization:camden").json()["result"]
    by_tag = call(client, "package_search", fq='tags:"libraries"').json()["result"]

    assert [p["name"] for p in by_org["results"]] == ["street-trees"]
    assert [p["name"] for p in by_tag["results"]] == ["hackney-libraries"]


def test_ckan_package_search_facets_in_both_ckan_shapes(client, searchable):
    result = call(
        client, "package_search", **{"facet.field": json.dumps(["organization", "res_format"])}
    ).json()["result"]

    assert result["facets"]["organization"] == {"camden": 1, "hackney": 1}
    assert result["facets"]["res_format"] == {"csv": 1}
    items = result["search_facets"]["organization"]["items"]
    assert {i["name"] for i in items} == {"camden", "hackney"}


def test_ckan_package_search_pages_with_start(client, searchable):
    first = call(client, "package_search", rows=1, sort="title_string asc").json()["result"]
    second = call(client, "package_search", rows=1, start=1, sort="title_string asc").json()[
        "result"
    ]

    assert [first["results"][0]["name"], second["results"][0]["name"]] == [
        "hackney-libraries",
        "street-trees",
    ]


@pytest.mark.parametrize(
    "params",
    [
        {"sort": "password desc"},
        {"fq": "secret_field:x"},
        {"fq": "free text"},
        {"q": "-tags:x"},
        {"facet.field": '["password"]'},
    ],
)
def test_ckan_package_search_refuses_what_it_cannot_do_with_search_query_error(client, params):
    response = call(client, "package_search", **params)

    assert response.status_code == 400
    assert response.json()["error"]["__type"] == "Search Query Error"


def test_ckan_package_search_rows_over_1000_is_a_validation_error(client):
    response = call(client, "package_search", rows=1001)

    assert response.status_code == 409
    assert "rows" in response.json()["error"]


def test_ckan_package_search_never_shows_drafts(client, searchable, organisation):
    DatasetFactory(publisher=organisation, slug="draft-trees", title="Draft trees")

    result = call(client, "package_search", q="trees").json()["result"]

    assert [p["name"] for p in result["results"]] == ["street-trees"]
