from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone

from interborough.cli import translate
from interborough.pipeline.models import Project, ProjectStatus
from tests.factories.pipeline import ProjectFactory, StatusUpdateFactory, WatchFactory

pytestmark = pytest.mark.django_db


def test_the_cli_names_the_pipeline_commands():
    assert translate(["pipeline", "digests"]) == ["pipeline_digests"]
    assert translate(["pipeline", "remind-stale"]) == ["pipeline_remind_stale"]


def test_pipeline_digests_emails_watchers(organisation, other_publisher):
    project = ProjectFactory(organisation=organisation, status=ProjectStatus.PUBLISHED)
    WatchFactory(
        user=other_publisher, project=project, digest_sent_at=timezone.now() - timedelta(days=1)
    )
    StatusUpdateFactory(project=project, text="Alpha went well")
    out = StringIO()

    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("pipeline_digests", stdout=out)

    assert "Sent 1 digest email." in out.getvalue()
    assert mail.outbox[0].to == [other_publisher.email]


def test_pipeline_remind_stale_reports_how_many(organisation, publisher):
    project = ProjectFactory(organisation=organisation, status=ProjectStatus.PUBLISHED)
    Project.objects.filter(pk=project.pk).update(
        last_activity_at=timezone.now() - timedelta(days=120)
    )
    out = StringIO()

    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("pipeline_remind_stale", stdout=out)

    assert "Reminded the owners of 1 stale project(s)." in out.getvalue()
    assert mail.outbox[0].to == [publisher.email]
