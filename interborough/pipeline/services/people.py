"""People and projects: watching, contributing, subscribing; and the messages that follow
(watch digests, stale-project reminders, news of a published project)."""

from collections import defaultdict
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from interborough.accounts.models import User
from interborough.core.email import email_after_commit
from interborough.core.errors import ApplicationError, PermissionDeniedError
from interborough.core.services import audit_record
from interborough.core.text import clean_tag, clean_text
from interborough.core.workflow import move_status
from interborough.pipeline import permissions
from interborough.pipeline.models import (
    ContributionRequest,
    ContributionStatus,
    Project,
    ProjectStatus,
    StatusUpdate,
    Subscription,
    Tag,
    Theme,
    Watch,
)
from interborough.pipeline.models.people import CONTRIBUTION_TRANSITIONS
from interborough.pipeline.models.projects import STALE_AFTER
from interborough.pipeline.services.notify import owners_of

MESSAGE_MAX_LENGTH = 2000


def project_path(project: Project) -> str:
    return reverse("pipeline:project-detail", args=[project.pk])


# --- watching ---------------------------------------------------------------------------------


@transaction.atomic
def project_watch(*, by: User, project: Project) -> Watch:
    """Follow a project's status updates (a digest by email)."""
    if not permissions.can_follow(by, project):
        raise PermissionDeniedError()
    watch, created = Watch.objects.get_or_create(
        user=by, project=project, defaults={"digest_sent_at": timezone.now()}
    )
    if created:
        audit_record(by=by, action="project.watch", obj=project, organisation=None)
    return watch


@transaction.atomic
def project_unwatch(*, by: User, project: Project) -> None:
    """Stop following a project."""
    deleted, _ = Watch.objects.filter(user=by, project=project).delete()
    if deleted:
        audit_record(by=by, action="project.unwatch", obj=project, organisation=None)


# --- contributing -----------------------------------------------------------------------------


@transaction.atomic
def contribution_request_create(*, by: User, project: Project, message: str) -> ContributionRequest:
    """Ask to contribute to another organisation's published project; its owners are told."""
    if not permissions.can_view_project(by, project):
        raise PermissionDeniedError()
    if not permissions.can_ask_to_contribute(by, project):
        raise ApplicationError(
            "You can ask to contribute to published projects of other organisations only.",
            code="not_allowed",
        )
    message = clean_text(
        message, field="message", label="message", max_length=MESSAGE_MAX_LENGTH, required=True
    )
    try:
        with transaction.atomic():
            contribution = ContributionRequest.objects.create(
                project=project, user=by, message=message
            )
    except IntegrityError as exc:
        raise ApplicationError(
            "You have already asked to contribute to this project.", code="duplicate"
        ) from exc
    audit_record(
        by=by,
        action="project.contribution_request",
        obj=contribution,
        organisation=project.organisation,
        after={"project": project.pk, "message": message[:200]},
    )
    email_after_commit(
        owners_of(project.organisation),
        subject=f"{by} asks to contribute to {project.title}"[:150],
        template="pipeline/email/contribution_request.txt",
        context={"project": project, "contribution": contribution, "path": project_path(project)},
    )
    return contribution


def _contribution_move(
    contribution: ContributionRequest, *, by: User, to: str, action: str
) -> ContributionRequest:
    before = contribution.status
    fields: dict[str, Any] = {}
    if to in (ContributionStatus.APPROVED, ContributionStatus.DECLINED):
        fields = {"decided_by": by, "decided_at": timezone.now()}
    refusal = f"This request is already {contribution.get_status_display().lower()}."
    move_status(contribution, to, CONTRIBUTION_TRANSITIONS, refusal=refusal, **fields)
    audit_record(
        by=by,
        action=action,
        obj=contribution,
        organisation=contribution.project.organisation,
        before={"status": before},
        after={"status": to},
    )
    return contribution


@transaction.atomic
def contribution_decide(
    *, by: User, contribution: ContributionRequest, approve: bool
) -> ContributionRequest:
    """The owner's publishers and admins approve or decline; the person asking is told."""
    project = contribution.project
    if not permissions.can_edit_project(by, project):
        raise PermissionDeniedError("Only the owner's publishers and admins decide.")
    contribution = ContributionRequest.objects.select_for_update().get(pk=contribution.pk)
    to = ContributionStatus.APPROVED if approve else ContributionStatus.DECLINED
    _contribution_move(contribution, by=by, to=to, action="project.contribution_decide")
    email_after_commit(
        [contribution.user],
        subject=f"Your request to contribute to {project.title}"[:150],
        template="pipeline/email/contribution_decision.txt",
        context={"project": project, "approved": approve, "path": project_path(project)},
    )
    return contribution


@transaction.atomic
def contribution_withdraw(*, by: User, contribution: ContributionRequest) -> ContributionRequest:
    """The person who asked withdraws (or stops contributing)."""
    if contribution.user_id != by.pk:
        raise PermissionDeniedError()
    contribution = ContributionRequest.objects.select_for_update().get(pk=contribution.pk)
    return _contribution_move(
        contribution, by=by, to=ContributionStatus.WITHDRAWN, action="project.contribution_withdraw"
    )


# --- subscriptions to themes and tags ---------------------------------------------------------


