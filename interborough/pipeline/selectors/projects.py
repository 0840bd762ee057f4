"""Reads for projects and what hangs off them, scoped to the viewer."""

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from interborough.accounts.models import Membership, Organisation, User
from interborough.core.errors import PermissionDeniedError
from interborough.pipeline import permissions
from interborough.pipeline.models import (
    ContributionRequest,
    ContributionStatus,
    Project,
    ProjectStatus,
    StatusUpdate,
    Subscription,
    Theme,
    Watch,
)
from interborough.pipeline.models.projects import STALE_AFTER


def _with_related(qs: QuerySet[Project]) -> QuerySet[Project]:
    return qs.select_related("organisation", "contact").prefetch_related(
        "themes",
        "tags",
        Prefetch("partners", queryset=Organisation.objects.defer("boundary")),
    )


def project_list(*, viewer: User) -> QuerySet[Project]:
    """Every project the viewer may see, newest activity first, with related rows loaded."""
    qs = Project.objects.filter(permissions.visible_projects_q(viewer)).defer(
        "organisation__boundary"
    )
    return _with_related(qs).order_by("-last_activity_at", "-pk")


def project_for_viewer(*, viewer: User, pk: int) -> Project | None:
    """One project, if the viewer may see it (None otherwise: callers answer 404)."""
    project = _with_related(Project.objects.defer("organisation__boundary")).filter(pk=pk).first()
    if project is None or not permissions.can_view_project(viewer, project):
        return None
    return project


def organisation_projects(*, viewer: User, organisation: Organisation) -> QuerySet[Project]:
    """An organisation's projects the viewer may see (its own members see drafts too)."""
    return project_list(viewer=viewer).filter(organisation=organisation)


def project_timeline(*, project: Project) -> QuerySet[StatusUpdate]:
    """The project's status updates, newest first."""
    return project.updates.select_related("author")


def project_contributors(*, project: Project) -> QuerySet[ContributionRequest]:
    """Approved contributors (shown on the project page)."""
    return project.contributions.filter(status=ContributionStatus.APPROVED).select_related("user")


def contribution_requests(*, viewer: User, project: Project) -> QuerySet[ContributionRequest]:
    """Every request to contribute, for the owner's publishers and admins."""
    if not permissions.can_edit_project(viewer, project):
        raise PermissionDeniedError()
    return project.contributions.select_related("user", "decided_by").order_by(
        "status", "-created_at"
    )


def contribution_request_for_owner(
    *, viewer: User, project: Project, pk: int
) -> ContributionRequest | None:
    """One request to contribute to this project, for the owner's publishers and admins."""
    return contribution_requests(viewer=viewer, project=project).filter(pk=pk).first()


def own_contribution(*, viewer: User, project: Project) -> ContributionRequest | None:
    """The viewer's open (pending or approved) request for this project."""
    if not permissions.is_signed_in(viewer):
        return None
    return project.contributions.filter(
        user=viewer, status__in=[ContributionStatus.PENDING, ContributionStatus.APPROVED]
    ).first()


def is_watching(*, viewer: User, project: Project) -> bool:
    return (
        permissions.is_signed_in(viewer)
        and Watch.objects.filter(user=viewer, project=project).exists()
    )


def watched_projects(*, viewer: User) -> QuerySet[Project]:
    """Projects the viewer watches (and may still see)."""
    return project_list(viewer=viewer).filter(watches__user=viewer)


def subscriptions_of(*, viewer: User) -> QuerySet[Subscription]:
    """The themes and tags the viewer follows."""
    if not permissions.is_signed_in(viewer):
        return Subscription.objects.none()
    return Subscription.objects.filter(user=viewer).select_related("theme", "tag")


def theme_list() -> QuerySet[Theme]:
    return Theme.objects.all()


def _looked_after_by(viewer: User) -> QuerySet[Membership, Any]:
    """The ids of the organisations whose projects the viewer looks after (a subquery)."""
    return Membership.objects.filter(user=viewer, role__in=permissions.OWNER_ROLES).values(
        "organisation_id"
    )


def stale_projects(*, viewer: User) -> QuerySet[Project]:
    """Stale projects the viewer looks after (for their home page)."""
    return Project.objects.filter(
        organisation_id__in=_looked_after_by(viewer),
        status__in=[ProjectStatus.DRAFT, ProjectStatus.PUBLISHED],
        last_activity_at__lt=timezone.now() - STALE_AFTER,
    ).select_related("organisation")


def pending_contributions_for(*, viewer: User) -> QuerySet[ContributionRequest]:
    """Requests to contribute waiting for the viewer's decision."""
    return ContributionRequest.objects.filter(
        project__organisation_id__in=_looked_after_by(viewer),
        status=ContributionStatus.PENDING,
    ).select_related("project", "user")
