"""The public page behind an invitation's secret link."""

from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from interborough.accounts import services
from interborough.accounts.forms import InvitationAccountForm, add_service_error
from interborough.accounts.models import Invitation, User
from interborough.core.errors import ApplicationError

# Secrets are 43 characters; anything much longer is not one of ours.
MAX_SECRET_LENGTH = 100
SIGN_IN_BACKEND = "interborough.accounts.backends.EmailBackend"


def _unavailable(request: HttpRequest, invitation: Invitation | None) -> HttpResponse:
    return render(
        request,
        "accounts/invitation_unavailable.html",
        {"invitation": invitation},
        status=404 if invitation is None else 410,
    )


def _accepted(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    messages.success(
        request,
        f"You have joined {invitation.organisation} as {invitation.get_role_display().lower()}.",
    )
    return redirect("accounts:organisation-detail", slug=invitation.organisation.slug)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def invitation_accept(request: HttpRequest, secret: str) -> HttpResponse:
    """Accept as the signed-in invitee, or create the invited account and sign in."""
    invitation = (
        services.invitation_from_secret(secret) if len(secret) <= MAX_SECRET_LENGTH else None
    )
    if invitation is None or not invitation.is_open:
        return _unavailable(request, invitation)
    user = request.user
    context: dict[str, object] = {"invitation": invitation}

    if user.is_authenticated:
        if user.email.lower() != invitation.email:
            return render(request, "accounts/invitation_wrong_person.html", context, status=403)
        if request.method == "POST":
            try:
                services.invitation_accept(secret=secret, user=user)  # type: ignore[arg-type]
            except ApplicationError as exc:
                context["error"] = exc.message
            else:
                return _accepted(request, invitation)
        return render(request, "accounts/invitation_accept.html", context)

    if User.objects.filter(email__iexact=invitation.email).exists():
        return render(request, "accounts/invitation_sign_in.html", context)
    form = InvitationAccountForm(
        request.POST if request.method == "POST" else None, email=invitation.email
    )
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.invitation_accept(
                secret=secret,
                user=None,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
            )
        except ApplicationError as exc:
            if exc.field == "password":
                exc.field = "password1"
            add_service_error(form, exc)
        else:
            login(request, membership.user, backend=SIGN_IN_BACKEND)
            return _accepted(request, invitation)
    context["form"] = form
    return render(request, "accounts/invitation_create_account.html", context)