@transaction.atomic
def subscription_create(*, by: User, theme_slug: str = "", tag: str = "") -> Subscription:
    """Be told when a project with this theme (or tag) is published."""
    if not permissions.is_signed_in(by):
        raise PermissionDeniedError()
    if bool(theme_slug) == bool(tag.strip()):
        raise ApplicationError("Choose a theme or give a tag.", field="theme")
    values: dict[str, Any] = {}
    if theme_slug:
        theme = Theme.objects.filter(slug=theme_slug).first()
        if theme is None:
            raise ApplicationError("Choose a theme from the list.", field="theme")
        values["theme"] = theme
    else:
        try:
            name = clean_tag(tag)
        except ApplicationError as exc:
            raise ApplicationError(exc.message, field="tag") from exc
        values["tag"], _ = Tag.objects.get_or_create(name=name)
    subscription, created = Subscription.objects.get_or_create(user=by, **values)
    if not created:
        raise ApplicationError("You already follow that.", field="theme" if theme_slug else "tag")
    audit_record(
        by=by,
        action="project.subscribe",
        obj=subscription,
        after={"theme": theme_slug, "tag": str(values.get("tag", ""))},
    )
    return subscription


@transaction.atomic
def subscription_delete(*, by: User, subscription: Subscription) -> None:
    """Stop following a theme or tag."""
    if subscription.user_id != by.pk:
        raise PermissionDeniedError()
    audit_record(by=by, action="project.unsubscribe", obj=subscription)
    subscription.delete()


def _subscribers_of(project: Project) -> list[User]:
    """People following any of the project's themes or tags who can see it (not its owners)."""
    themes = list(project.themes.values_list("pk", flat=True))
    tags = list(project.tags.values_list("pk", flat=True))
    people = User.objects.filter(
        Q(project_subscriptions__theme__in=themes) | Q(project_subscriptions__tag__in=tags),
        is_active=True,
    ).exclude(memberships__organisation=project.organisation)
    return [u for u in people.distinct() if permissions.can_view_project(u, project)]


@transaction.atomic
def project_published_notify(*, project_id: int) -> None:
    """After a first publication: owners of similar projects, and subscribers, are told."""
    from interborough.pipeline.services.similarity import similarity_alerts_send

    project = Project.objects.select_related("organisation").filter(pk=project_id).first()
    if project is None or project.status != ProjectStatus.PUBLISHED:
        return
    similarity_alerts_send(project=project)
    subscribers = _subscribers_of(project)
    sent = email_after_commit(
        subscribers,
        subject=f"New project: {project.title}"[:150],
        template="pipeline/email/subscription.txt",
        context={"project": project, "path": project_path(project)},
    )
    if sent:
        audit_record(
            by=None,
            action="project.subscribers_notified",
            obj=project,
            organisation=project.organisation,
            after={"people": sent},
            system="pipeline",
        )


# --- scheduled messages: watch digests and stale reminders -----------------------------------


@transaction.atomic
def watch_digests_send(*, now: datetime | None = None) -> int:
    """Email each watcher the status updates since their last digest; returns emails sent."""
    now = now or timezone.now()
    watches = list(
        Watch.objects.select_for_update(of=("self",))
        .select_related("user", "project")
        .filter(user__is_active=True)
    )
    if not watches:
        return 0
    # Every update any watcher may be owed, in one query, then shared out per watch.
    earliest = min(w.digest_sent_at or w.created_at for w in watches)
    by_project: dict[int, list[StatusUpdate]] = defaultdict(list)
    for update in (
        StatusUpdate.objects.filter(
            project_id__in={w.project_id for w in watches},
            created_at__gt=earliest,
            created_at__lte=now,
        )
        .select_related("author")
        .order_by("created_at")
    ):
        by_project[update.project_id].append(update)
    by_user: dict[User, list[tuple[Project, list[StatusUpdate]]]] = defaultdict(list)
    sent_watches: list[int] = []
    for watch in watches:
        since = watch.digest_sent_at or watch.created_at
        updates = [
            u
            for u in by_project[watch.project_id]
            if u.created_at > since and u.author_id != watch.user_id
        ]
        if updates and permissions.can_view_project(watch.user, watch.project):
            by_user[watch.user].append((watch.project, updates))
            sent_watches.append(watch.pk)
    for user, items in by_user.items():
        email_after_commit(
            [user],
            subject="Updates on the projects you watch",
            template="pipeline/email/watch_digest.txt",
            context={"items": [(p, project_path(p), u) for p, u in items]},
        )
    if sent_watches:
        Watch.objects.filter(pk__in=sent_watches).update(digest_sent_at=now)
        audit_record(
            by=None,
            action="project.watch_digests",
            after={"emails": len(by_user), "watches": len(sent_watches)},
            system="pipeline",
        )
    return len(by_user)


@transaction.atomic
def projects_remind_stale(*, now: datetime | None = None) -> int:
    """Remind owners of projects untouched for 90 days (once per stale spell); returns count."""
    now = now or timezone.now()
    stale = (
        Project.objects.select_for_update(of=("self",))
        .select_related("organisation", "contact")
        .filter(
            status__in=[ProjectStatus.DRAFT, ProjectStatus.PUBLISHED],
            last_activity_at__lt=now - STALE_AFTER,
        )
        .filter(Q(stale_reminded_at__isnull=True) | Q(stale_reminded_at__lt=F("last_activity_at")))
    )
    reminded = 0
    for project in stale:
        people = owners_of(project.organisation)
        if project.contact is not None:
            people.append(project.contact)
        email_after_commit(
            people,
            subject=f"Is “{project.title}” still current?"[:150],
            template="pipeline/email/stale_reminder.txt",
            context={"project": project, "path": project_path(project)},
        )
        project.stale_reminded_at = now
        project.save(update_fields=["stale_reminded_at"])
        audit_record(
            by=None,
            action="project.stale_reminder",
            obj=project,
            organisation=project.organisation,
            system="pipeline",
        )
        reminded += 1
    return reminded
