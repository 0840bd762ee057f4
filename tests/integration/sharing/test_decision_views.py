"""Decisions on a version: approving the exact text, sending it back, and managing it."""

import pytest
from django.urls import reverse
from django.utils import timezone

from interborough.sharing.document import text_hash
from interborough.sharing.models import (
    AgreementApproval,
    AgreementStatus,
    DataSharingAgreement,
)
from tests.factories.accounts import MembershipFactory, OrganisationFactory
from tests.factories.sharing import agreement_row

pytestmark = pytest.mark.django_db

REF = "DSA-2026-0001"


@pytest.fixture
def parties(organisation, other_organisation):
    return [organisation, other_organisation]


@pytest.fixture
def camden_lead(organisation):
    return MembershipFactory(organisation=organisation, role="ig_lead").user


@pytest.fixture
def hackney_lead(other_organisation):
    return MembershipFactory(organisation=other_organisation, role="ig_lead").user


def submitted(parties):
    agreement = agreement_row(parties, reference=REF, status=AgreementStatus.SUBMITTED)
    agreement.text_hash = text_hash(agreement.document)
    agreement.submitted_at = timezone.now()
    agreement.save()
    return agreement


def _url(name, version=1):
    return reverse(f"sharing:{name}", args=[REF, version])


def _approvals():
    return list(
        AgreementApproval.objects.values_list("organisation__slug", "decision", "text_hash")
    )


# --- approve -------------------------------------------------------------------------------


def test_approve_page_shows_what_is_being_approved(client_for, parties, camden_lead):
    agreement = submitted(parties)

    response = client_for(camden_lead).get(_url("version-approve"))
    page = response.content.decode()

    assert response.status_code == 200
    assert agreement.text_hash in page
    assert f'<input type="hidden" name="text_hash" value="{agreement.text_hash}">' in page
    assert "Approving for" in page and "London Borough of Camden" in page
    assert _url("version-detail") in page
    assert 'type="radio"' not in page  # one organisation: nothing to choose


def test_approve_page_links_to_the_changes_since_the_version_it_supersedes(
    client_for, parties, camden_lead
):
    first = agreement_row(parties, reference=REF, status=AgreementStatus.ACTIVE)
    second = agreement_row(parties, reference=REF, version=2, status=AgreementStatus.SUBMITTED)
    second.supersedes = first
    second.text_hash = text_hash(second.document)
    second.save()

    page = client_for(camden_lead).get(_url("version-approve", 2)).content.decode()

    assert reverse("sharing:version-diff", args=[REF]) + "?from=1&amp;to=2" in page


def test_approve_records_the_hash_and_the_last_party_makes_it_agreed(
    client_for, parties, camden_lead, hackney_lead
):
    agreement = submitted(parties)

    first = client_for(camden_lead).post(
        _url("version-approve"), {"organisation": "camden", "text_hash": agreement.text_hash}
    )
    agreement.refresh_from_db()
    assert first["Location"] == _url("version-detail")
    assert agreement.status == AgreementStatus.SUBMITTED
    assert _approvals() == [("camden", "approved", agreement.text_hash)]

    client_for(hackney_lead).post(
        _url("version-approve"), {"organisation": "hackney", "text_hash": agreement.text_hash}
    )
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.ACTIVE  # its start date has already come


def test_approve_lead_of_several_parties_chooses_the_organisation(client_for, parties):
    agreement = submitted(parties)
    both = MembershipFactory(organisation=parties[0], role="ig_lead").user
    MembershipFactory(user=both, organisation=parties[1], role="ig_lead")
    client = client_for(both)

    page = client.get(_url("version-approve")).content.decode()
    missing = client.post(_url("version-approve"), {"text_hash": agreement.text_hash})

    assert page.count('type="radio"') == 2
    assert missing.status_code == 200
    assert "Choose the organisation you are deciding for." in missing.content.decode()
    assert _approvals() == []
    client.post(
        _url("version-approve"), {"organisation": "hackney", "text_hash": agreement.text_hash}
    )
    assert _approvals() == [("hackney", "approved", agreement.text_hash)]


def test_approve_for_another_organisation_is_refused(client_for, parties, camden_lead):
    agreement = submitted(parties)

    response = client_for(camden_lead).post(
        _url("version-approve"), {"organisation": "hackney", "text_hash": agreement.text_hash}
    )

    assert response.status_code == 200
    assert "Choose the organisation you are deciding for." in response.content.decode()
    assert _approvals() == []


