"""People and projects: watching a project, asking to contribute and deciding on requests,
following themes and tags."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from interborough.accounts.forms import add_service_error
from interborough.core.errors import ApplicationError
from interborough.pipeline import permissions
from interborough.pipeline.forms.people import (
    ContributionDecisionForm,
    ContributionRequestForm,
    SubscriptionForm,
)
from interborough.pipeline.models import ContributionStatus
from interborough.pipeline.selectors import projects as selectors
from interborough.pipeline.services import people as services
from interborough.pipeline.views import viewer_of
from interborough.pipeline.views.projects import GET_POST, visible_project
from interborough.ui.outcomes import act_and_report

# --- watching ---------------------------------------------------------------------------------


@login_required
@require_POST
def project_watch(request: HttpRequest, pk: int) -> HttpResponse:
    """Watch or stop watching a project: `watch=yes|no`, or a toggle when it is not sent."""
    viewer = viewer_of(request)
    project = visible_project(request, pk)
    wanted = request.POST.get("watch", "")
    if wanted not in ("yes", "no"):
        wanted = "no" if selectors.is_watching(viewer=viewer, project=project) else "yes"
    if wanted == "yes":
        services.project_watch(by=viewer, project=project)
        messages.success(
            request, "You are watching this project. We will email you a digest of its updates."
        )
    else:
        services.project_unwatch(by=viewer, project=project)
        messages.success(request, "You are no longer watching this project.")
    return redirect("pipeline:project-detail", pk=project.pk)


# --- contributing -----------------------------------------------------------------------------


@login_required
@require_http_methods(GET_POST)
def contribution_request(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask to contribute to another organisation's published project."""
    viewer = viewer_of(request)
    project = visible_project(request, pk)
    form = ContributionRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.contribution_request_create(
                by=viewer, project=project, message=form.cleaned_data["message"]
            )
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request,
                f"Your request has been sent to {project.organisation}. We will email you "
                "when they decide.",
            )
            return redirect("pipeline:project-detail", pk=project.pk)
    return render(
        request,
        "pipeline/contribution_request.html",
        {
            "project": project,
            "form": form,
            "own_contribution": selectors.own_contribution(viewer=viewer, project=project),
            "can_ask": permissions.can_ask_to_contribute(viewer, project),
        },
    )


@login_required
@require_POST
def contribution_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw one's own open request (or stop contributing)."""
    viewer = viewer_of(request)
    project = visible_project(request, pk)
    contribution = selectors.own_contribution(viewer=viewer, project=project)
    if contribution is None:
        messages.error(request, "You have no open request to contribute to this project.")
    else:
        act_and_report(
            request,
            lambda: services.contribution_withdraw(by=viewer, contribution=contribution),
            success="Your request to contribute has been withdrawn.",
        )
    return redirect("pipeline:project-detail", pk=project.pk)


@login_required
@require_safe
def contribution_list(request: HttpRequest, pk: int) -> HttpResponse:
    """Requests to contribute, for the owner's publishers and admins to decide."""
    viewer = viewer_of(request)
    project = visible_project(request, pk)
    requests = list(selectors.contribution_requests(viewer=viewer, project=project))
    return render(
        request,
        "pipeline/contribution_list.html",
        {
            "project": project,
            "pending": [r for r in requests if r.status == ContributionStatus.PENDING],
            "decided": [r for r in requests if r.status != ContributionStatus.PENDING],
        },
    )


@login_required
@require_POST
def contribution_decide(request: HttpRequest, pk: int, request_pk: int) -> HttpResponse:
    """Approve (`approve=yes`) or decline (`approve=no`) a request to contribute."""
    viewer = viewer_of(request)
    project = visible_project(request, pk)
    contribution = selectors.contribution_request_for_owner(
        viewer=viewer, project=project, pk=request_pk
    )
    if contribution is None:
        raise Http404
    form = ContributionDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose whether to approve or decline the request.")
        return redirect("pipeline:contribution-list", pk=project.pk)
    approve: bool = form.cleaned_data["approve"]
    act_and_report(
        request,
        lambda: services.contribution_decide(by=viewer, contribution=contribution, approve=approve),
        success=f"{contribution.user} {'can now contribute' if approve else 'has been told no'}"
        f" to “{project.title}”. We have emailed them.",
    )
    return redirect("pipeline:contribution-list", pk=project.pk)


# --- following themes and tags ----------------------------------------------------------------


@login_required
@require_http_methods(GET_POST)
def subscription_list(request: HttpRequest) -> HttpResponse:
    """The themes and tags the person follows; follow another one."""
    viewer = viewer_of(request)
    form = SubscriptionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            subscription = services.subscription_create(
                by=viewer, theme_slug=form.cleaned_data["theme"], tag=form.cleaned_data["tag"]
            )
        except (ApplicationError, ValidationError) as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request,
                f"You are following “{subscription.theme or subscription.tag}”. We will email "
                "you when a matching project is published.",
            )
            return redirect("pipeline:subscription-list")
    return render(
        request,
        "pipeline/subscription_list.html",
        {"form": form, "subscriptions": selectors.subscriptions_of(viewer=viewer)},
    )


@login_required
@require_POST
def subscription_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Stop following a theme or tag (one's own subscriptions only: others are 404)."""
    viewer = viewer_of(request)
    subscription = selectors.subscriptions_of(viewer=viewer).filter(pk=pk).first()
    if subscription is None:
        raise Http404
    label = str(subscription.theme or subscription.tag)
    act_and_report(
        request,
        lambda: services.subscription_delete(by=viewer, subscription=subscription),
        success=f"You no longer follow “{label}”.",
    )
    return redirect("pipeline:subscription-list")
