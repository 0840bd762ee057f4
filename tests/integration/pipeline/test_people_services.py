from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import TestCase
from django.utils import timezone

from interborough.core.errors import ApplicationError
from interborough.core.models import AuditEvent
from interborough.pipeline.models import (
    ContributionStatus,
    Project,
    ProjectStatus,
    Subscription,
    Watch,
)
from interborough.pipeline.services import people
from interborough.pipeline.services.projects import status_update_add
from tests.factories.accounts import MembershipFactory
from tests.factories.pipeline import ProjectFactory, StatusUpdateFactory, WatchFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(organisation):
    return ProjectFactory(
        organisation=organisation, status=ProjectStatus.PUBLISHED, title="Repairs online"
    )


def test_watch_is_idempotent_and_unwatch_removes_it(other_publisher, published):
    people.project_watch(by=other_publisher, project=published)
    people.project_watch(by=other_publisher, project=published)
    assert Watch.objects.filter(user=other_publisher).count() == 1

    people.project_unwatch(by=other_publisher, project=published)
    assert not Watch.objects.exists()
    assert AuditEvent.objects.filter(action__startswith="project.").count() == 2


def test_nobody_outside_watches_a_draft(other_publisher, organisation):
    draft = ProjectFactory(organisation=organisation)
    with pytest.raises(PermissionDenied):
        people.project_watch(by=other_publisher, project=draft)


def test_contribution_request_tells_the_owners(publisher, other_publisher, published):
    with TestCase.captureOnCommitCallbacks(execute=True):
        request = people.contribution_request_create(
            by=other_publisher, project=published, message="We built one last year."
        )

    assert request.status == ContributionStatus.PENDING
    assert [m.to for m in mail.outbox] == [[publisher.email]]
    assert "We built one last year." in mail.outbox[0].body


def test_contribution_request_once_while_open(other_publisher, published):
    people.contribution_request_create(by=other_publisher, project=published, message="Hi")
    with pytest.raises(ApplicationError):
        people.contribution_request_create(by=other_publisher, project=published, message="Hi")


def test_members_of_the_owner_do_not_ask_to_contribute(member, published):
    with pytest.raises(ApplicationError):
        people.contribution_request_create(by=member, project=published, message="Hi")


def test_contribution_decide_approves_and_lets_the_contributor_post(
    publisher, other_publisher, published
):
    request = people.contribution_request_create(
        by=other_publisher, project=published, message="Hi"
    )
    with pytest.raises(PermissionDenied):
        status_update_add(by=other_publisher, project=published, text="Our update")

    with TestCase.captureOnCommitCallbacks(execute=True):
        people.contribution_decide(by=publisher, contribution=request, approve=True)

    status_update_add(by=other_publisher, project=published, text="Our update")
    assert mail.outbox[-1].to == [other_publisher.email]
    assert "approved" in mail.outbox[-1].body
    with pytest.raises(ApplicationError):
        people.contribution_decide(by=publisher, contribution=request, approve=False)


def test_contribution_decide_refuses_the_asker(other_publisher, published):
    request = people.contribution_request_create(
        by=other_publisher, project=published, message="Hi"
    )
    with pytest.raises(PermissionDenied):
        people.contribution_decide(by=other_publisher, contribution=request, approve=True)


def test_contribution_withdraw_only_by_the_asker(publisher, other_publisher, published):
    request = people.contribution_request_create(
        by=other_publisher, project=published, message="Hi"
    )
    with pytest.raises(PermissionDenied):
        people.contribution_withdraw(by=publisher, contribution=request)
    people.contribution_withdraw(by=other_publisher, contribution=request)
    request.refresh_from_db()
    assert request.status == ContributionStatus.WITHDRAWN


def test_subscription_needs_exactly_one_of_theme_or_tag(member):
    with pytest.raises(ApplicationError):
        people.subscription_create(by=member)
    with pytest.raises(ApplicationError):
        people.subscription_create(by=member, theme_slug="housing", tag="damp")
    with pytest.raises(ApplicationError):
        people.subscription_create(by=member, theme_slug="no-such-theme")
    people.subscription_create(by=member, tag="  Damp ")
    with pytest.raises(ApplicationError):
        people.subscription_create(by=member, tag="damp")
    assert Subscription.objects.get().tag.name == "damp"


def test_publication_tells_subscribers_who_can_see_it(organisation, other_organisation, publisher):
    outsider = MembershipFactory(organisation=other_organisation).user
    insider = MembershipFactory(organisation=organisation).user
    people.subscription_create(by=outsider, theme_slug="housing")
    people.subscription_create(by=insider, theme_slug="housing")
    project = ProjectFactory(organisation=organisation, status=ProjectStatus.PUBLISHED)

    with TestCase.captureOnCommitCallbacks(execute=True):
        people.project_published_notify(project_id=project.pk)

    assert [m.to for m in mail.outbox] == [[outsider.email]]


def test_watch_digest_collects_updates_since_the_last_one(organisation, other_publisher):
    project = ProjectFactory(organisation=organisation, status=ProjectStatus.PUBLISHED)
    watch = WatchFactory(
        user=other_publisher, project=project, digest_sent_at=timezone.now() - timedelta(days=1)
    )
    StatusUpdateFactory(project=project, text="Beta opens in March")
    StatusUpdateFactory(
        project=project, text="Too old", created_at=timezone.now() - timedelta(days=3)
    )

    with TestCase.captureOnCommitCallbacks(execute=True):
        assert people.watch_digests_send() == 1
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert people.watch_digests_send() == 0

    assert len(mail.outbox) == 1
    assert "Beta opens in March" in mail.outbox[0].body
    assert "Too old" not in mail.outbox[0].body
    watch.refresh_from_db()
    assert watch.digest_sent_at is not None


def test_stale_projects_are_reminded_once_per_stale_spell(organisation, publisher):
    old = timezone.now() - timedelta(days=91)
    stale = ProjectFactory(organisation=organisation, status=ProjectStatus.PUBLISHED)
    Project.objects.filter(pk=stale.pk).update(last_activity_at=old)
    ProjectFactory(organisation=organisation, status=ProjectStatus.PUBLISHED)  # fresh

    with TestCase.captureOnCommitCallbacks(execute=True):
        assert people.projects_remind_stale() == 1
    assert people.projects_remind_stale() == 0
    stale.refresh_from_db()
    assert stale.is_stale
    assert [m.to for m in mail.outbox] == [[publisher.email]]

    status_update_add(by=publisher, project=stale, text="Still going")
    assert people.projects_remind_stale() == 0
    # 91 days on, both it and the project that was fresh have gone stale.
    assert people.projects_remind_stale(now=timezone.now() + timedelta(days=91)) == 2
