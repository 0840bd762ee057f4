"""API endpoints for projects: search, the record's whole lifecycle, its timeline, similar
projects, watching, contributing, and following themes or tags.

A project the caller may not see is a 404 (a 401 for an anonymous caller, whether or not it
exists), so a draft's existence never leaks; a project they see but may not change is a 403.
"""

from dataclasses import replace
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.http import Http404, HttpRequest
from ninja import Path, Query, Router, Status
from ninja.errors import AuthenticationError
from ninja.pagination import paginate

from interborough.accounts.models import Organisation, User
from interborough.accounts.selectors import organisation_by_slug
from interborough.api.auth import (
    PUBLIC_OR_SIGNED_IN,
    caller_or_anonymous,
    current_user,
    ensure_token_acts_for,
)
from interborough.api.fields import Id, Pagination
from interborough.api.schemas import SIGNED_IN_ERRORS, responses
from interborough.pipeline import permissions
from interborough.pipeline.models import (
    ContributionRequest,
    Project,
    StatusUpdate,
    Subscription,
    Theme,
)
from interborough.pipeline.schemas import (
    ContributionDecisionIn,
    ContributionIn,
    ContributionOut,
    ProjectIn,
    ProjectOut,
    ProjectPatch,
    ProjectSearchOut,
    ProjectSearchQuery,
    SimilarProjectOut,
    SimilarQuery,
    StatusUpdateIn,
    StatusUpdateOut,
    SubscriptionIn,
    SubscriptionOut,
    ThemeOut,
    WatchOut,
)
from interborough.pipeline.selectors import projects as selectors
from interborough.pipeline.selectors import search, search_query
from interborough.pipeline.services import people, projects
from interborough.pipeline.services.project_input import ProjectInput, project_input_from

router = Router(tags=["pipeline: projects"])


PUBLIC_READ_ERRORS = (401, 404)
READ_ERRORS = (*SIGNED_IN_ERRORS, 404)
WRITE_ERRORS = (400, *SIGNED_IN_ERRORS, 404)


def _project(request: HttpRequest, project_id: int) -> Project:
    """The project if the caller may see it; 404 (401 when anonymous) otherwise."""
    viewer = caller_or_anonymous(request)
    project = selectors.project_for_viewer(viewer=viewer, pk=project_id)  # type: ignore[arg-type]
    if project is None:
        if isinstance(viewer, AnonymousUser):
            raise AuthenticationError()
        raise Http404
    return project


def _acting_for_owner(request: HttpRequest, project: Project) -> User:
    """The caller, once their token (if bound to one organisation) is the project owner's."""
    ensure_token_acts_for(request, project.organisation)
    return current_user(request)


# --- search and the record ----------------------------------------------------------------


def _search_query(params: ProjectSearchQuery) -> search_query.SearchQuery:
    def yes_no(value: bool | None) -> str:
        return "" if value is None else ("yes" if value else "no")

    return search_query.SearchQuery.from_params(
        {
            "q": params.q,
            "organisation": params.organisation,
            "phase": [str(phase) for phase in params.phase],
            "theme": params.theme,
            "tag": params.tag,
            "collaboration": yes_no(params.collaboration),
            "market": yes_no(params.market),
            "include_archived": "yes" if params.include_archived else "",
            "sort": params.sort,
            "page": str(params.page),
            "per_page": str(params.per_page),
        }
    )


@router.get(
    "/projects",
    response=responses(ProjectSearchOut, errors=(401,)),
    auth=PUBLIC_OR_SIGNED_IN,
)
def search_projects(request: HttpRequest, query: Query[ProjectSearchQuery]) -> dict[str, Any]:
    """Search projects with facets. Anonymous callers see public projects only; signed-in
    people see every published project and their own organisations' drafts. Archived
    projects are left out unless `include_archived` is set."""
    viewer = caller_or_anonymous(request)
    results = search.project_search(viewer=viewer, query=_search_query(query))  # type: ignore[arg-type]
    prefetch_related_objects(
        results.projects,
        Prefetch("partners", queryset=Organisation.objects.defer("boundary")),
        "contact",
    )
    for project in results.projects:
        setattr(project, "score", results.scores.get(project.pk, 0.0))  # noqa: B010
    return {
        "items": results.projects,
        "total": results.total,
        "page": results.page,
        "pages": results.pages,
        "per_page": results.per_page,
        "facets": results.facets,
        "borough_counts": results.borough_counts,
    }


