from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase

from interborough.core.errors import ApplicationError
from interborough.core.models import AuditEvent
from interborough.pipeline.models import Phase, Project, ProjectStatus, SimilarityAlert
from interborough.pipeline.models.projects import PROJECT_TRANSITIONS
from interborough.pipeline.services.project_input import ProjectInput
from interborough.pipeline.services.projects import (
    project_archive,
    project_create,
    project_delete,
    project_publish,
    project_restore,
    project_update,
    status_update_add,
)
from tests.factories.pipeline import ProjectFactory

pytestmark = pytest.mark.django_db

VALID = ProjectInput(
    title="Damp and mould reporting",
    summary="Tenants report damp and mould with photos; surveyors triage the same day.",
    problem="Reports arrive by phone and are lost.",
    themes=["housing", "net-zero"],
    tags=["Damp", " mould ", "damp"],
    phase=Phase.DISCOVERY,
)


def test_project_create_saves_a_draft_with_themes_tags_and_audit(publisher, organisation):
    project = project_create(by=publisher, organisation=organisation, data=VALID)

    assert project.status == ProjectStatus.DRAFT
    assert sorted(project.themes.values_list("slug", flat=True)) == ["housing", "net-zero"]
    assert list(project.tags.values_list("name", flat=True)) == ["damp", "mould"]
    event = AuditEvent.objects.get(action="project.create")
    assert event.object_id == str(project.pk)
    assert event.changes["after"]["title"] == VALID.title


def test_project_create_refuses_a_plain_member(member, organisation):
    with pytest.raises(PermissionDenied):
        project_create(by=member, organisation=organisation, data=VALID)
    assert not Project.objects.exists()


def test_project_create_lists_every_wrong_field(publisher, organisation):
    bad = ProjectInput(
        title="",
        summary="x" * 501,
        themes=["no-such-theme"],
        phase="gamma",
        start_date=date(2026, 5, 1),
        end_date=date(2026, 4, 1),
        collaboration_wanted=True,
        source_code_url="javascript:alert(1)",
        contact_email="stranger@example.org",
        partners=[organisation.slug],
        tags=["<script>"],
    )
    with pytest.raises(ValidationError) as caught:
        project_create(by=publisher, organisation=organisation, data=bad)

    assert set(caught.value.message_dict) == {
        "title",
        "summary",
        "themes",
        "phase",
        "end_date",
        "collaboration_kind",
        "source_code_url",
        "contact_email",
        "partners",
        "tags",
    }
    assert not Project.objects.exists()


def test_project_create_rejects_hidden_characters(publisher, organisation):
    data = ProjectInput(**{**VALID.__dict__, "title": "Repairs\u202eevil"})
    with pytest.raises(ValidationError) as caught:
        project_create(by=publisher, organisation=organisation, data=data)
    assert "invisible" in caught.value.message_dict["title"][0]


def test_project_update_records_only_what_changed(publisher, organisation):
    project = project_create(by=publisher, organisation=organisation, data=VALID)
    data = ProjectInput(**{**VALID.__dict__, "title": "Damp, mould and condensation"})

    project_update(by=publisher, project=project, data=data)

    event = AuditEvent.objects.filter(action="project.update").get()
    assert event.changes == {
        "before": {"title": VALID.title},
        "after": {"title": "Damp, mould and condensation"},
    }


def test_project_update_refuses_another_organisations_publisher(publisher, other_publisher):
    project = ProjectFactory(organisation=publisher.memberships.get().organisation)
    with pytest.raises(PermissionDenied):
        project_update(by=other_publisher, project=project, data=VALID)


def test_project_publish_sets_published_at_once(publisher, organisation):
    project = project_create(by=publisher, organisation=organisation, data=VALID)

    project_publish(by=publisher, project=project)
    project.refresh_from_db()
    first = project.published_at
    project_archive(by=publisher, project=project)
    project_restore(by=publisher, project=project)
    project.refresh_from_db()

    assert project.status == ProjectStatus.PUBLISHED
    assert project.published_at == first


def test_project_restore_returns_a_never_published_project_to_draft(publisher, organisation):
    project = ProjectFactory(organisation=organisation)
    project_archive(by=publisher, project=project)
    project_restore(by=publisher, project=project)
    project.refresh_from_db()
    assert project.status == ProjectStatus.DRAFT


@pytest.mark.parametrize("start", list(ProjectStatus.values))
@pytest.mark.parametrize("to", list(ProjectStatus.values))
def test_project_transitions_follow_the_map(start, to, publisher, organisation):
    project = ProjectFactory(organisation=organisation, status=start)
    move = {
        ProjectStatus.PUBLISHED: project_publish,
        ProjectStatus.ARCHIVED: project_archive,
    }.get(to)
    if move is None:
        return  # back to draft only happens through restore (tested above)
    if to in PROJECT_TRANSITIONS[start]:
        move(by=publisher, project=project)
        project.refresh_from_db()
        assert project.status == to
    else:
        with pytest.raises(ApplicationError):
            move(by=publisher, project=project)


def test_project_delete_only_for_never_published(publisher, organisation):
    draft = ProjectFactory(organisation=organisation)
    published = ProjectFactory(organisation=organisation, status=ProjectStatus.PUBLISHED)

    project_delete(by=publisher, project=draft)
    with pytest.raises(ApplicationError):
        project_delete(by=publisher, project=published)

    assert list(Project.objects.all()) == [published]
    assert AuditEvent.objects.filter(action="project.delete").count() == 1


def test_status_update_moves_the_phase_and_the_activity_date(publisher, organisation):
    project = ProjectFactory(organisation=organisation, phase=Phase.DISCOVERY)
    before = project.last_activity_at

    update = status_update_add(by=publisher, project=project, text="Alpha starts", phase="alpha")

    project.refresh_from_db()
    assert project.phase == Phase.ALPHA
    assert update.phase == Phase.ALPHA
    assert project.last_activity_at > before


def test_status_update_refuses_people_outside(other_publisher, organisation):
    project = ProjectFactory(organisation=organisation, status=ProjectStatus.PUBLISHED)
    with pytest.raises(PermissionDenied):
        status_update_add(by=other_publisher, project=project, text="Hello")


def test_status_update_needs_text(publisher, organisation):
    project = ProjectFactory(organisation=organisation)
    with pytest.raises(ApplicationError) as caught:
        status_update_add(by=publisher, project=project, text="   ")
    assert caught.value.field == "text"


def test_publishing_runs_the_notification_task_once(publisher, organisation, monkeypatch):
    calls = []
    monkeypatch.setattr(
        "interborough.pipeline.services.people.project_published_notify",
        lambda *, project_id: calls.append(project_id),
    )
    project = ProjectFactory(organisation=organisation)

    with TestCase.captureOnCommitCallbacks(execute=True):
        project_publish(by=publisher, project=project)
    project_archive(by=publisher, project=project)
    with TestCase.captureOnCommitCallbacks(execute=True):
        project_restore(by=publisher, project=project)

    assert calls == [project.pk]
    assert not SimilarityAlert.objects.exists()
