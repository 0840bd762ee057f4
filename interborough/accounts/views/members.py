"""An organisation's people: list, invite, change role or remove, withdraw invitations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from interborough.accounts import permissions, selectors, services
from interborough.accounts.forms import InvitationForm, MembershipRoleForm, add_service_error
from interborough.accounts.models import Organisation, User
from interborough.accounts.views.organisations import can_see_members, organisation_or_404
from interborough.core.errors import ApplicationError
from interborough.ui.outcomes import act_and_report


def _managed_organisation(request: HttpRequest, slug: str) -> tuple[User, Organisation]:
    """The organisation, when the viewer may manage its members (404 if absent, else 403)."""
    organisation = organisation_or_404(slug)
    user: User = request.user  # type: ignore[assignment]
    if not permissions.can_manage_members(user, organisation):
        raise PermissionDenied
    return user, organisation


def _after_change(user: User, organisation: Organisation) -> HttpResponse:
    """Back to the member list, unless the change took away the viewer's own access to it."""
    if can_see_members(user, organisation):
        return redirect("accounts:member-list", slug=organisation.slug)
    return redirect("accounts:organisation-detail", slug=organisation.slug)


@login_required
@require_safe
def member_list(request: HttpRequest, slug: str) -> HttpResponse:
    """Members and their roles; admins also see open invitations."""
    organisation = organisation_or_404(slug)
    user: User = request.user  # type: ignore[assignment]
    members = selectors.organisation_members(viewer=user, organisation=organisation)
    can_manage = permissions.can_manage_members(user, organisation)
    invitations = (
        selectors.organisation_open_invitations(viewer=user, organisation=organisation)
        if can_manage
        else None
    )
    return render(
        request,
        "accounts/member_list.html",
        {
            "organisation": organisation,
            "members": members,
            "can_manage": can_manage,
            "invitations": invitations,
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def member_invite(request: HttpRequest, slug: str) -> HttpResponse:
    """Invite someone by email to join with a role."""
    user, organisation = _managed_organisation(request, slug)
    form = InvitationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, _ = services.invitation_create(
                by=user, organisation=organisation, **form.cleaned_data
            )
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"An invitation has been sent to {invitation.email}.")
            return redirect("accounts:member-list", slug=organisation.slug)
    return render(
        request, "accounts/member_invite.html", {"organisation": organisation, "form": form}
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def member_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Change a member's role, or remove them (`action=remove`)."""
    user, organisation = _managed_organisation(request, slug)
    membership = selectors.organisation_membership(organisation=organisation, pk=pk)
    if membership is None:
        raise Http404
    if request.method == "POST" and request.POST.get("action") == "remove":
        form = MembershipRoleForm({"role": membership.role})
        form.is_valid()  # bound and clean, so a refusal shows in the error summary
        try:
            services.membership_remove(by=user, membership=membership)
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"{membership.user} has been removed.")
            return _after_change(user, organisation)
    elif request.method == "POST":
        form = MembershipRoleForm(request.POST)
        if form.is_valid():
            try:
                services.membership_change_role(
                    by=user, membership=membership, role=form.cleaned_data["role"]
                )
            except ApplicationError as exc:
                membership.refresh_from_db()
                add_service_error(form, exc)
            else:
                messages.success(request, f"{membership.user}'s role has been changed.")
                return _after_change(user, organisation)
    else:
        form = MembershipRoleForm(initial={"role": membership.role})
    return render(
        request,
        "accounts/member_edit.html",
        {
            "organisation": organisation,
            "membership": membership,
            "form": form,
            "can_reset_two_factor": permissions.can_reset_two_factor(user)
            and membership.user != user,
        },
    )


@login_required
@require_POST
def member_two_factor_reset(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Platform staff remove a member's authenticator app, e.g. after a lost phone."""
    organisation = organisation_or_404(slug)
    user: User = request.user  # type: ignore[assignment]
    if not permissions.can_reset_two_factor(user):
        raise PermissionDenied
    membership = selectors.organisation_membership(organisation=organisation, pk=pk)
    if membership is None:
        raise Http404
    act_and_report(
        request,
        lambda: services.two_factor_reset(by=user, user=membership.user),
        success=f"{membership.user}'s authenticator app was removed. "
        "They set up a new one at their next sign-in.",
    )
    return redirect("accounts:member-edit", slug=organisation.slug, pk=membership.pk)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def invitation_revoke(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Confirm, then withdraw an invitation that has not been accepted."""
    user, organisation = _managed_organisation(request, slug)
    invitation = selectors.organisation_invitation(organisation=organisation, pk=pk)
    if invitation is None:
        raise Http404
    if request.method == "POST":
        act_and_report(
            request,
            lambda: services.invitation_revoke(by=user, invitation=invitation),
            success=f"The invitation for {invitation.email} has been withdrawn.",
        )
        return redirect("accounts:member-list", slug=organisation.slug)
    return render(
        request,
        "accounts/invitation_revoke.html",
        {"organisation": organisation, "invitation": invitation},
    )
