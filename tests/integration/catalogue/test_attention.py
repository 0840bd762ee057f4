"""The data store's items on the home page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from interborough.catalogue.attention import items_for
from interborough.catalogue.models import AccessGrant, AccessLevel, AccessRequest, DatasetStatus
from tests.factories.accounts import MembershipFactory, UserFactory
from tests.factories.catalogue import DatasetFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def restricted(organisation):
    return DatasetFactory(
        publisher=organisation,
        title="Placements",
        status=DatasetStatus.PUBLISHED,
        access_level=AccessLevel.RESTRICTED,
    )


def test_attention_shows_an_ig_lead_the_requests_to_decide(restricted, organisation):
    ig_lead = MembershipFactory(organisation=organisation, role="ig_lead").user
    member = MembershipFactory(organisation=organisation, role="member").user
    AccessRequest.objects.create(
        dataset=restricted, requester=UserFactory(), purpose="Outreach", duration_days=30
    )

    assert [i.title.endswith("“Placements”") for i in items_for(ig_lead)] == [True]
    assert items_for(member) == []


def test_attention_warns_of_a_grant_ending_within_two_weeks(restricted):
    soon, later = UserFactory(), UserFactory()
    now = timezone.now()
    for person, days in ((soon, 3), (later, 60)):
        AccessGrant.objects.create(
            dataset=restricted,
            grantee=person,
            starts_at=now - timedelta(days=1),
            expires_at=now + timedelta(days=days),
        )

    assert [i.title for i in items_for(soon)] == ["Your access to “Placements” ends soon"]
    assert items_for(later) == []
