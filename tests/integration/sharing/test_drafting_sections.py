"""Editing a draft one section at a time (views/drafting_sections.py): each section's form
saves its part of the document, refusals land in the error summary, and the template's
reasons for what it pre-filled are shown. Parties and data are in test_drafting_lists.py."""

import pytest
from django.utils.html import escape

from interborough.core.models import AuditEvent
from interborough.sharing import services, vocab
from interborough.sharing.document import FIELD_HELP
from interborough.sharing.ethics import QUESTIONS
from interborough.sharing.models import AgreementStatus, DataSharingAgreement
from interborough.sharing.templates_library import TEMPLATES
from tests.factories.sharing import agreement_row
from tests.integration.sharing.drafting import (
    REF,
    error_summary,
    html,
    posted,
    reload,
    section_url,
    tasks_url,
)

pytestmark = pytest.mark.django_db

# --- one section at a time --------------------------------------------------------------------


def test_draft_section_shows_each_field_with_its_plain_english_help(client_for, drafter, draft):
    response = client_for(drafter).get(section_url("about"))

    page = html(response)
    assert response.status_code == 200
    assert '<h1 class="govuk-heading-xl">About the agreement</h1>' in page
    assert escape(FIELD_HELP["title"]) in page
    assert "For example, 27/03/2026" in page
    assert "Save and return to the task list" in page


def test_draft_section_saves_and_returns_to_the_task_list_with_a_banner(client_for, drafter, draft):
    client = client_for(drafter)
    response = client.post(
        section_url("about"),
        posted(
            draft,
            "about",
            title="Renamed agreement",
            start="1/4/2026",
            end="31 March 2028",
            review="01-04-2027",
        ),
    )

    agreement = reload(draft)
    assert response.status_code == 302 and response["Location"] == tasks_url()
    assert agreement.title == "Renamed agreement"
    assert agreement.document["dates"] == {
        "start": "2026-04-01",
        "end": "2028-03-31",
        "review": "2027-04-01",
    }
    assert agreement.start_date.isoformat() == "2026-04-01"
    banner = html(client.get(response["Location"]))
    assert "About the agreement: your changes have been saved." in banner
    assert AuditEvent.objects.filter(action="agreement.section_update").exists()


def test_draft_section_shows_form_errors_in_the_summary_and_saves_nothing(
    client_for, drafter, draft
):
    before = reload(draft).document
    response = client_for(drafter).post(
        section_url("about"), posted(draft, "about", title="", start="31/02/2026")
    )

    summary = error_summary(response)
    assert response.status_code == 200
    assert "Enter a title for the agreement" in summary
    assert "Enter the start date as a real date" in summary
    assert 'href="#id_start"' in summary
    assert reload(draft).document == before


def test_draft_section_of_an_unknown_section_is_not_found(client_for, drafter, draft):
    assert client_for(drafter).get(section_url("nonsense")).status_code == 404


def test_draft_section_purpose_saves_text_and_dpv_codes(client_for, drafter, draft):
    client_for(drafter).post(
        section_url("purpose"),
        posted(
            draft, "purpose", description=" Count placements. ", dpv_purposes=["dpv:PublicBenefit"]
        ),
    )

    purpose = reload(draft).document["purpose"]
    assert purpose["description"] == "Count placements."
    assert purpose["dpv_purposes"] == ["dpv:PublicBenefit"]


def test_draft_section_legal_basis_keeps_a_refined_citation_and_adds_other_powers(
    client_for, drafter, draft
):
    client_for(drafter).post(
        section_url("legal-basis"),
        posted(
            draft,
            "legal-basis",
            gateways=["housing-act-1996-part-7", "children-act-2004-s10"],
            other_gateways="Local Government Act 1972 s111\n\n",
            article10_condition="",
        ),
    )

    legal = reload(draft).document["legal_basis"]
    assert legal["statutory_gateways"] == [
        {"code": "housing-act-1996-part-7", "citation": "Housing Act 1996 Part 7 and s213B"},
        {
            "code": "children-act-2004-s10",
            "citation": vocab.STATUTORY_GATEWAYS["children-act-2004-s10"],
        },
        {"code": "other", "citation": "Local Government Act 1972 s111"},
    ]
    assert legal["article10_condition"] is None


def test_draft_section_dpia_records_the_screening_as_answered_and_shows_its_conclusion(
    client_for, drafter, organisation
):
    agreement = services.agreement_create(by=drafter, organisation=organisation, title="T")
    client = client_for(drafter)
    assert "Answer the DPIA screening questions" in html(client.get(tasks_url(agreement)))

    client.post(section_url("dpia", agreement), {"reference": "", "date": ""})

    dpia = reload(agreement).document["dpia"]
    assert dpia["screening"] == {"answered": True, "criteria": []}
    page = html(client.get(section_url("dpia", agreement)))
    assert "is not required by the screening" in page
    assert "Answer the DPIA screening questions" not in html(client.get(tasks_url(agreement)))


