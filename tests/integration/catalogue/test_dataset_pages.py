"""The dataset pages: registering, the record (Markdown, metadata, JSON-LD), editing,
publishing and withdrawing (views/datasets.py)."""

import json
import re

import pytest
from django.urls import reverse

from interborough.catalogue.models import (
    AccessLevel,
    Dataset,
    DatasetStatus,
    DatasetUsage,
    Frequency,
    UsageKind,
)
from interborough.core.models import AuditEvent
from tests.factories.accounts import MembershipFactory
from tests.factories.catalogue import DatasetFactory, ready_resource

pytestmark = pytest.mark.django_db

PUBLISHED = DatasetStatus.PUBLISHED


def html(response) -> str:
    return response.content.decode()


def error_summary(response) -> str:
    match = re.search(r'<div class="govuk-error-summary".*?</ul>', html(response), re.S)
    assert match, "no error summary on the page"
    return match.group(0)


def page_jsonld(response) -> dict:
    scripts = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', html(response), re.S
    )
    assert len(scripts) == 1, "the page must carry exactly one JSON-LD block"
    return json.loads(scripts[0])


def detail(dataset: Dataset) -> str:
    return reverse("catalogue:dataset-detail", kwargs={"slug": dataset.slug})


def form_data(**overrides):
    data = {
        "title": "Rough sleeping counts",
        "description": "Counts by ward, from the **CHAIN** database.",
        "licence": "OGL-UK-3.0",
        "topics": ["housing"],
        "keywords": "homelessness, rough sleeping",
        "boroughs": ["camden"],
        "temporal_start": "01/04/2025",
        "temporal_end": "31/03/2026",
        "frequency": "QUARTERLY",
        "contact_name": "Data team",
        "contact_email": "data@camden.gov.uk",
        "access_level": "open",
        "classification": "official",
        "information_asset_owner": "Director of Housing",
    }
    return data | overrides


# --- registering ------------------------------------------------------------------------------


def test_dataset_create_saves_a_draft_and_goes_to_its_page(client_for, publisher, organisation):
    response = client_for(publisher).post(reverse("catalogue:dataset-create"), form_data())

    dataset = Dataset.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(dataset)
    assert (dataset.publisher, dataset.status) == (organisation, DatasetStatus.DRAFT)
    assert dataset.frequency == Frequency.QUARTERLY
    assert dataset.temporal_start.isoformat() == "2025-04-01"
    assert [k.name for k in dataset.keywords.all()] == ["homelessness", "rough sleeping"]
    assert [b.slug for b in dataset.boroughs.all()] == ["camden"]
    assert AuditEvent.objects.filter(action="dataset.create").exists()


def test_dataset_create_shows_every_problem_in_the_error_summary(client_for, publisher):
    response = client_for(publisher).post(
        reverse("catalogue:dataset-create"),
        form_data(temporal_start="31/02/2026", topics=["nope"]),
    )

    summary = error_summary(response)
    assert response.status_code == 200
    assert "start of the period as a real date" in summary
    assert "Choose topics from the list" in summary
    assert not Dataset.objects.exists()


def test_dataset_create_reports_the_services_rules_on_their_fields(client_for, publisher):
    response = client_for(publisher).post(
        reverse("catalogue:dataset-create"), form_data(title=" ", licence="restricted")
    )

    summary = error_summary(response)
    assert "Enter the title." in summary and 'href="#id_title"' in summary
    assert "Open data needs an open licence." in summary
    assert not Dataset.objects.exists()


def test_dataset_create_asks_which_organisation_for_someone_in_several(
    client_for, publisher, other_organisation
):
    MembershipFactory(user=publisher, organisation=other_organisation, role="publisher")
    client = client_for(publisher)

    page = client.get(reverse("catalogue:dataset-create"))
    client.post(reverse("catalogue:dataset-create"), form_data(organisation="hackney"))

    assert 'name="organisation"' in html(page)
    assert Dataset.objects.get().publisher == other_organisation


def test_dataset_create_is_refused_to_a_plain_member(client_for, member):
    response = client_for(member).get(reverse("catalogue:dataset-create"))

    assert response.status_code == 403


# --- the record -------------------------------------------------------------------------------


def test_dataset_detail_shows_metadata_resources_and_counts_a_view(client, publisher, organisation):
    dataset = DatasetFactory(
        publisher=organisation, status=PUBLISHED, information_asset_owner="Head of Data"
    )
    resource = ready_resource(by=publisher, dataset=dataset)

    response = client.get(detail(dataset))

    page = html(response)
    assert response.status_code == 200
    assert dataset.title in page and "Open Government Licence v3.0" in page
    assert "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/" in page
    assert "Head of Data" in page
    assert reverse("catalogue:resource-detail", args=[dataset.slug, resource.pk]) in page
    assert resource.latest.sha256[:12] in page
    assert "Add a resource" not in page and "Publish dataset" not in page
    assert DatasetUsage.objects.get(dataset=dataset, kind=UsageKind.PAGE_VIEW).count == 1


def test_dataset_detail_offers_editors_their_actions(client_for, publisher, organisation):
    dataset = DatasetFactory(publisher=organisation)

    page = html(client_for(publisher).get(detail(dataset)))

    assert "Add a resource" in page
    assert reverse("catalogue:dataset-publish", args=[dataset.slug]) in page
    assert reverse("catalogue:dataset-withdraw", args=[dataset.slug]) not in page