@router.post("/projects", response=responses(ProjectOut, status=201, errors=WRITE_ERRORS))
def create_project(request: HttpRequest, payload: ProjectIn) -> Status[Project]:
    """Register a project as a draft of an organisation you publish for."""
    organisation = organisation_by_slug(slug=payload.organisation)
    if organisation is None:
        raise ValidationError(
            {"organisation": ["There is no active organisation with this slug on the platform."]}
        )
    ensure_token_acts_for(request, organisation)
    data = ProjectInput(**payload.model_dump(exclude={"organisation"}))
    project = projects.project_create(
        by=current_user(request), organisation=organisation, data=data
    )
    return Status(201, project)


@router.get(
    "/projects/{project_id}",
    response=responses(ProjectOut, errors=PUBLIC_READ_ERRORS),
    auth=PUBLIC_OR_SIGNED_IN,
)
def get_project(request: HttpRequest, project_id: Path[Id]) -> Project:
    """One project's record (public ones without signing in)."""
    return _project(request, project_id)


@router.patch("/projects/{project_id}", response=responses(ProjectOut, errors=WRITE_ERRORS))
def update_project(request: HttpRequest, project_id: Path[Id], payload: ProjectPatch) -> Project:
    """Change some of a project's fields (the owner's publishers and admins)."""
    project = _project(request, project_id)
    by = _acting_for_owner(request, project)
    data = replace(project_input_from(project), **payload.model_dump(exclude_unset=True))
    return projects.project_update(by=by, project=project, data=data)


@router.delete("/projects/{project_id}", response=responses(None, status=204, errors=WRITE_ERRORS))
def delete_project(request: HttpRequest, project_id: Path[Id]) -> Status[None]:
    """Delete a draft that was never published (published projects are archived instead)."""
    project = _project(request, project_id)
    projects.project_delete(by=_acting_for_owner(request, project), project=project)
    return Status(204, None)


@router.post("/projects/{project_id}/publish", response=responses(ProjectOut, errors=WRITE_ERRORS))
def publish_project(request: HttpRequest, project_id: Path[Id]) -> Project:
    """Publish a draft (or an archived project): every signed-in person sees it."""
    project = _project(request, project_id)
    return projects.project_publish(by=_acting_for_owner(request, project), project=project)


@router.post("/projects/{project_id}/archive", response=responses(ProjectOut, errors=WRITE_ERRORS))
def archive_project(request: HttpRequest, project_id: Path[Id]) -> Project:
    """Archive a project that has ended or gone stale."""
    project = _project(request, project_id)
    return projects.project_archive(by=_acting_for_owner(request, project), project=project)


@router.post("/projects/{project_id}/restore", response=responses(ProjectOut, errors=WRITE_ERRORS))
def restore_project(request: HttpRequest, project_id: Path[Id]) -> Project:
    """Bring an archived project back: published if it had been, otherwise a draft."""
    project = _project(request, project_id)
    return projects.project_restore(by=_acting_for_owner(request, project), project=project)


# --- timeline and similar projects ----------------------------------------------------------


@router.get(
    "/projects/{project_id}/updates",
    response=responses(list[StatusUpdateOut], errors=PUBLIC_READ_ERRORS),
    auth=PUBLIC_OR_SIGNED_IN,
)
@paginate(Pagination)
def list_status_updates(request: HttpRequest, project_id: Path[Id]) -> QuerySet[StatusUpdate]:
    """The project's timeline, newest first."""
    return selectors.project_timeline(project=_project(request, project_id))


@router.post(
    "/projects/{project_id}/updates",
    response=responses(StatusUpdateOut, status=201, errors=WRITE_ERRORS),
)
def add_status_update(
    request: HttpRequest, project_id: Path[Id], payload: StatusUpdateIn
) -> Status[StatusUpdate]:
    """Add a dated update, optionally moving the project to a new phase (the owner's
    publishers and admins, and approved contributors)."""
    project = _project(request, project_id)
    user = current_user(request)
    if not permissions.is_contributor(user, project):
        # A contributor writes as themselves; the owner's powers need a token for the owner.
        ensure_token_acts_for(request, project.organisation)
    update = projects.status_update_add(
        by=user, project=project, text=payload.text, phase=payload.phase or ""
    )
    return Status(201, update)


@router.get(
    "/projects/{project_id}/similar",
    response=responses(list[SimilarProjectOut], errors=PUBLIC_READ_ERRORS),
    auth=PUBLIC_OR_SIGNED_IN,
)
def list_similar_projects(
    request: HttpRequest, project_id: Path[Id], query: Query[SimilarQuery]
) -> list[search.SimilarProject]:
    """The projects of other organisations most like this one, with why they matched."""
    project = _project(request, project_id)
    viewer = caller_or_anonymous(request)
    return search.project_similar(viewer=viewer, project=project, limit=query.limit)  # type: ignore[arg-type]


