"""The "Agreements waiting for you" page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from interborough.sharing.document import text_hash
from interborough.sharing.models import AgreementStatus
from tests.factories.accounts import MembershipFactory
from tests.factories.sharing import agreement_row

pytestmark = pytest.mark.django_db

URL = reverse("sharing:actions")


@pytest.fixture
def parties(organisation, other_organisation):
    return [organisation, other_organisation]


def _submitted(parties, reference):
    agreement = agreement_row(parties, reference=reference, status=AgreementStatus.SUBMITTED)
    agreement.text_hash = text_hash(agreement.document)
    agreement.submitted_at = timezone.now()
    agreement.save()
    return agreement


def test_actions_anonymous_is_sent_to_sign_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert reverse("accounts:sign-in") in response["Location"]


def test_actions_empty_states_in_plain_english(client_for, member):
    page = client_for(member).get(URL).content.decode()

    assert "Nothing is waiting for your approval." in page
    assert "You have no drafts to finish." in page
    assert "None of your organisations' agreements is waiting on another party." in page
    assert "No review or end dates fall in the next 60 days." in page


def test_actions_ig_lead_sees_what_to_approve_and_dates_due(
    client_for, parties, other_organisation
):
    hackney_lead = MembershipFactory(organisation=other_organisation, role="ig_lead").user
    waiting = _submitted(parties, "DSA-2026-0001")
    start = timezone.localdate() - timedelta(days=300)
    ending = agreement_row(
        parties,
        reference="DSA-2026-0002",
        start=start,
        end=timezone.localdate() + timedelta(days=20),
    )

    response = client_for(hackney_lead).get(URL)
    page = response.content.decode()

    assert response.context["awaiting"].to_approve[0].agreement == waiting
    assert "To approve (1)" in page
    assert reverse("sharing:version-detail", args=[waiting.reference, 1]) in page
    assert "Review or end dates coming up (1)" in page
    assert reverse("sharing:version-detail", args=[ending.reference, 1]) in page
    assert "in 20 days" in page


def test_actions_drafter_sees_drafts_and_parties_still_to_approve(
    client_for, parties, organisation
):
    publisher = MembershipFactory(organisation=organisation, role="publisher").user
    draft = agreement_row(parties, reference="DSA-2026-0001", status=AgreementStatus.DRAFT)
    _submitted(parties, "DSA-2026-0002")

    page = client_for(publisher).get(URL).content.decode()

    assert "To finish (1)" in page
    assert reverse("sharing:draft-tasks", args=[draft.reference, 1]) in page
    assert "Waiting on other parties (1)" in page
    waiting = page[page.index("Waiting on other parties") :]
    assert "London Borough of Camden, London Borough of Hackney" in waiting
