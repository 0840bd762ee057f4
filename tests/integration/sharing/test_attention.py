"""The sharing framework's items on the home page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from interborough.sharing.attention import items_for
from interborough.sharing.document import text_hash
from interborough.sharing.models import AgreementStatus
from tests.factories.accounts import MembershipFactory
from tests.factories.sharing import agreement_row

pytestmark = pytest.mark.django_db


@pytest.fixture
def parties(organisation, other_organisation):
    return [organisation, other_organisation]


def test_attention_asks_an_ig_lead_to_approve(parties, organisation, member):
    ig_lead = MembershipFactory(organisation=organisation, role="ig_lead").user
    agreement = agreement_row(parties, reference="DSA-2026-0001", status=AgreementStatus.SUBMITTED)
    agreement.text_hash = text_hash(agreement.document)
    agreement.save()

    items = items_for(ig_lead)

    assert [i.title for i in items] == [f"Approve “{agreement.title}”"]
    assert items[0].href == reverse("sharing:version-detail", args=["DSA-2026-0001", 1])
    assert "for London Borough of Camden" in items[0].description
    assert items_for(member) == []


def test_attention_asks_drafters_to_make_requested_changes(parties, organisation):
    publisher = MembershipFactory(organisation=organisation, role="publisher").user
    agreement_row(parties, reference="DSA-2026-0001", status=AgreementStatus.CHANGES_REQUESTED)

    items = items_for(publisher)

    assert [i.title.startswith("Make the changes asked for in") for i in items] == [True]
    assert items[0].href == reverse("sharing:draft-tasks", args=["DSA-2026-0001", 1])


def test_attention_warns_of_an_end_date_coming_up(parties, member):
    today = timezone.localdate()
    agreement_row(
        parties,
        reference="DSA-2026-0001",
        start=today - timedelta(days=400),
        end=today + timedelta(days=10),
    )
    agreement_row(parties, reference="DSA-2026-0002")  # review and end far away

    items = items_for(member)

    assert len(items) == 1
    assert items[0].title.endswith(f"ends on {today + timedelta(days=10):%-d %B %Y}")


def test_attention_nothing_for_anonymous_visitors(parties):
    from django.contrib.auth.models import AnonymousUser

    agreement_row(parties, reference="DSA-2026-0001", status=AgreementStatus.SUBMITTED)

    assert items_for(AnonymousUser()) == []
