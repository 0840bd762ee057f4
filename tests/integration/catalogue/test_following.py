"""Following datasets, and the email followers get when a new version lands."""

import pytest
from django.core import mail
from django.template.loader import render_to_string
from django.test import TestCase
from django.urls import reverse

from interborough.catalogue.models import DatasetFollow, DatasetStatus, VersionStatus
from interborough.catalogue.selectors.following import is_following
from interborough.catalogue.services.following import (
    dataset_follow,
    dataset_followers_notify,
    dataset_unfollow,
)
from interborough.catalogue.services.versions import resource_version_upload
from interborough.core.errors import ApplicationError
from interborough.core.models import AuditEvent
from tests.conftest import verified_client
from tests.factories.accounts import MembershipFactory, UserFactory
from tests.factories.catalogue import DatasetFactory, ready_resource

pytestmark = pytest.mark.django_db

SECOND = (
    b"borough_code,ward,count,latitude,longitude,source\n"
    b"E09000007,Kentish Town,12,51.5503,-0.1406,street count\n"
    b"E09000007,Camden Town,7,51.5390,-0.1426,street count\n"
    b"E09000012,Hackney Central,30,51.5465,-0.0553,street count\n"
    b"E09000012,Dalston,4,51.5460,-0.0750,street count\n"
)


@pytest.fixture
def dataset(organisation):
    return DatasetFactory(
        publisher=organisation, title="Rough sleeping counts", status=DatasetStatus.PUBLISHED
    )


def _new_version(publisher, resource):
    """Upload and check a second version; its followers are told as it becomes ready."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        version = resource_version_upload(
            by=publisher, resource=resource, filename="counts.csv", chunks=[SECOND]
        )
    version.refresh_from_db()
    assert version.status == VersionStatus.READY
    return version


def test_dataset_follow_is_idempotent_and_audited(member, dataset):
    dataset_follow(by=member, dataset=dataset)
    dataset_follow(by=member, dataset=dataset)

    assert DatasetFollow.objects.filter(user=member, dataset=dataset).count() == 1
    assert AuditEvent.objects.filter(action="dataset.follow").count() == 1
    assert is_following(viewer=member, dataset=dataset)


def test_dataset_follow_refuses_datasets_the_person_cannot_see(other_organisation, organisation):
    outsider = MembershipFactory(organisation=other_organisation).user
    draft = DatasetFactory(publisher=organisation)

    with pytest.raises(ApplicationError):
        dataset_follow(by=outsider, dataset=draft)
    assert not DatasetFollow.objects.exists()


def test_dataset_unfollow_removes_the_follow(member, dataset):
    dataset_follow(by=member, dataset=dataset)

    dataset_unfollow(by=member, dataset=dataset)
    dataset_unfollow(by=member, dataset=dataset)

    assert not is_following(viewer=member, dataset=dataset)
    assert AuditEvent.objects.filter(action="dataset.unfollow").count() == 1


def test_dataset_followers_notify_emails_each_follower_once_with_the_changes(organisation, dataset):
    publisher = MembershipFactory(organisation=organisation, role="publisher").user
    resource = ready_resource(by=publisher, dataset=dataset, name="Counts by ward")
    followers = [UserFactory(), UserFactory()]
    for person in followers:
        dataset_follow(by=person, dataset=dataset)
    UserFactory()  # not following
    version = _new_version(publisher, resource)  # the check notifies the followers

    with TestCase.captureOnCommitCallbacks(execute=True):
        again = dataset_followers_notify(version_id=version.pk)

    assert again == 0
    assert len(mail.outbox) == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in followers)
    body = mail.outbox[0].body
    assert "Counts by ward" in body and "version 2" in body
    assert "1 row added" in body
    assert "Columns added: source" in body
    assert reverse("catalogue:dataset-detail", args=[dataset.slug]) in body


def test_dataset_followers_notify_skips_followers_who_can_no_longer_see_it(
    organisation, other_organisation, dataset
):
    publisher = MembershipFactory(organisation=organisation, role="publisher").user
    insider = MembershipFactory(organisation=organisation).user
    outsider = MembershipFactory(organisation=other_organisation).user
    resource = ready_resource(by=publisher, dataset=dataset)
    dataset_follow(by=insider, dataset=dataset)
    dataset_follow(by=outsider, dataset=dataset)
    dataset.status = DatasetStatus.WITHDRAWN
    dataset.save()

    _new_version(publisher, resource)

    assert [m.to for m in mail.outbox] == [[insider.email]]


def test_dataset_follow_page_toggles(member, dataset):
    client = verified_client(member)
    url = reverse("catalogue:dataset-follow", args=[dataset.slug])

    first = client.post(url)
    assert is_following(viewer=member, dataset=dataset)
    second = client.post(url)

    assert not is_following(viewer=member, dataset=dataset)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == reverse("catalogue:dataset-detail", args=[dataset.slug])


def test_dataset_follow_page_follows_explicitly(member, dataset):
    client = verified_client(member)
    url = reverse("catalogue:dataset-follow", args=[dataset.slug])

    client.post(url, {"follow": "yes"})
    client.post(url, {"follow": "yes"})

    assert is_following(viewer=member, dataset=dataset)


def test_dataset_follow_page_of_a_hidden_draft_is_a_404(other_organisation, organisation):
    outsider = MembershipFactory(organisation=other_organisation).user
    draft = DatasetFactory(publisher=organisation)

    response = verified_client(outsider).post(
        reverse("catalogue:dataset-follow", args=[draft.slug])
    )

    assert response.status_code == 404


def test_follow_button_offers_the_opposite_of_the_current_state(member, dataset):
    def button(following):
        context = {"dataset": dataset, "following": following, "user": member}
        return render_to_string("catalogue/includes/follow_button.html", context)

    assert 'value="yes"' in button(False) and "Follow" in button(False)
    assert 'value="no"' in button(True) and "Stop following" in button(True)