def test_approve_a_stale_hash_is_refused_and_the_page_shows_the_current_one(
    client_for, parties, camden_lead
):
    agreement = submitted(parties)

    response = client_for(camden_lead).post(
        _url("version-approve"), {"organisation": "camden", "text_hash": "0" * 64}
    )
    page = response.content.decode()

    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert "The agreement has changed since you read it" in page
    assert f'name="text_hash" value="{agreement.text_hash}"' in page
    assert _approvals() == []


def test_approve_without_a_hash_is_refused(client_for, parties, camden_lead):
    submitted(parties)

    response = client_for(camden_lead).post(_url("version-approve"), {"organisation": "camden"})

    assert "The agreement text is missing: open this page again." in response.content.decode()
    assert _approvals() == []


def test_approve_party_member_without_the_role_is_forbidden(client_for, parties, member):
    agreement = submitted(parties)

    assert client_for(member).get(_url("version-approve")).status_code == 403
    response = client_for(member).post(
        _url("version-approve"), {"organisation": "camden", "text_hash": agreement.text_hash}
    )
    assert response.status_code == 403
    assert _approvals() == []


def test_approve_staff_never_decide(client_for, parties, staff):
    submitted(parties)

    assert client_for(staff).get(_url("version-approve")).status_code == 403


def test_approve_non_party_gets_404_and_anonymous_signs_in(client, client_for, parties):
    submitted(parties)
    stranger = MembershipFactory(organisation=OrganisationFactory(), role="ig_lead").user

    assert client_for(stranger).get(_url("version-approve")).status_code == 404
    response = client.get(_url("version-approve"))
    assert response.status_code == 302
    assert reverse("accounts:sign-in") in response["Location"]


def test_approve_when_nothing_waits_goes_back_with_a_message(client_for, parties, camden_lead):
    agreement_row(parties, reference=REF)  # active: nothing to approve

    response = client_for(camden_lead).get(_url("version-approve"), follow=True)

    assert response.redirect_chain[-1][0] == _url("version-detail")
    assert "only a submitted version waits for decisions" in response.content.decode()


def test_approve_twice_for_the_same_party_is_refused(client_for, parties, camden_lead):
    agreement = submitted(parties)
    client = client_for(camden_lead)
    data = {"organisation": "camden", "text_hash": agreement.text_hash}

    client.post(_url("version-approve"), data)
    again = client.post(_url("version-approve"), data, follow=True)

    assert "has approved this text" in again.content.decode()
    assert len(_approvals()) == 1


# --- request changes -----------------------------------------------------------------------


def test_request_changes_needs_a_comment(client_for, parties, camden_lead):
    submitted(parties)

    response = client_for(camden_lead).post(
        _url("version-request-changes"), {"organisation": "camden", "comment": "  "}
    )

    assert response.status_code == 200
    assert "Enter what needs to change." in response.content.decode()
    assert DataSharingAgreement.objects.get().status == AgreementStatus.SUBMITTED


def test_request_changes_sends_the_version_back(client_for, parties, hackney_lead):
    submitted(parties)

    response = client_for(hackney_lead).post(
        _url("version-request-changes"),
        {"organisation": "hackney", "comment": "Add the ward field's retention."},
    )

    agreement = DataSharingAgreement.objects.get()
    assert response["Location"] == _url("version-detail")
    assert agreement.status == AgreementStatus.CHANGES_REQUESTED
    assert agreement.status_reason == "Add the ward field's retention."
    assert _approvals() == [("hackney", "changes_requested", agreement.text_hash)]


def test_request_changes_party_member_is_forbidden(client_for, parties, member):
    submitted(parties)

    assert client_for(member).get(_url("version-request-changes")).status_code == 403


# --- suspend, resume, terminate, new version -------------------------------------------------


def test_suspend_needs_a_reason_then_suspends(client_for, parties, camden_lead):
    agreement_row(parties, reference=REF)
    client = client_for(camden_lead)

    blank = client.post(_url("version-suspend"), {"reason": ""})
    done = client.post(_url("version-suspend"), {"reason": "A breach is being investigated."})

    assert "Enter the reason." in blank.content.decode()
    assert done["Location"] == _url("version-detail")
    agreement = DataSharingAgreement.objects.get()
    assert agreement.status == AgreementStatus.SUSPENDED
    assert agreement.status_reason == "A breach is being investigated."


def test_suspend_page_explains_when_it_cannot_be_done(client_for, parties, camden_lead):
    agreement_row(parties, reference=REF, status=AgreementStatus.EXPIRED)

    page = client_for(camden_lead).get(_url("version-suspend")).content.decode()

    assert "so it cannot be suspended" in page
    assert "<textarea" not in page


