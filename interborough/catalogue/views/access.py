"""Restricted data pages: ask for access, see one's requests and grants, and (the publisher's
information governance leads) decide requests and revoke grants.

A request or grant the person may not see is a 404, so their existence does not leak.
"""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from interborough.accounts.forms import add_service_error
from interborough.accounts.models import Organisation, User
from interborough.catalogue import permissions
from interborough.catalogue.models import AccessDuration, AccessRequestStatus
from interborough.catalogue.selectors import access as selectors
from interborough.catalogue.services import access as services
from interborough.catalogue.views import viewable_dataset, viewer_of
from interborough.core.errors import ApplicationError
from interborough.ui.outcomes import act_and_report

GET_POST = ["GET", "POST"]


class AccessRequestForm(forms.Form):
    purpose = forms.CharField(
        label="What do you need the data for?",
        help_text="The publisher's information governance lead reads this when they decide. "
        "Say what you will do with the data, and who will see it.",
        max_length=services.PURPOSE_MAX_LENGTH,
        widget=forms.Textarea,
        error_messages={
            "required": "Enter what you need the data for.",
            "max_length": f"The purpose must be {services.PURPOSE_MAX_LENGTH} characters or fewer.",
        },
    )
    duration_days = forms.TypedChoiceField(
        label="How long do you need access for?",
        choices=AccessDuration.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose how long you need access for.",
            "invalid_choice": "Choose how long you need access for.",
        },
    )
    organisation = forms.ChoiceField(
        label="Who are you asking for?",
        required=False,
        error_messages={"invalid_choice": "Choose yourself or one of your organisations."},
    )

    def __init__(self, *args: Any, viewer: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisations = {
            o.slug: o for o in Organisation.objects.filter(memberships__user=viewer).distinct()
        }
        if self.organisations:
            self.fields["organisation"].choices = [  # type: ignore[attr-defined]
                ("", "Myself"),
                *((slug, o.name) for slug, o in self.organisations.items()),
            ]
        else:
            del self.fields["organisation"]


class AccessDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("approve", "Approve"), ("refuse", "Refuse")],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether to approve or refuse the request.",
            "invalid_choice": "Choose whether to approve or refuse the request.",
        },
    )
    reason = forms.CharField(
        label="Reason",
        help_text="Required when you refuse. The requester sees it.",
        required=False,
        max_length=services.REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": f"The reason must be {services.REASON_MAX_LENGTH} characters or fewer."
        },
    )


@login_required
@require_http_methods(GET_POST)
def access_request(request: HttpRequest, slug: str) -> HttpResponse:
    """Ask for access to a restricted dataset's data."""
    viewer = viewer_of(request)
    dataset = viewable_dataset(request, slug)
    state = selectors.access_state(viewer=viewer, dataset=dataset)
    data = request.POST if request.method == "POST" else None
    form = AccessRequestForm(data, viewer=viewer)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.access_request_create(
                by=viewer,
                dataset=dataset,
                purpose=form.cleaned_data["purpose"],
                duration_days=form.cleaned_data["duration_days"],
                organisation=form.organisations.get(form.cleaned_data.get("organisation") or ""),
            )
        except (ApplicationError, ValidationError) as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request,
                f"Your request has been sent to {dataset.publisher}. We will email you when "
                "they decide.",
            )
            return redirect("catalogue:access-request-detail", pk=created.pk)
    return render(
        request,
        "catalogue/access_request.html",
        {"dataset": dataset, "form": form, "access": state},
    )


@login_required
@require_safe
def access_request_list(request: HttpRequest) -> HttpResponse:
    """My requests and grants; for IG leads, the requests waiting on them and grants to oversee."""
    viewer = viewer_of(request)
    return render(
        request,
        "catalogue/access_request_list.html",
        {
            "my_requests": selectors.access_requests_of(viewer=viewer),
            "my_grants": selectors.access_grants_of(viewer=viewer),
            "waiting": selectors.access_requests_waiting(viewer=viewer),
            "overseen_grants": selectors.access_grants_to_oversee(viewer=viewer),
        },
    )


def _request_page(
    request: HttpRequest, pk: int, form: AccessDecisionForm | None = None
) -> HttpResponse:
    viewer = viewer_of(request)
    access_request = selectors.access_request_for(viewer=viewer, pk=pk)
    if access_request is None:
        raise Http404
    can_decide = access_request.status == AccessRequestStatus.PENDING and (
        permissions.can_decide_access(viewer, access_request.dataset)
    )
    return render(
        request,
        "catalogue/access_request_detail.html",
        {
            "access_request": access_request,
            "dataset": access_request.dataset,
            "is_requester": access_request.requester_id == viewer.pk,
            "can_decide": can_decide,
            "form": form or AccessDecisionForm(),
        },
    )


@login_required
@require_safe
def access_request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One request: for the requester, and for the publisher's IG leads (who decide here)."""
    return _request_page(request, pk)


@login_required
@require_POST
def access_request_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve or refuse a request (an IG lead of the publisher); errors re-show the page."""
    viewer = viewer_of(request)
    access_request = selectors.access_request_for(viewer=viewer, pk=pk)
    if access_request is None:
        raise Http404
    form = AccessDecisionForm(request.POST)
    if form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        try:
            services.access_request_decide(
                by=viewer,
                request=access_request,
                approve=approve,
                reason=form.cleaned_data["reason"],
            )
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            who = access_request.requester.full_name or access_request.requester.email
            outcome = "can now read the data" if approve else "has been told no"
            messages.success(request, f"{who} {outcome}. We have emailed them.")
            return redirect("catalogue:access-request-detail", pk=pk)
    return _request_page(request, pk, form)


@login_required
@require_POST
def access_request_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """The requester withdraws their waiting request (others: 404)."""
    viewer = viewer_of(request)
    access_request = selectors.access_request_for(viewer=viewer, pk=pk)
    if access_request is None or access_request.requester_id != viewer.pk:
        raise Http404
    act_and_report(
        request,
        lambda: services.access_request_withdraw(by=viewer, request=access_request),
        success="Your request has been withdrawn.",
    )
    return redirect("catalogue:access-request-detail", pk=pk)


@login_required
@require_POST
def access_grant_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """End a grant: its holder giving it up, or an IG lead of the publisher (others: 404)."""
    viewer = viewer_of(request)
    grant = selectors.access_grant_for(viewer=viewer, pk=pk)
    if grant is None:
        raise Http404
    mine = grant.grantee_id == viewer.pk
    act_and_report(
        request,
        lambda: services.access_grant_revoke(by=viewer, grant=grant),
        success=f"You no longer have access to “{grant.dataset.title}”."
        if mine
        else f"{grant.grantee} no longer has access to “{grant.dataset.title}”. "
        "We have emailed them.",
    )
    return redirect("catalogue:access-request-list")
