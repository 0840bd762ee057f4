from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from interborough.catalogue import permissions
from interborough.catalogue.models import AccessLevel, Dataset, DatasetStatus, Licence
from interborough.catalogue.services.datasets import (
    DatasetInput,
    dataset_create,
    dataset_publish,
    dataset_update,
    dataset_withdraw,
)
from interborough.core.errors import ApplicationError
from interborough.core.models import AuditEvent
from tests.factories.accounts import MembershipFactory
from tests.factories.catalogue import DatasetFactory

pytestmark = pytest.mark.django_db

VALID = DatasetInput(
    title="Rough sleeping counts",
    description="Quarterly street counts by ward.",
    topics=["housing"],
    keywords=["Rough Sleeping", "homelessness", "rough sleeping"],
)


def test_dataset_create_saves_a_draft_with_a_slug_and_audit(publisher, organisation):
    dataset = dataset_create(by=publisher, publisher=organisation, data=VALID)

    assert dataset.status == DatasetStatus.DRAFT
    assert dataset.slug == "rough-sleeping-counts"
    assert list(dataset.keywords.values_list("name", flat=True)) == [
        "homelessness",
        "rough sleeping",
    ]
    assert AuditEvent.objects.filter(action="dataset.create", object_id=str(dataset.pk)).exists()


def test_dataset_slugs_are_unique(publisher, organisation):
    first = dataset_create(by=publisher, publisher=organisation, data=VALID)
    second = dataset_create(by=publisher, publisher=organisation, data=VALID)
    assert (first.slug, second.slug) == ("rough-sleeping-counts", "rough-sleeping-counts-2")


def test_dataset_create_refuses_members_without_the_publisher_role(member, organisation):
    with pytest.raises(PermissionDenied):
        dataset_create(by=member, publisher=organisation, data=VALID)
    assert not Dataset.objects.exists()


def test_dataset_create_lists_every_wrong_field(publisher, organisation):
    bad = DatasetInput(
        title="",
        description="",
        licence="GPL",
        topics=["no-such-topic"],
        boroughs=["atlantis"],
        temporal_start=date(2026, 2, 1),
        temporal_end=date(2026, 1, 1),
        contact_email="not an email",
        access_level="secret",
        keywords=["<b>"],
    )
    with pytest.raises(ValidationError) as caught:
        dataset_create(by=publisher, publisher=organisation, data=bad)

    assert set(caught.value.message_dict) == {
        "title",
        "description",
        "licence",
        "topics",
        "boroughs",
        "temporal_end",
        "contact_email",
        "access_level",
        "keywords",
    }


def test_open_data_needs_an_open_licence(publisher, organisation):
    data = DatasetInput(**{**VALID.__dict__, "licence": Licence.RESTRICTED})
    with pytest.raises(ValidationError) as caught:
        dataset_create(by=publisher, publisher=organisation, data=data)
    assert "licence" in caught.value.message_dict


def test_dataset_update_keeps_the_slug_and_records_changes(publisher, organisation):
    dataset = dataset_create(by=publisher, publisher=organisation, data=VALID)
    data = DatasetInput(**{**VALID.__dict__, "title": "Rough sleeping street counts"})

    dataset_update(by=publisher, dataset=dataset, data=data)

    dataset.refresh_from_db()
    assert dataset.slug == "rough-sleeping-counts"
    event = AuditEvent.objects.get(action="dataset.update")
    assert event.changes["after"] == {"title": "Rough sleeping street counts"}


def test_publish_withdraw_and_publish_again(publisher, organisation):
    dataset = dataset_create(by=publisher, publisher=organisation, data=VALID)

    dataset_publish(by=publisher, dataset=dataset)
    first = Dataset.objects.get().published_at
    dataset_withdraw(by=publisher, dataset=dataset)
    dataset_publish(by=publisher, dataset=dataset)

    dataset.refresh_from_db()
    assert dataset.status == DatasetStatus.PUBLISHED
    assert dataset.published_at == first
    with pytest.raises(ApplicationError):
        dataset_publish(by=publisher, dataset=dataset)


@pytest.mark.parametrize(
    "level, anonymous, signed_in, insider",
    [
        (AccessLevel.OPEN, True, True, True),
        (AccessLevel.SIGNED_IN, False, True, True),
        (AccessLevel.RESTRICTED, False, False, True),
    ],
)
def test_who_reads_the_data(level, anonymous, signed_in, insider, organisation, other_organisation):
    dataset = DatasetFactory(
        publisher=organisation, status=DatasetStatus.PUBLISHED, access_level=level
    )
    outsider = MembershipFactory(organisation=other_organisation).user
    member = MembershipFactory(organisation=organisation).user

    assert permissions.can_view_dataset(AnonymousUser(), dataset)
    assert permissions.can_read_data(AnonymousUser(), dataset) is anonymous
    assert permissions.can_read_data(outsider, dataset) is signed_in
    assert permissions.can_read_data(member, dataset) is insider


def test_drafts_are_seen_and_read_only_by_the_publisher(organisation, other_organisation):
    dataset = DatasetFactory(publisher=organisation)
    outsider = MembershipFactory(organisation=other_organisation).user
    member = MembershipFactory(organisation=organisation).user

    assert not permissions.can_view_dataset(outsider, dataset)
    assert not permissions.can_read_data(outsider, dataset)
    assert permissions.can_view_dataset(member, dataset)
    assert permissions.can_read_data(member, dataset)