def test_suspend_party_member_is_forbidden_and_non_party_gets_404(client_for, parties, member):
    agreement_row(parties, reference=REF, status=AgreementStatus.SUBMITTED, in_register=True)
    stranger = MembershipFactory(organisation=OrganisationFactory(), role="ig_lead").user

    assert client_for(member).post(_url("version-suspend"), {"reason": "x"}).status_code == 403
    assert client_for(stranger).get(_url("version-suspend")).status_code == 404
    assert DataSharingAgreement.objects.get().status == AgreementStatus.SUBMITTED


def test_resume_makes_a_suspended_agreement_active_again(client_for, parties, hackney_lead):
    agreement_row(parties, reference=REF, status=AgreementStatus.SUSPENDED)

    response = client_for(hackney_lead).post(_url("version-resume"))

    assert response["Location"] == _url("version-detail")
    assert DataSharingAgreement.objects.get().status == AgreementStatus.ACTIVE


def test_resume_refusal_shows_as_a_message(client_for, parties, hackney_lead):
    agreement_row(parties, reference=REF)  # active already

    response = client_for(hackney_lead).post(_url("version-resume"), follow=True)

    assert 'class="govuk-notification-banner"' in response.content.decode()
    assert DataSharingAgreement.objects.get().status == AgreementStatus.ACTIVE


def test_resume_only_answers_post(client_for, parties, hackney_lead):
    agreement_row(parties, reference=REF, status=AgreementStatus.SUSPENDED)

    assert client_for(hackney_lead).get(_url("version-resume")).status_code == 405


def test_terminate_ends_the_agreement_with_its_reason(client_for, parties, camden_lead):
    agreement_row(parties, reference=REF)

    client_for(camden_lead).post(_url("version-terminate"), {"reason": "The project closed."})

    agreement = DataSharingAgreement.objects.get()
    assert agreement.status == AgreementStatus.TERMINATED
    assert agreement.status_reason == "The project closed."
    assert agreement.ended_at is not None


def test_new_version_opens_the_new_draft_task_list(client_for, parties, camden_lead):
    agreement_row(parties, reference=REF)

    response = client_for(camden_lead).post(_url("version-new"))

    draft = DataSharingAgreement.objects.get(reference=REF, version=2)
    assert draft.status == AgreementStatus.DRAFT
    assert response["Location"] == reverse("sharing:draft-tasks", args=[REF, 2])


def test_new_version_refused_while_one_is_open(client_for, parties, camden_lead):
    agreement_row(parties, reference=REF)
    agreement_row(parties, reference=REF, version=2, status=AgreementStatus.DRAFT)

    response = client_for(camden_lead).post(_url("version-new"), follow=True)

    assert response.redirect_chain[-1][0] == _url("version-detail")
    assert "is already draft" in response.content.decode()
    assert DataSharingAgreement.objects.filter(reference=REF).count() == 2


def test_new_version_party_member_is_forbidden(client_for, parties, member):
    agreement_row(parties, reference=REF)

    assert client_for(member).post(_url("version-new")).status_code == 403
    assert DataSharingAgreement.objects.count() == 1


# --- withdraw ------------------------------------------------------------------------------


def test_withdraw_takes_a_submitted_version_back_to_its_task_list(client_for, parties):
    submitted(parties)
    publisher = MembershipFactory(organisation=parties[0], role="publisher").user

    response = client_for(publisher).post(_url("version-withdraw"))

    assert response["Location"] == _url("draft-tasks")
    agreement = DataSharingAgreement.objects.get()
    assert agreement.status == AgreementStatus.DRAFT
    assert agreement.text_hash == ""


def test_withdraw_button_shows_only_to_the_lead_organisations_drafters(
    client_for, parties, camden_lead, hackney_lead
):
    submitted(parties)
    button = "Withdraw to make changes"

    assert button in client_for(camden_lead).get(_url("version-detail")).content.decode()
    assert button not in client_for(hackney_lead).get(_url("version-detail")).content.decode()


def test_withdraw_is_refused_to_another_party(client_for, parties, hackney_lead):
    submitted(parties)

    assert client_for(hackney_lead).post(_url("version-withdraw")).status_code == 403
    assert DataSharingAgreement.objects.get().status == AgreementStatus.SUBMITTED


def test_withdraw_of_an_active_agreement_is_refused_with_a_message(
    client_for, parties, camden_lead
):
    agreement_row(parties, reference=REF)

    response = client_for(camden_lead).post(_url("version-withdraw"), follow=True)

    assert "only a submitted version can be withdrawn" in response.content.decode()
    assert DataSharingAgreement.objects.get().status == AgreementStatus.ACTIVE
