"""Writes for projects: create, edit, publish, archive, restore, delete drafts, status updates."""

from typing import Any

from django.db import transaction
from django.utils import timezone

from interborough.accounts.models import Organisation, User
from interborough.core.errors import ApplicationError, PermissionDeniedError
from interborough.core.services import audit_changes, audit_record, record_values
from interborough.core.text import clean_text
from interborough.core.workflow import move_status
from interborough.pipeline import permissions
from interborough.pipeline.models import (
    Phase,
    Project,
    ProjectStatus,
    StatusUpdate,
    Tag,
)
from interborough.pipeline.models.projects import PROJECT_TRANSITIONS
from interborough.pipeline.services.project_input import (
    CleanProject,
    ProjectInput,
    ProjectLookups,
    clean_project_input,
)

UPDATE_MAX_LENGTH = 5000


def tags_for(names: list[str]) -> list[Tag]:
    """The Tag rows for these normalised names, creating the new ones."""
    if not names:
        return []
    existing = {t.name: t for t in Tag.objects.filter(name__in=names)}
    missing = [Tag(name=n) for n in names if n not in existing]
    if missing:
        Tag.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {t.name: t for t in Tag.objects.filter(name__in=names)}
    return [existing[n] for n in names]


def _snapshot(project: Project) -> dict[str, Any]:
    """The fields an audit event records (related rows by their natural keys)."""
    return record_values(
        project,
        skip={"last_activity_at"},
        related={"themes": "slug", "tags": "name", "partners": "slug"},
    )


def _apply(project: Project, clean: CleanProject) -> None:
    for name, value in clean.fields.items():
        setattr(project, name, value)
    project.last_activity_at = timezone.now()
    project.save()
    project.themes.set(clean.themes)
    project.tags.set(tags_for(clean.tags))
    project.partners.set(clean.partners)


@transaction.atomic
def project_create(
    *,
    by: User,
    organisation: Organisation,
    data: ProjectInput,
    lookups: ProjectLookups | None = None,
) -> Project:
    """Register a project as a draft of the organisation (its publishers and admins)."""
    if not permissions.can_create_project(by, organisation):
        raise PermissionDeniedError("Only publishers and admins of the organisation add projects.")
    clean = clean_project_input(organisation=organisation, data=data, lookups=lookups)
    project = Project(organisation=organisation, created_by=by)
    _apply(project, clean)
    audit_record(
        by=by,
        action="project.create",
        obj=project,
        organisation=organisation,
        after=_snapshot(project),
    )
    return project


@transaction.atomic
def project_update(*, by: User, project: Project, data: ProjectInput) -> Project:
    """Edit a project's record; what changed goes in the audit trail."""
    if not permissions.can_edit_project(by, project):
        raise PermissionDeniedError("Only publishers and admins of the owner edit this project.")
    project = Project.objects.select_for_update().get(pk=project.pk)
    clean = clean_project_input(organisation=project.organisation, data=data)
    before = _snapshot(project)
    _apply(project, clean)
    after = _snapshot(project)
    audit_changes(
        by=by,
        action="project.update",
        obj=project,
        organisation=project.organisation,
        before=before,
        after=after,
    )
    return project


def _move(*, by: User | None, project: Project, to: str, action: str) -> Project:
    """The one lifecycle transition, checked against PROJECT_TRANSITIONS."""
    before = project.status
    now = timezone.now()
    fields: dict[str, Any] = {"last_activity_at": now}
    if to == ProjectStatus.PUBLISHED and project.published_at is None:
        fields["published_at"] = now
    if to == ProjectStatus.ARCHIVED:
        fields["archived_at"] = now
    refusal = (
        f"A {project.get_status_display().lower()} project cannot become "
        f"{ProjectStatus(to).label.lower()}."
    )
    move_status(project, to, PROJECT_TRANSITIONS, refusal=refusal, **fields)
    audit_record(
        by=by,
        action=action,
        obj=project,
        organisation=project.organisation,
        before={"status": before},
        after={"status": to},
    )
    return project


