"""The drafting journey: starting an agreement, the task list, one section at a time,
submitting it, and the template library (views/drafting*.py)."""

import copy
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from interborough.core.models import AuditEvent
from interborough.sharing import services
from interborough.sharing.document import SECTIONS
from interborough.sharing.models import AgreementParty, AgreementStatus, DataSharingAgreement
from interborough.sharing.templates_library import TEMPLATES
from tests.factories.accounts import MembershipFactory, OrganisationFactory
from tests.factories.sharing import agreement_row
from tests.integration.sharing.drafting import (
    REF,
    error_summary,
    html,
    reload,
    section_url,
    tasks_url,
)

pytestmark = pytest.mark.django_db

# --- starting an agreement ----------------------------------------------------------------------


def test_agreement_new_offers_every_template_and_the_other_organisations(
    client_for, drafter, other_organisation
):
    response = client_for(drafter).get(reverse("sharing:agreement-new"))

    page = html(response)
    assert response.status_code == 200
    for template in TEMPLATES.values():
        assert template.title in page
        assert reverse("sharing:template-detail", args=[template.key]) in page
    assert "Start from a blank agreement" in page
    assert f'value="{other_organisation.slug}"' in page
    # One drafting organisation: it leads, so it is not offered as another party.
    assert 'value="camden"' not in page


def test_agreement_new_refuses_people_who_cannot_draft_and_says_who_can(client_for, member):
    response = client_for(member).get(reverse("sharing:agreement-new"))

    assert response.status_code == 403
    assert "publishers, organisation admins and information governance leads" in html(response)


def test_agreement_new_sends_anonymous_visitors_to_sign_in(client):
    response = client.get(reverse("sharing:agreement-new"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))


def test_agreement_new_from_a_template_starts_a_draft_with_its_parties(
    client_for, drafter, organisation, other_organisation
):
    response = client_for(drafter).post(
        reverse("sharing:agreement-new"),
        {
            "title": "  Placements   across boroughs ",
            "template": "homelessness-ta",
            "parties": [other_organisation.slug],
        },
    )

    agreement = DataSharingAgreement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == tasks_url(agreement)
    assert agreement.title == "Placements across boroughs"
    assert agreement.template == "homelessness-ta"
    assert agreement.status == AgreementStatus.DRAFT
    assert agreement.lead_organisation == organisation
    assert {p.organisation for p in AgreementParty.objects.filter(agreement=agreement)} == {
        organisation,
        other_organisation,
    }
    assert agreement.document["purpose"]["description"]  # pre-filled by the template
    assert AuditEvent.objects.filter(action="agreement.create").exists()


def test_agreement_new_blank_starts_an_empty_draft(client_for, drafter, organisation):
    client_for(drafter).post(
        reverse("sharing:agreement-new"), {"title": "Blank one", "template": "blank"}
    )

    agreement = DataSharingAgreement.objects.get()
    assert agreement.template == ""
    assert agreement.document["purpose"]["description"] == ""
    assert [p["organisation"] for p in agreement.document["parties"]] == [organisation.slug]


def test_agreement_new_shows_every_problem_in_the_error_summary(client_for, drafter):
    response = client_for(drafter).post(
        reverse("sharing:agreement-new"),
        {"title": " ", "template": "no-such-template", "parties": ["nowhere"]},
    )

    summary = error_summary(response)
    assert response.status_code == 200
    assert "Enter a title for the agreement" in summary
    assert "Choose a template from the list" in summary
    assert "Choose parties from the list" in summary
    assert not DataSharingAgreement.objects.exists()


def test_agreement_new_asks_someone_in_several_organisations_which_leads(
    client_for, drafter, other_organisation
):
    MembershipFactory(user=drafter, organisation=other_organisation, role="ig_lead")
    client = client_for(drafter)

    page = html(client.get(reverse("sharing:agreement-new")))
    refused = client.post(
        reverse("sharing:agreement-new"),
        {"organisation": "nowhere", "title": "T", "template": "blank"},
    )
    client.post(
        reverse("sharing:agreement-new"),
        {"organisation": other_organisation.slug, "title": "T", "template": "blank"},
    )

    assert "Which organisation leads the agreement?" in page
    assert "Choose one of the organisations you draft agreements for" in error_summary(refused)
    assert DataSharingAgreement.objects.get().lead_organisation == other_organisation


# --- the task list --------------------------------------------------------------------------


def test_draft_tasks_lists_every_section_with_what_is_still_missing(
    client_for, drafter, organisation
):
    agreement = services.agreement_create(by=drafter, organisation=organisation, title="New one")

    response = client_for(drafter).get(tasks_url(agreement))

    page = html(response)
    assert response.status_code == 200
    assert 'class="govuk-task-list"' in page
    for section in SECTIONS:
        assert section_url(section.slug, agreement) in page
        assert section.title in page
    # The title is given, but the dates are not.
    assert "Give the date the agreement starts" in page
    assert "Add at least two parties" in page
    assert page.count("Incomplete</strong>") == len(SECTIONS)
    assert "You can submit the agreement once every section is complete" in page
    assert "Submit for approval</button>" not in page


