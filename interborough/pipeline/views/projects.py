"""Project pages: the project record, registering and editing, the lifecycle (publish, archive,
restore, delete a draft) and status updates. The list (search, facets, the London map) is in
views/project_search.py.

Unknown projects, and projects the viewer may not see, answer 404 (an anonymous visitor is
asked to sign in instead); a project the viewer sees but may not change answers 403.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from interborough.accounts.forms import add_service_error
from interborough.accounts.models import Organisation, User
from interborough.accounts.selectors import (
    organisation_list,
    organisations_where_publishing,
)
from interborough.core.errors import ApplicationError
from interborough.pipeline import permissions
from interborough.pipeline.forms.projects import ProjectForm, StatusUpdateForm
from interborough.pipeline.models import ContributionStatus, Project, ProjectStatus
from interborough.pipeline.models.projects import PROJECT_TRANSITIONS
from interborough.pipeline.selectors import projects as selectors
from interborough.pipeline.selectors.search import project_similar
from interborough.pipeline.services import projects as services
from interborough.pipeline.views import viewer_of
from interborough.ui.outcomes import act_and_report

GET_POST = ["GET", "HEAD", "POST"]

# --- helpers --------------------------------------------------------------------------------


def visible_project(request: HttpRequest, pk: int) -> Project:
    """The project if the viewer may see it; 404 otherwise (views/people.py uses it too)."""
    project = selectors.project_for_viewer(viewer=viewer_of(request), pk=pk)
    if project is None:
        raise Http404
    return project


def _editable_project(request: HttpRequest, pk: int) -> tuple[User, Project]:
    """The project and its editor: 404 if they cannot see it, 403 if they may not change it."""
    viewer = viewer_of(request)
    project = visible_project(request, pk)
    if not permissions.can_edit_project(viewer, project):
        raise PermissionDenied
    return viewer, project


def publishing_organisations(viewer: User) -> list[Organisation]:
    """The organisations this person may register projects for (the list page uses it too)."""
    return organisations_where_publishing(user=viewer)


def _partner_choices(owner: Organisation | None) -> list[Organisation]:
    """Active organisations that can be named as partners (not the owner itself)."""
    return [o for o in organisation_list() if owner is None or o.pk != owner.pk]


# --- the record -------------------------------------------------------------------------------


@require_safe
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The project's record, its timeline, who works on it and similar projects elsewhere."""
    viewer = viewer_of(request)
    project = selectors.project_for_viewer(viewer=viewer, pk=pk)
    if project is None:
        if not permissions.is_signed_in(viewer):
            return redirect_to_login(request.get_full_path())
        raise Http404
    can_edit = permissions.can_edit_project(viewer, project)
    pending = (
        selectors.contribution_requests(viewer=viewer, project=project)
        .filter(status=ContributionStatus.PENDING)
        .count()
        if can_edit
        else 0
    )
    can_post_update = (
        permissions.can_post_update(viewer, project) and project.status != ProjectStatus.ARCHIVED
    )
    return render(
        request,
        "pipeline/project_detail.html",
        {
            "project": project,
            "signed_in": permissions.is_signed_in(viewer),
            "timeline": selectors.project_timeline(project=project),
            "contributors": selectors.project_contributors(project=project),
            "can_edit": can_edit,
            "can_post_update": can_post_update,
            "update_form": StatusUpdateForm() if can_post_update else None,
            "can_follow": permissions.can_follow(viewer, project),
            "is_watching": selectors.is_watching(viewer=viewer, project=project),
            "own_contribution": selectors.own_contribution(viewer=viewer, project=project),
            "can_ask": permissions.can_ask_to_contribute(viewer, project),
            "pending_count": pending,
            "actions": _lifecycle_actions(project) if can_edit else [],
            "similar": project_similar(viewer=viewer, project=project),
        },
    )


# --- registering and editing ------------------------------------------------------------------


def _organisations_for_new_project(request: HttpRequest, viewer: User) -> list[Organisation]:
    """Where the person may register a project; `?organisation=<slug>` narrows it to one."""
    organisations = publishing_organisations(viewer)
    wanted = request.GET.get("organisation", "")
    if wanted:
        organisations = [o for o in organisations if o.slug == wanted]
    if not organisations:
        raise PermissionDenied(
            "Only publishers and admins of an organisation register its projects."
        )
    return organisations


@login_required
@require_http_methods(GET_POST)
def project_create(request: HttpRequest) -> HttpResponse:
    """Register a project as a draft of one of the person's organisations."""
    viewer = viewer_of(request)
    organisations = _organisations_for_new_project(request, viewer)
    form = ProjectForm(
        request.POST if request.method == "POST" else None,
        organisations=organisations,
        partner_choices=_partner_choices(organisations[0] if len(organisations) == 1 else None),
    )
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data.get("organisation", organisations[0].slug)
        organisation = next(o for o in organisations if o.slug == chosen)
        try:
            project = services.project_create(
                by=viewer, organisation=organisation, data=form.to_input()
            )
        except (ApplicationError, ValidationError) as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request,
                f"“{project.title}” has been saved as a draft. Only {organisation} can see it "
                "until you publish it.",
            )
            return redirect("pipeline:project-detail", pk=project.pk)
    return render(
        request,
        "pipeline/project_form.html",
        {"form": form, "project": None, "organisation": organisations[0]},
    )


