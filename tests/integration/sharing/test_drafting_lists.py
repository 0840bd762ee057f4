"""The drafting sections that are lists (views/drafting_sections.py): parties, datasets and a
dataset's fields grow by filling a blank row and shrink by ticking "remove", through formsets
whose refusals land in the error summary."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from interborough.sharing import services
from interborough.sharing.document import FIELD_HELP
from interborough.sharing.models import AgreementParty, AgreementStatus
from interborough.sharing.templates_library import TEMPLATES
from tests.factories.accounts import OrganisationFactory
from tests.factories.catalogue import DatasetFactory, ready_resource
from tests.factories.sharing import agreement_row, dataset_entry
from tests.integration.sharing.drafting import (
    REF,
    error_summary,
    html,
    posted,
    reload,
    section_url,
)

pytestmark = pytest.mark.django_db

# --- parties ----------------------------------------------------------------------------------


def test_draft_section_parties_adds_one_with_its_ico_number_from_its_record(
    client_for, drafter, draft
):
    newham = OrganisationFactory(
        name="London Borough of Newham", slug="newham", ico_registration="Z7654321"
    )
    data = posted(
        draft, "parties", **{"parties-2-organisation": "newham", "parties-2-role": "processor"}
    )

    response = client_for(drafter).post(section_url("parties"), data)

    parties = reload(draft).document["parties"]
    assert response.status_code == 302
    assert [p["organisation"] for p in parties] == ["camden", "hackney", "newham"]
    assert parties[2]["ico_registration"] == "Z7654321"
    assert parties[2]["name"] == newham.name
    assert parties[2]["role"] == "processor"
    assert AgreementParty.objects.filter(agreement=draft, organisation=newham).exists()


def test_draft_section_parties_removes_one(client_for, drafter, draft):
    client_for(drafter).post(
        section_url("parties"), posted(draft, "parties", **{"parties-1-DELETE": "on"})
    )

    assert [p["organisation"] for p in reload(draft).document["parties"]] == ["camden"]


def test_draft_section_parties_refuses_an_organisation_listed_twice(client_for, drafter, draft):
    response = client_for(drafter).post(
        section_url("parties"),
        posted(draft, "parties", **{"parties-2-organisation": "hackney"}),
    )

    assert "already a party" in error_summary(response)
    assert len(reload(draft).document["parties"]) == 2


def test_draft_section_parties_shows_the_services_refusal_in_the_summary(
    client_for, drafter, draft
):
    response = client_for(drafter).post(
        section_url("parties"), posted(draft, "parties", **{"parties-0-DELETE": "on"})
    )

    assert "leads this agreement: keep it a party" in error_summary(response)
    assert len(reload(draft).document["parties"]) == 2


def test_draft_section_parties_with_a_tampered_formset_is_refused_cleanly(
    client_for, drafter, draft
):
    response = client_for(drafter).post(
        section_url("parties"), {"parties-TOTAL_FORMS": "x", "parties-INITIAL_FORMS": "0"}
    )

    assert response.status_code == 200
    assert "reload the page and try again" in error_summary(response)
    assert len(reload(draft).document["parties"]) == 2


# --- data ---------------------------------------------------------------------------------------


def test_draft_section_data_adds_a_dataset_keyed_from_its_title(client_for, drafter, draft):
    data = posted(
        draft,
        "data",
        **{
            "datasets-1-title": "Council tax support",
            "datasets-1-provided_by": "hackney",
            "datasets-1-period_months": "12",
        },
    )

    response = client_for(drafter).post(section_url("data"), data)

    datasets = reload(draft).document["data"]["datasets"]
    assert response.status_code == 302
    assert [d["key"] for d in datasets] == ["placements", "council-tax-support"]
    assert datasets[1]["retention"]["period_months"] == 12
    assert datasets[1]["fields"] == []
    # The first dataset keeps the fields listed on its own page.
    assert len(datasets[0]["fields"]) == 4


def test_draft_section_data_links_each_dataset_to_its_fields_page(client_for, drafter, draft):
    page = html(client_for(drafter).get(section_url("data")))

    assert reverse("sharing:draft-dataset", args=[REF, 1, "placements"]) in page
    assert "4 fields listed" in page


def test_draft_section_data_offers_published_catalogue_datasets(
    client_for, drafter, draft, organisation
):
    DatasetFactory(
        publisher=organisation, slug="rough-sleeping", title="Rough sleeping", status="published"
    )
    DatasetFactory(publisher=organisation, slug="secret-draft", title="Secret", status="draft")

    page = html(client_for(drafter).get(section_url("data")))

    assert '<option value="rough-sleeping">Rough sleeping</option>' in page
    assert "secret-draft" not in page


def test_draft_dataset_adds_and_removes_fields(client_for, drafter, draft):
    url = reverse("sharing:draft-dataset", args=[REF, 1, "placements"])
    data = posted(
        draft,
        "data",
        key="placements",
        **{
            "fields-0-DELETE": "on",
            "fields-4-name": "ward",
            "fields-4-sensitivity": "non_personal",
            "fields-4-identifier_type": "attribute",
            "fields-4-transformation": "clear",
            "fields-4-need": "To count by ward.",
        },
    )

    response = client_for(drafter).post(url, data)

    fields = reload(draft).document["data"]["datasets"][0]["fields"]
    assert response.status_code == 302
    assert response["Location"] == section_url("data")
    assert [f["name"] for f in fields] == ["surname", "placing_borough", "placement_start", "ward"]
    assert fields[-1]["transformation"] == "clear"
    assert reload(draft).coverage.get().fields["ward"] == "clear"


def test_draft_dataset_asks_for_the_name_of_a_field_described_without_one(
    client_for, drafter, draft
):
    url = reverse("sharing:draft-dataset", args=[REF, 1, "placements"])

    response = client_for(drafter).post(
        url, posted(draft, "data", key="placements", **{"fields-5-need": "Because."})
    )

    assert "Give the field&#x27;s name" in error_summary(response)


def test_draft_dataset_of_an_unknown_key_is_not_found(client_for, drafter, draft):
    url = reverse("sharing:draft-dataset", args=[REF, 1, "nothing-here"])

    assert client_for(drafter).get(url).status_code == 404


def test_draft_dataset_explains_each_answer_and_lists_the_data_stores_fields(
    client_for, drafter, parties, organisation
):
    dataset = DatasetFactory(publisher=organisation, slug="outreach", status="published")
    ready_resource(by=drafter, dataset=dataset, content=b"site,count\nKentish Town,3\n")
    entry = dataset_entry(organisation, key="outreach", catalogue_dataset="outreach")
    agreement_row(parties, status=AgreementStatus.DRAFT, reference=REF, datasets=[entry])

    page = html(
        client_for(drafter).get(reverse("sharing:draft-dataset", args=[REF, 1, "outreach"]))
    )

    assert escape(FIELD_HELP["data.datasets[].fields[].transformation"]) in page
    assert "Fields in the data store's latest version of this dataset: count, site." in page


def test_draft_dataset_says_beside_each_field_why_the_template_lists_it(
    client_for, drafter, organisation
):
    agreement = services.agreement_create(
        by=drafter, organisation=organisation, title="T", template="homelessness-ta"
    )
    template = TEMPLATES["homelessness-ta"]
    dataset = template.document_fragment["data"]["datasets"][0]
    why = template.explanations["data.datasets.0.fields.0"]
    url = reverse("sharing:draft-dataset", args=[agreement.reference, 1, dataset["key"]])

    page = html(client_for(drafter).get(url))

    first_field = page.index(f"Field 1: {dataset['fields'][0]['name']}")
    assert page.index(escape(why)) > first_field
    assert page.count(escape(why)) == 1
