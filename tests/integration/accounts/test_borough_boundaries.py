import pytest
from django.urls import reverse

from interborough.accounts.services import organisations_load_reference

pytestmark = pytest.mark.django_db


@pytest.fixture
def boroughs():
    organisations_load_reference()


def test_borough_boundaries_serves_all_33_areas_as_geojson(client, boroughs):
    response = client.get(reverse("accounts:borough-boundaries"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    data = response.json()
    assert data["type"] == "FeatureCollection"
    assert len(data["features"]) == 33
    westminster = next(f for f in data["features"] if f["properties"]["code"] == "E09000033")
    assert westminster["properties"]["slug"] == "westminster"
    assert westminster["geometry"]["type"] in {"Polygon", "MultiPolygon"}


def test_borough_boundaries_answers_304_to_a_matching_etag(client, boroughs):
    first = client.get(reverse("accounts:borough-boundaries"))
    again = client.get(reverse("accounts:borough-boundaries"), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert "max-age" in first["Cache-Control"]


def test_borough_boundaries_change_when_an_authority_changes(client, boroughs):
    from interborough.accounts.models import Organisation

    first = client.get(reverse("accounts:borough-boundaries"))
    camden = Organisation.objects.get(gss_code="E09000007")
    Organisation.objects.filter(pk=camden.pk).update(boundary=None)
    camden.refresh_from_db()
    camden.save()  # bumps updated_at, as a reference reload would
    second = client.get(reverse("accounts:borough-boundaries"), HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200
    assert len(second.json()["features"]) == 32


def test_directory_page_loads_the_map_data_separately(client, boroughs):
    response = client.get(reverse("accounts:organisation-list"))
    assert reverse("accounts:borough-boundaries").encode() in response.content
    assert b'"coordinates"' not in response.content


def test_directory_links_each_organisation_to_its_page(client, boroughs):
    response = client.get(reverse("accounts:organisation-list"))
    href = f'href="{reverse("accounts:organisation-detail", args=["westminster"])}"'
    assert href.encode() in response.content