# --- watching and contributing --------------------------------------------------------------


@router.post("/projects/{project_id}/watch", response=responses(WatchOut, errors=WRITE_ERRORS))
def watch_project(request: HttpRequest, project_id: Path[Id]) -> WatchOut:
    """Follow the project: its status updates come to you in a digest by email."""
    project = _project(request, project_id)
    watch = people.project_watch(by=current_user(request), project=project)
    return WatchOut(project_id=project.pk, watching=True, since=watch.created_at)


@router.delete(
    "/projects/{project_id}/watch", response=responses(None, status=204, errors=WRITE_ERRORS)
)
def unwatch_project(request: HttpRequest, project_id: Path[Id]) -> Status[None]:
    """Stop following the project (nothing happens if you were not)."""
    project = _project(request, project_id)
    people.project_unwatch(by=current_user(request), project=project)
    return Status(204, None)


@router.get(
    "/projects/{project_id}/contributions",
    response=responses(list[ContributionOut], errors=READ_ERRORS),
)
@paginate(Pagination)
def list_contributions(request: HttpRequest, project_id: Path[Id]) -> QuerySet[ContributionRequest]:
    """Requests to contribute to the project (the owner's publishers and admins)."""
    project = _project(request, project_id)
    return selectors.contribution_requests(
        viewer=_acting_for_owner(request, project), project=project
    )


@router.post(
    "/projects/{project_id}/contributions",
    response=responses(ContributionOut, status=201, errors=WRITE_ERRORS),
)
def ask_to_contribute(
    request: HttpRequest, project_id: Path[Id], payload: ContributionIn
) -> Status[ContributionRequest]:
    """Ask to contribute to another organisation's published project; its owners decide."""
    project = _project(request, project_id)
    contribution = people.contribution_request_create(
        by=current_user(request), project=project, message=payload.message
    )
    return Status(201, contribution)


@router.post(
    "/projects/{project_id}/contributions/{contribution_id}/decision",
    response=responses(ContributionOut, errors=WRITE_ERRORS),
)
def decide_contribution(
    request: HttpRequest,
    project_id: Path[Id],
    contribution_id: Path[Id],
    payload: ContributionDecisionIn,
) -> ContributionRequest:
    """Approve or decline a request to contribute (the owner's publishers and admins)."""
    project = _project(request, project_id)
    by = _acting_for_owner(request, project)
    contribution = selectors.contribution_request_for_owner(
        viewer=by, project=project, pk=contribution_id
    )
    if contribution is None:
        raise Http404
    return people.contribution_decide(by=by, contribution=contribution, approve=payload.approve)


# --- themes and subscriptions ---------------------------------------------------------------


@router.get("/themes", response=responses(list[ThemeOut]), auth=None)
def list_themes(request: HttpRequest) -> QuerySet[Theme]:
    """The London-wide themes projects are filed under."""
    return selectors.theme_list()


@router.get("/me/subscriptions", response=responses(list[SubscriptionOut], errors=SIGNED_IN_ERRORS))
@paginate(Pagination)
def list_subscriptions(request: HttpRequest) -> QuerySet[Subscription]:
    """The themes and tags you follow: you hear when a matching project is published."""
    return selectors.subscriptions_of(viewer=current_user(request)).order_by("pk")


@router.post(
    "/me/subscriptions",
    response=responses(SubscriptionOut, status=201, errors=(400, *SIGNED_IN_ERRORS)),
)
def create_subscription(request: HttpRequest, payload: SubscriptionIn) -> Status[Subscription]:
    """Follow a theme (by slug) or a tag: give one of them."""
    subscription = people.subscription_create(
        by=current_user(request), theme_slug=payload.theme, tag=payload.tag
    )
    return Status(201, subscription)


@router.delete(
    "/me/subscriptions/{subscription_id}",
    response=responses(None, status=204, errors=WRITE_ERRORS),
)
def delete_subscription(request: HttpRequest, subscription_id: Path[Id]) -> Status[None]:
    """Stop following a theme or tag (someone else's subscription is a 404)."""
    user = current_user(request)
    subscription = selectors.subscriptions_of(viewer=user).filter(pk=subscription_id).first()
    if subscription is None:
        raise Http404
    people.subscription_delete(by=user, subscription=subscription)
    return Status(204, None)