def test_draft_tasks_of_a_complete_draft_offers_to_submit_it(client_for, drafter, draft):
    page = html(client_for(drafter).get(tasks_url()))

    assert "Incomplete</strong>" not in page
    completed = re.findall(r'id="task-[a-z-]+-status">\s*Completed\s*</div>', page)
    assert len(completed) == len(SECTIONS)
    assert f"You have completed {len(SECTIONS)} of {len(SECTIONS)} sections" in page
    assert reverse("sharing:draft-submit", args=[REF, 1]) in page
    assert "Submit for approval</button>" in page


def test_draft_tasks_shows_the_dpia_screening_conclusion(client_for, drafter, draft):
    page = html(client_for(drafter).get(tasks_url()))

    # The canonical document ticks two WP248 criteria (matching datasets, vulnerable people).
    assert "A full data protection impact assessment is required." in page
    assert "Matching or combining datasets" in page


def test_draft_tasks_lists_contradictions_with_a_link_to_their_section(client_for, drafter, draft):
    document = copy.deepcopy(draft.document)
    document["dates"]["end"] = (timezone.localdate() - timedelta(days=400)).isoformat()
    DataSharingAgreement.objects.filter(pk=draft.pk).update(document=document)

    page = html(client_for(drafter).get(tasks_url()))

    problems = re.search(
        r'<ul class="govuk-list govuk-list--bullet" id="problems">.*?</ul>', page, re.S
    )
    assert problems, "no problems listed"
    assert section_url("about") in problems.group(0)
    assert "Submit for approval</button>" not in page


def test_draft_tasks_sends_a_party_member_to_the_agreement_page(
    client_for, draft, other_organisation
):
    reader = MembershipFactory(organisation=other_organisation, role="ig_lead").user

    response = client_for(reader).get(tasks_url())

    assert response.status_code == 302
    assert response["Location"] == reverse("sharing:version-detail", args=[REF, 1])


def test_draft_tasks_sends_the_drafter_of_a_submitted_version_to_its_page(
    client_for, drafter, parties
):
    agreement_row(parties, status=AgreementStatus.SUBMITTED, reference=REF)

    response = client_for(drafter).get(tasks_url())

    assert response.status_code == 302
    assert response["Location"] == reverse("sharing:version-detail", args=[REF, 1])


def test_draft_tasks_is_not_found_for_anyone_outside_the_parties(client_for, draft):
    outsider = MembershipFactory(organisation=OrganisationFactory(), role="publisher").user

    assert client_for(outsider).get(tasks_url()).status_code == 404
    assert client_for(outsider).get(section_url("about")).status_code == 404
    assert client_for(outsider).get(tasks_url(version=7)).status_code == 404


# --- submitting -------------------------------------------------------------------------------


def test_draft_submit_sends_a_complete_draft_for_approval(client_for, drafter, draft):
    response = client_for(drafter).post(reverse("sharing:draft-submit", args=[REF, 1]))

    agreement = reload(draft)
    assert response.status_code == 302
    assert response["Location"] == reverse("sharing:version-detail", args=[REF, 1])
    assert agreement.status == AgreementStatus.SUBMITTED
    assert agreement.text_hash


def test_draft_submit_refused_lists_what_is_missing_by_section(client_for, drafter, organisation):
    agreement = services.agreement_create(by=drafter, organisation=organisation, title="Early")

    response = client_for(drafter).post(
        reverse("sharing:draft-submit", args=[agreement.reference, 1])
    )

    summary = error_summary(response)
    assert response.status_code == 200
    assert "The agreement cannot be submitted yet" in summary
    assert 'href="#task-parties"' in summary
    assert "Add at least two parties" in summary
    assert reload(agreement).status == AgreementStatus.DRAFT


def test_draft_submit_only_answers_post(client_for, drafter, draft):
    assert (
        client_for(drafter).get(reverse("sharing:draft-submit", args=[REF, 1])).status_code == 405
    )


# --- the template library -------------------------------------------------------------------


def test_template_list_describes_every_template_to_anyone(client):
    response = client.get(reverse("sharing:template-list"))

    page = html(response)
    assert response.status_code == 200
    for template in TEMPLATES.values():
        assert escape(template.title) in page
        assert escape(template.summary) in page


def test_template_detail_shows_what_it_prefills_and_why(client):
    template = TEMPLATES["homelessness-ta"]

    response = client.get(reverse("sharing:template-detail", args=["homelessness-ta"]))

    page = html(response)
    assert response.status_code == 200
    assert template.title in page
    shown = [why for why in template.explanations.values() if escape(why) in page]
    assert len(shown) == len(template.explanations)
    assert "Housing Act 1996" in page


def test_template_detail_of_an_unknown_template_is_not_found(client):
    assert client.get(reverse("sharing:template-detail", args=["nope"])).status_code == 404


def test_agreement_new_narrowed_to_one_organisation_starts_it_there(
    client_for, drafter, organisation, other_organisation
):
    MembershipFactory(user=drafter, organisation=other_organisation, role="ig_lead")
    url = f"{reverse('sharing:agreement-new')}?organisation={other_organisation.slug}"
    client = client_for(drafter)

    page = html(client.get(url))
    client.post(url, {"title": "T", "template": "blank"})
    refused = client.get(f"{reverse('sharing:agreement-new')}?organisation=elsewhere")

    assert "Which organisation leads the agreement?" not in page
    assert DataSharingAgreement.objects.get().lead_organisation == other_organisation
    assert refused.status_code == 403
