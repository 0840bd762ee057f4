"""Similarity alerts: when a project is first published, owners of similar projects are told."""

import pytest
from django.core import mail

from interborough.core.models import AuditEvent
from interborough.pipeline.models import ProjectStatus, SimilarityAlert
from interborough.pipeline.services import similarity
from interborough.pipeline.services.projects import project_publish
from interborough.pipeline.services.similarity import similarity_alerts_send
from tests.factories.accounts import MembershipFactory, OrganisationFactory
from tests.factories.pipeline import ProjectFactory

pytestmark = pytest.mark.django_db

PUBLISHED = ProjectStatus.PUBLISHED
DAMP = {
    "title": "Damp and mould reporting for tenants",
    "summary": "Tenants report damp and mould with photos; surveyors triage the same day.",
    "problem": "Damp and mould reports arrive by phone and get lost.",
}


def unrelated(organisation, n: int = 0, **overrides):
    texts = [
        ("Parking permits online", "Residents apply for parking permits.", "Queues at offices."),
        ("Library opening hours", "Self-service opening for libraries.", "Short staffing."),
        ("School admissions", "Families apply for primary school places.", "Paper forms."),
    ]
    title, summary, problem = texts[n % len(texts)]
    values = {"title": title, "summary": summary, "problem": problem, "status": PUBLISHED}
    return ProjectFactory(organisation=organisation, **{**values, **overrides})


@pytest.fixture
def pair(organisation, other_organisation, publisher, other_publisher):
    """Camden's new damp project and Hackney's published one, among unrelated projects."""
    for n in range(3):
        unrelated(organisation, n)
        unrelated(other_organisation, n)
    theirs = ProjectFactory(
        organisation=other_organisation,
        status=PUBLISHED,
        title="Reporting damp and mould in council homes",
        summary="An online form for tenants to report damp and mould, with photos.",
        problem="Damp and mould cases reach surveyors late.",
        themes=["housing", "health"],
    )
    mine = ProjectFactory(
        organisation=organisation, status=PUBLISHED, themes=["housing", "net-zero"], **DAMP
    )
    return mine, theirs


def test_similarity_alerts_send_records_audits_and_emails_both_owners(
    pair, publisher, other_publisher, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://interborough.example.london"
    mine, theirs = pair

    with django_capture_on_commit_callbacks(execute=True):
        sent = similarity_alerts_send(project=mine)

    assert sent == 1
    alert = SimilarityAlert.objects.get()
    assert (alert.project, alert.similar) == (mine, theirs)
    assert alert.score >= similarity.SIMILARITY_ALERT_THRESHOLD
    assert sorted(m.to[0] for m in mail.outbox) == sorted([publisher.email, other_publisher.email])
    to_me = next(m for m in mail.outbox if m.to == [publisher.email])
    assert theirs.title in to_me.subject
    assert f"https://interborough.example.london/projects/{theirs.pk}/" in to_me.body
    assert f"https://interborough.example.london/projects/{mine.pk}/" in to_me.body
    assert "damp" in to_me.body and "Housing" in to_me.body
    to_them = next(m for m in mail.outbox if m.to == [other_publisher.email])
    assert mine.title in to_them.subject
    event = AuditEvent.objects.get(action="project.similarity_alert")
    assert event.changes["after"]["similar"] == theirs.pk
    assert event.changes["after"]["shared_themes"] == ["housing"]
    assert event.organisation_id == mine.organisation_id


def test_similarity_alerts_send_tells_each_pair_once_either_way(
    pair, django_capture_on_commit_callbacks
):
    mine, theirs = pair
    with django_capture_on_commit_callbacks(execute=True):
        assert similarity_alerts_send(project=mine) == 1
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        again = similarity_alerts_send(project=mine)
        reverse = similarity_alerts_send(project=theirs)

    assert again == reverse == 0
    assert SimilarityAlert.objects.count() == 1
    assert mail.outbox == []


def test_similarity_alerts_send_skips_own_organisation_drafts_and_weak_matches(
    organisation, other_organisation, publisher, other_publisher
):
    mine = ProjectFactory(organisation=organisation, status=PUBLISHED, **DAMP)
    ProjectFactory(organisation=organisation, status=PUBLISHED, **DAMP)  # same organisation
    ProjectFactory(organisation=other_organisation, **DAMP)  # a draft
    ProjectFactory(organisation=other_organisation, status=ProjectStatus.ARCHIVED, **DAMP)
    unrelated(other_organisation, title="Damp proofing grants")  # shares one word
    for n in range(3):
        unrelated(other_organisation, n)

    assert similarity_alerts_send(project=mine) == 0
    assert not SimilarityAlert.objects.exists()
    assert mail.outbox == []


def test_similarity_alerts_send_ignores_a_project_that_is_not_published(pair):
    mine, _ = pair
    mine.status = ProjectStatus.DRAFT
    mine.save()

    assert similarity_alerts_send(project=mine) == 0


def test_similarity_alerts_send_is_capped_per_publication(organisation, publisher, monkeypatch):
    monkeypatch.setattr(similarity, "ALERTS_PER_PUBLISH", 2)
    mine = ProjectFactory(organisation=organisation, status=PUBLISHED, **DAMP)
    for _ in range(4):
        ProjectFactory(organisation=OrganisationFactory(), status=PUBLISHED, **DAMP)
    for n in range(6):
        unrelated(OrganisationFactory(), n)

    assert similarity_alerts_send(project=mine) == 2
    assert SimilarityAlert.objects.filter(project=mine).count() == 2


def test_publishing_a_project_tells_the_owners_of_a_similar_one(
    pair, publisher, other_publisher, django_capture_on_commit_callbacks
):
    _, theirs = pair
    draft = ProjectFactory(organisation=publisher.memberships.get().organisation, **DAMP)
    MembershipFactory(organisation=theirs.organisation, role="member")  # not an owner

    with django_capture_on_commit_callbacks(execute=True):
        project_publish(by=publisher, project=draft)

    assert SimilarityAlert.objects.filter(project=draft, similar=theirs).exists()
    recipients = sorted(m.to[0] for m in mail.outbox if "like yours" in m.subject)
    assert recipients == sorted([publisher.email, other_publisher.email])