def test_dataset_detail_hides_drafts_from_everyone_outside_the_publisher(
    client, client_for, organisation, other_organisation
):
    draft = DatasetFactory(publisher=organisation)
    outsider = MembershipFactory(organisation=other_organisation, role="org_admin").user

    assert client.get(detail(draft)).status_code == 404
    assert client_for(outsider).get(detail(draft)).status_code == 404
    assert client.get("/datasets/no-such-dataset/").status_code == 404


def test_dataset_detail_renders_markdown_without_scripts_or_javascript_links(client, organisation):
    dataset = DatasetFactory(
        publisher=organisation,
        status=PUBLISHED,
        description=(
            "# Method\n\n<script>alert('x')</script>\n\n"
            "[click](javascript:alert(1)) and [the source](https://example.org/source)"
        ),
    )

    page = html(client.get(detail(dataset)))

    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    assert 'href="javascript:' not in page
    assert 'href="https://example.org/source"' in page
    assert '<h3 class="govuk-heading-m">Method</h3>' in page


def test_dataset_detail_embeds_schema_org_jsonld(client, publisher, organisation):
    dataset = DatasetFactory(
        publisher=organisation, status=PUBLISHED, access_level=AccessLevel.SIGNED_IN
    )
    dataset.boroughs.set([organisation])
    resource = ready_resource(by=publisher, dataset=dataset)

    data = page_jsonld(client.get(detail(dataset)))

    assert data["@type"] == "Dataset" and data["name"] == dataset.title
    assert data["url"] == f"http://testserver{detail(dataset)}"
    assert data["publisher"]["name"] == organisation.name
    assert data["spatialCoverage"][0]["identifier"] == "E09000007"
    assert data["license"].startswith("https://www.nationalarchives.gov.uk/")
    assert [d["name"] for d in data["distribution"]] == [resource.name]
    assert str(resource.pk) in data["distribution"][0]["contentUrl"]


def test_dataset_detail_jsonld_cannot_be_broken_out_of(client, organisation):
    title = "Trees </script><script>alert(1)</script> & more"
    dataset = DatasetFactory(publisher=organisation, status=PUBLISHED, title=title)

    response = client.get(detail(dataset))

    assert "</script><script>alert(1)" not in html(response)
    assert page_jsonld(response)["name"] == title


# --- editing ----------------------------------------------------------------------------------


def test_dataset_edit_shows_the_current_values_and_saves_changes(
    client_for, publisher, organisation
):
    dataset = DatasetFactory(publisher=organisation, title="Old title", status=PUBLISHED)
    client = client_for(publisher)
    url = reverse("catalogue:dataset-edit", args=[dataset.slug])

    page = html(client.get(url))
    response = client.post(url, form_data(title="New title"))

    dataset.refresh_from_db()
    assert 'value="Old title"' in page
    assert response.status_code == 302 and dataset.title == "New title"
    assert dataset.slug == DatasetFactory._meta.model.objects.get(pk=dataset.pk).slug


def test_dataset_edit_rerenders_with_errors(client_for, publisher, organisation):
    dataset = DatasetFactory(publisher=organisation, title="Kept")
    url = reverse("catalogue:dataset-edit", args=[dataset.slug])

    response = client_for(publisher).post(
        url, form_data(temporal_start="01/04/2026", temporal_end="01/01/2026")
    )

    assert "The end of the period must be on or after its start." in error_summary(response)
    dataset.refresh_from_db()
    assert dataset.title == "Kept"


def test_dataset_edit_is_403_to_a_member_and_404_to_outsiders_for_a_draft(
    client_for, member, organisation, other_organisation
):
    published = DatasetFactory(publisher=organisation, status=PUBLISHED)
    draft = DatasetFactory(publisher=organisation)
    outsider = MembershipFactory(organisation=other_organisation, role="publisher").user

    def edit(dataset):
        return reverse("catalogue:dataset-edit", args=[dataset.slug])

    assert client_for(member).get(edit(published)).status_code == 403
    assert client_for(outsider).get(edit(published)).status_code == 403
    assert client_for(outsider).get(edit(draft)).status_code == 404


# --- publishing and withdrawing ---------------------------------------------------------------


def test_dataset_publish_asks_then_publishes(client_for, publisher, organisation):
    dataset = DatasetFactory(publisher=organisation)
    client = client_for(publisher)
    url = reverse("catalogue:dataset-publish", args=[dataset.slug])

    confirm = client.get(url)
    response = client.post(url, follow=True)

    dataset.refresh_from_db()
    assert "Publish dataset" in html(confirm) and "no data that is ready" in html(confirm)
    assert dataset.status == PUBLISHED and dataset.published_at is not None
    assert "is published" in html(response)


def test_dataset_withdraw_then_publish_again(client_for, publisher, organisation):
    dataset = DatasetFactory(publisher=organisation, status=PUBLISHED)
    client = client_for(publisher)

    client.post(reverse("catalogue:dataset-withdraw", args=[dataset.slug]))
    dataset.refresh_from_db()
    assert dataset.status == DatasetStatus.WITHDRAWN

    client.post(reverse("catalogue:dataset-publish", args=[dataset.slug]))
    dataset.refresh_from_db()
    assert dataset.status == PUBLISHED


def test_dataset_withdraw_of_a_draft_says_it_cannot(client_for, publisher, organisation):
    dataset = DatasetFactory(publisher=organisation)
    client = client_for(publisher)
    url = reverse("catalogue:dataset-withdraw", args=[dataset.slug])

    page = html(client.get(url))
    response = client.post(url, follow=True)

    dataset.refresh_from_db()
    assert "You cannot do this now" in page
    assert dataset.status == DatasetStatus.DRAFT
    assert "cannot become withdrawn" in html(response)
