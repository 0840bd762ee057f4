import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_organisation_page_links_to_its_projects(client, organisation):
    response = client.get(reverse("accounts:organisation-detail", args=[organisation.slug]))

    assert f'href="{reverse("pipeline:project-list")}?organisation=camden"' in response.text
