"""Writes for memberships and invitations."""

from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from interborough.accounts import permissions, tokens
from interborough.accounts.models import (
    ApiToken,
    Invitation,
    Membership,
    Organisation,
    Role,
    User,
)
from interborough.accounts.services.people import user_create
from interborough.accounts.tokens import IssuedSecret
from interborough.core.errors import ApplicationError, PermissionDeniedError
from interborough.core.services import audit_record

INVITATION_LIFETIME = timedelta(days=14)


@transaction.atomic
def membership_create(
    *, by: User | None, user: User, organisation: Organisation, role: str = Role.MEMBER
) -> Membership:
    """Add a person to an organisation (admins, staff, invitation acceptance, demo loader)."""
    if by is not None and by != user and not permissions.can_manage_members(by, organisation):
        raise PermissionDeniedError()
    if role not in Role.values:
        raise ApplicationError("Choose a valid role.", field="role")
    if Membership.objects.filter(user=user, organisation=organisation).exists():
        raise ApplicationError(f"{user} is already a member of {organisation}.")
    membership = Membership.objects.create(user=user, organisation=organisation, role=role)
    audit_record(
        by=by,
        action="membership.create",
        obj=membership,
        organisation=organisation,
        after={"user": user.email, "role": role},
    )
    return membership


def _admin_count(organisation: Organisation) -> int:
    return Membership.objects.filter(organisation=organisation, role=Role.ORG_ADMIN).count()


@transaction.atomic
def membership_change_role(*, by: User, membership: Membership, role: str) -> Membership:
    """An organisation admin changes a member's role; the last admin cannot step down."""
    if not permissions.can_manage_members(by, membership.organisation):
        raise PermissionDeniedError()
    if role not in Role.values:
        raise ApplicationError("Choose a valid role.", field="role")
    if (
        membership.role == Role.ORG_ADMIN
        and role != Role.ORG_ADMIN
        and _admin_count(membership.organisation) == 1
    ):
        raise ApplicationError("An organisation needs at least one admin.", field="role")
    before = {"role": membership.role}
    membership.role = role
    membership.save(update_fields=["role", "updated_at"])
    audit_record(
        by=by,
        action="membership.change_role",
        obj=membership,
        organisation=membership.organisation,
        before=before,
        after={"role": role},
    )
    return membership


@transaction.atomic
def membership_remove(*, by: User, membership: Membership) -> None:
    """Remove a person from an organisation; their tokens for it stop working."""
    if not permissions.can_manage_members(by, membership.organisation):
        raise PermissionDeniedError()
    if membership.role == Role.ORG_ADMIN and _admin_count(membership.organisation) == 1:
        raise ApplicationError("An organisation needs at least one admin.")
    organisation, user = membership.organisation, membership.user
    audit_record(
        by=by,
        action="membership.remove",
        obj=membership,
        organisation=organisation,
        before={"user": user.email, "role": membership.role},
    )
    ApiToken.objects.filter(user=user, organisation=organisation, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    membership.delete()


@transaction.atomic
def invitation_create(
    *, by: User, organisation: Organisation, email: str, role: str = Role.MEMBER
) -> tuple[Invitation, IssuedSecret]:
    """An organisation admin invites someone by email; the link is valid for 14 days."""
    if not permissions.can_manage_members(by, organisation):
        raise PermissionDeniedError()
    email = email.strip().lower()
    if role not in Role.values:
        raise ApplicationError("Choose a valid role.", field="role")
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise ApplicationError("This person is already a member.", field="email")
    secret = tokens.new_secret()
    invitation = Invitation(
        organisation=organisation,
        email=email,
        role=role,
        invited_by=by,
        token_hash=tokens.secret_hash(secret),
        expires_at=timezone.now() + INVITATION_LIFETIME,
    )
    invitation.full_clean()
    invitation.save()
    audit_record(
        by=by,
        action="invitation.create",
        obj=invitation,
        organisation=organisation,
        after={"email": email, "role": role},
    )
    link = settings.SITE_URL + reverse("accounts:invitation-accept", args=[secret])
    context = {"invitation": invitation, "link": link}
    transaction.on_commit(
        lambda: send_mail(
            subject=f"You're invited to join {organisation} on Interborough",
            message=render_to_string("accounts/email/invitation.txt", context),
            from_email=None,
            recipient_list=[email],
        )
    )
    return invitation, IssuedSecret(secret)


def invitation_from_secret(secret: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("organisation")
        .filter(token_hash=tokens.secret_hash(secret))
        .first()
    )


@transaction.atomic
def invitation_accept(
    *, secret: str, user: User | None, full_name: str = "", password: str = ""
) -> Membership:
    """Accept an invitation: as the signed-in invitee, or by creating the account it names."""
    invitation = invitation_from_secret(secret)
    if invitation is None or not invitation.is_open:
        raise ApplicationError("This invitation has expired or has already been used.")
    if user is None:
        user = user_create(by=None, email=invitation.email, full_name=full_name, password=password)
    elif user.email.lower() != invitation.email:
        raise ApplicationError("This invitation was sent to a different email address.")
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at", "updated_at"])
    membership = membership_create(
        by=user, user=user, organisation=invitation.organisation, role=invitation.role
    )
    audit_record(
        by=user, action="invitation.accept", obj=invitation, organisation=invitation.organisation
    )
    return membership


@transaction.atomic
def invitation_revoke(*, by: User, invitation: Invitation) -> Invitation:
    """Withdraw an invitation that has not been accepted."""
    if not permissions.can_manage_members(by, invitation.organisation):
        raise PermissionDeniedError()
    if not invitation.is_open:
        raise ApplicationError("Only open invitations can be withdrawn.")
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at", "updated_at"])
    audit_record(
        by=by, action="invitation.revoke", obj=invitation, organisation=invitation.organisation
    )
    return invitation