def test_draft_section_dpia_ticked_criteria_conclude_a_dpia_is_required(
    client_for, drafter, organisation
):
    agreement = services.agreement_create(by=drafter, organisation=organisation, title="T")
    client = client_for(drafter)

    client.post(
        section_url("dpia", agreement),
        {
            "criteria": ["large_scale", "evaluation_scoring"],
            "reference": "DPIA-1",
            "date": "02/03/2026",
        },
    )

    dpia = reload(agreement).document["dpia"]
    assert dpia["screening"]["criteria"] == ["large_scale", "evaluation_scoring"]
    assert dpia["date"] == "2026-03-02"
    page = html(client.get(section_url("dpia", agreement)))
    assert "A full data protection impact assessment is required." in page
    assert 'value="large_scale" aria-describedby="criterion-large_scale-hint" checked' in page


def test_draft_section_processing_without_any_disclosure_rule_has_no_profile(
    client_for, drafter, draft
):
    data = posted(
        draft,
        "processing",
        linkage_keys="household_id, surname, household_id",
        permitted_operations=["read", "link"],
    )
    for key in (
        "minimum_cell_count",
        "rounding_base",
        "dominance_n",
        "dominance_percent",
        "secondary_suppression",
        "two_person_check",
    ):
        data.pop(key, None)

    client_for(drafter).post(section_url("processing"), data)

    processing = reload(draft).document["processing"]
    assert processing["linkage"]["keys"] == ["household_id", "surname"]
    assert processing["permitted_operations"] == ["read", "link"]
    assert processing["output_disclosure_profile"] is None


def test_draft_section_processing_saves_the_disclosure_profile_as_numbers(
    client_for, drafter, draft
):
    client_for(drafter).post(
        section_url("processing"),
        posted(
            draft,
            "processing",
            minimum_cell_count="7",
            dominance_percent="85.5",
            secondary_suppression="no",
        ),
    )

    profile = reload(draft).document["processing"]["output_disclosure_profile"]
    assert profile["minimum_cell_count"] == 7
    assert profile["dominance_percent"] == 85.5
    assert profile["rounding_base"] == 5
    assert profile["secondary_suppression"] is False


def test_draft_section_rights_refuses_a_privacy_notice_that_is_not_a_web_address(
    client_for, drafter, draft
):
    response = client_for(drafter).post(
        section_url("rights"),
        posted(
            draft, "rights", privacy_notices="camden.gov.uk/privacy", breach_notification_hours="96"
        ),
    )

    summary = error_summary(response)
    assert "is not a web address" in summary
    assert "between 1 and 72" in summary


def test_draft_section_register_and_ethics_save_their_answers(client_for, drafter, draft):
    client = client_for(drafter)
    client.post(section_url("register"), posted(draft, "register", publish="no"))
    client.post(section_url("ethics"), posted(draft, "ethics", transparency="A notice."))

    document = reload(draft).document
    assert document["register"]["publish"] is False
    assert reload(draft).in_register is False
    assert document["ethics"]["transparency"] == "A notice."


def test_draft_section_ethics_asks_each_checklist_question_with_its_guidance(
    client_for, drafter, draft
):
    page = html(client_for(drafter).get(section_url("ethics")))

    for question in QUESTIONS:
        assert escape(question.question) in page
        assert escape(question.guidance) in page


def test_draft_section_explains_what_the_template_prefilled(client_for, drafter, organisation):
    agreement = services.agreement_create(
        by=drafter, organisation=organisation, title="T", template="homelessness-ta"
    )
    why = TEMPLATES["homelessness-ta"].explanations

    page = html(client_for(drafter).get(section_url("legal-basis", agreement)))

    assert "Why the template pre-filled this" in page
    shown = [text for path, text in why.items() if path.startswith("legal_basis")]
    assert shown and all(escape(text) in page for text in shown)


def test_draft_section_of_a_changes_requested_version_makes_it_a_draft_again(
    client_for, drafter, parties
):
    agreement = agreement_row(parties, status=AgreementStatus.CHANGES_REQUESTED, reference=REF)
    DataSharingAgreement.objects.filter(pk=agreement.pk).update(status_reason="Fix the dates.")
    client = client_for(drafter)
    assert "Fix the dates." in html(client.get(tasks_url()))

    client.post(section_url("purpose"), posted(agreement, "purpose", success_measures="More."))

    assert reload(agreement).status == AgreementStatus.DRAFT
