"""A person's own account: profile, memberships, two-factor status and API tokens."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from interborough.accounts import permissions, selectors, services
from interborough.accounts.forms import ApiTokenCreateForm, ProfileForm, add_service_error
from interborough.accounts.models import User
from interborough.core.errors import ApplicationError
from interborough.ui.outcomes import act_and_report


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    """See one's memberships and security settings; edit name and job title."""
    user: User = request.user  # type: ignore[assignment]
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            try:
                services.user_update_profile(by=user, **form.cleaned_data)
            except (ApplicationError, ValidationError) as exc:
                user.refresh_from_db(fields=["full_name", "job_title"])
                add_service_error(form, exc)
            else:
                messages.success(request, "Your details have been saved.")
                return redirect("accounts:profile")
    else:
        form = ProfileForm(initial={"full_name": user.full_name, "job_title": user.job_title})
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "memberships": selectors.memberships_of(user=user),
            "device": selectors.two_factor_device(user=user),
            "two_factor_required": permissions.requires_two_factor(user),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    """List one's API tokens and issue a new one; its secret appears once, in this response."""
    user: User = request.user  # type: ignore[assignment]
    form = ApiTokenCreateForm(request.POST if request.method == "POST" else None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            token, issued = services.api_token_create(
                by=user,
                name=data["name"],
                scope=data["scope"],
                expires_at=timezone.now() + timedelta(days=data["expires_in"]),
                organisation=data["organisation"],
            )
        except (ApplicationError, ValidationError) as exc:
            add_service_error(form, exc)
        else:
            return render(
                request, "accounts/token_created.html", {"token": token, "secret": issued.secret}
            )
    return render(
        request,
        "accounts/token_list.html",
        {"form": form, "tokens": selectors.api_token_list(viewer=user), "now": timezone.now()},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then revoke one of one's own tokens; anyone else's token is not found."""
    user: User = request.user  # type: ignore[assignment]
    token = selectors.api_token_list(viewer=user).filter(pk=pk).first()
    if token is None:
        raise Http404
    if request.method == "POST":
        act_and_report(
            request,
            lambda: services.api_token_revoke(by=user, token=token),
            success=f"The token “{token.name}” has been revoked.",
        )
        return redirect("accounts:token-list")
    return render(request, "accounts/token_revoke.html", {"token": token})