@transaction.atomic
def project_publish(*, by: User, project: Project, notify: bool = True) -> Project:
    """Publish a draft: every signed-in member sees it (anyone, if marked public).

    After commit, owners of similar projects elsewhere and people subscribed to its themes or
    tags are told (a background task); `notify=False` when back-filling the register.
    """
    if not permissions.can_edit_project(by, project):
        raise PermissionDeniedError("Only publishers and admins of the owner publish it.")
    project = Project.objects.select_for_update().get(pk=project.pk)
    first_time = project.published_at is None
    _move(by=by, project=project, to=ProjectStatus.PUBLISHED, action="project.publish")
    if first_time and notify:
        from interborough.pipeline.tasks import notify_project_published

        project_id = project.pk
        transaction.on_commit(lambda: notify_project_published.enqueue(project_id))
    return project


@transaction.atomic
def project_archive(*, by: User | None, project: Project) -> Project:
    """Archive a project that has ended or gone stale; it leaves search and the market view."""
    if by is not None and not permissions.can_edit_project(by, project):
        raise PermissionDeniedError("Only publishers and admins of the owner archive it.")
    project = Project.objects.select_for_update().get(pk=project.pk)
    return _move(by=by, project=project, to=ProjectStatus.ARCHIVED, action="project.archive")


@transaction.atomic
def project_restore(*, by: User, project: Project) -> Project:
    """Bring an archived project back: published again if it had been, otherwise a draft."""
    if not permissions.can_edit_project(by, project):
        raise PermissionDeniedError("Only publishers and admins of the owner restore it.")
    project = Project.objects.select_for_update().get(pk=project.pk)
    to = ProjectStatus.PUBLISHED if project.published_at else ProjectStatus.DRAFT
    return _move(by=by, project=project, to=to, action="project.restore")


@transaction.atomic
def project_delete(*, by: User, project: Project) -> None:
    """Delete a draft that was never published (published ones are archived, not deleted)."""
    if not permissions.can_edit_project(by, project):
        raise PermissionDeniedError("Only publishers and admins of the owner delete it.")
    if project.published_at is not None:
        raise ApplicationError(
            "A project that has been published stays on the record: archive it instead.",
            code="published",
        )
    audit_record(
        by=by,
        action="project.delete",
        obj=project,
        organisation=project.organisation,
        before=_snapshot(project),
    )
    project.delete()


@transaction.atomic
def status_update_add(*, by: User, project: Project, text: str, phase: str = "") -> StatusUpdate:
    """Add a dated entry to the project's timeline, optionally moving it to a new phase."""
    if not permissions.can_post_update(by, project):
        raise PermissionDeniedError(
            "Only the owner's publishers and admins, and approved contributors, post updates."
        )
    if project.status == ProjectStatus.ARCHIVED:
        raise ApplicationError("Restore the project before adding updates.", code="archived")
    text = clean_text(
        text, field="text", label="update", max_length=UPDATE_MAX_LENGTH, required=True
    )
    if phase and phase not in Phase.values:
        raise ApplicationError("Choose a phase from the list.", field="phase")
    project = Project.objects.select_for_update().get(pk=project.pk)
    before_phase = project.phase
    update = StatusUpdate.objects.create(
        project=project, author=by, text=text, phase=phase if phase != before_phase else ""
    )
    project.last_activity_at = update.created_at
    fields = ["last_activity_at", "updated_at"]
    if phase and phase != before_phase:
        project.phase = phase
        fields.append("phase")
    project.save(update_fields=fields)
    audit_record(
        by=by,
        action="project.status_update",
        obj=project,
        organisation=project.organisation,
        before={"phase": before_phase},
        after={"phase": project.phase, "update": text[:200]},
    )
    return update