@login_required
@require_http_methods(GET_POST)
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a project's record (its publishers and admins)."""
    viewer, project = _editable_project(request, pk)
    if request.method == "POST":
        form = ProjectForm(request.POST, partner_choices=_partner_choices(project.organisation))
        if form.is_valid():
            try:
                services.project_update(by=viewer, project=project, data=form.to_input())
            except (ApplicationError, ValidationError) as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, "Your changes have been saved.")
                return redirect("pipeline:project-detail", pk=project.pk)
    else:
        form = ProjectForm(
            initial=ProjectForm.initial_for(project),
            partner_choices=_partner_choices(project.organisation),
        )
    return render(
        request,
        "pipeline/project_form.html",
        {"form": form, "project": project, "organisation": project.organisation},
    )


# --- the lifecycle ----------------------------------------------------------------------------


@dataclass(frozen=True)
class LifecycleAction:
    """A lifecycle step as its confirmation page and the project page's owner actions show it."""

    name: str  # the URL name's suffix: project-<name>
    verb: str  # the button
    heading: str
    done: str  # the success message
    warning: bool = False


ACTIONS = {
    "publish": LifecycleAction(
        "publish",
        "Publish project",
        "Publish",
        "“{title}” is published: everyone signed in to Interborough can see it.",
    ),
    "archive": LifecycleAction(
        "archive",
        "Archive project",
        "Archive",
        "“{title}” is archived. You can restore it later.",
        warning=True,
    ),
    "restore": LifecycleAction(
        "restore", "Restore project", "Restore", "“{title}” has been restored."
    ),
    "delete": LifecycleAction(
        "delete",
        "Delete draft",
        "Delete the draft",
        "The draft “{title}” has been deleted.",
        warning=True,
    ),
}


def _possible(project: Project, name: str) -> bool:
    allowed = PROJECT_TRANSITIONS[project.status]
    return {
        "publish": ProjectStatus.PUBLISHED in allowed and project.status == ProjectStatus.DRAFT,
        "archive": ProjectStatus.ARCHIVED in allowed,
        "restore": project.status == ProjectStatus.ARCHIVED,
        "delete": project.published_at is None,
    }[name]


def _lifecycle_actions(project: Project) -> list[LifecycleAction]:
    return [action for name, action in ACTIONS.items() if _possible(project, name)]


def _lifecycle(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """GET: a confirmation page; POST: the step itself, reported on the next page."""
    viewer, project = _editable_project(request, pk)
    action = ACTIONS[name]
    if request.method == "POST":

        def act() -> object:
            if name == "publish":
                return services.project_publish(by=viewer, project=project)
            if name == "archive":
                return services.project_archive(by=viewer, project=project)
            if name == "restore":
                return services.project_restore(by=viewer, project=project)
            return services.project_delete(by=viewer, project=project)

        done = act_and_report(
            request,
            act,
            success=action.done.format(title=project.title),
        )
        if done and name == "delete":
            return redirect("pipeline:project-list")
        return redirect("pipeline:project-detail", pk=project.pk)
    return render(
        request,
        "pipeline/project_confirm.html",
        {"project": project, "action": action, "possible": _possible(project, name)},
    )


@login_required
@require_http_methods(GET_POST)
def project_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then publish a draft."""
    return _lifecycle(request, pk, "publish")


@login_required
@require_http_methods(GET_POST)
def project_archive(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then archive a project."""
    return _lifecycle(request, pk, "archive")


@login_required
@require_http_methods(GET_POST)
def project_restore(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then bring back an archived project."""
    return _lifecycle(request, pk, "restore")


@login_required
@require_http_methods(GET_POST)
def project_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then delete a draft that was never published."""
    return _lifecycle(request, pk, "delete")


# --- status updates ---------------------------------------------------------------------------


@login_required
@require_http_methods(GET_POST)
def status_update_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add an entry to the project's timeline (owners and approved contributors)."""
    viewer = viewer_of(request)
    project = visible_project(request, pk)
    if not permissions.can_post_update(viewer, project):
        raise PermissionDenied
    form = StatusUpdateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.status_update_add(
                by=viewer,
                project=project,
                text=form.cleaned_data["text"],
                phase=form.cleaned_data["phase"],
            )
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Your update has been added to the timeline.")
            return redirect(reverse("pipeline:project-detail", args=[project.pk]) + "#timeline")
    return render(request, "pipeline/project_update_add.html", {"project": project, "form": form})
