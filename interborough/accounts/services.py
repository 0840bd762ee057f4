"""Writes for organisations, people, memberships, invitations and API tokens."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from interborough.accounts import permissions, reference, tokens
from interborough.accounts.models import (
    ApiToken,
    Invitation,
    Membership,
    Organisation,
    Role,
    TokenScope,
    User,
)
from interborough.core.errors import ApplicationError, PermissionDeniedError
from interborough.core.services import audit_record

INVITATION_LIFETIME = timedelta(days=14)
MAX_TOKEN_LIFETIME = timedelta(days=366)


@transaction.atomic
def organisations_load_reference(*, by: User | None = None) -> int:
    """Create or refresh the 33 London local authorities (with boundaries) and partner bodies."""
    changed = 0
    for ref in [*reference.LOCAL_AUTHORITIES, *reference.PARTNERS]:
        values = {
            "name": ref.name,
            "short_name": ref.short_name,
            "type": ref.type,
            "gss_code": ref.gss_code,
            "website": ref.website,
            "boundary": reference.boundary_for(ref.gss_code) if ref.gss_code else None,
        }
        org, created = Organisation.objects.get_or_create(slug=ref.slug, defaults=values)
        if not created:
            stale = {k: v for k, v in values.items() if getattr(org, k) != v}
            if not stale:
                continue
            Organisation.objects.filter(pk=org.pk).update(**stale)
        changed += 1
        audit_record(
            by=by,
            action="organisation.load_reference",
            obj=org,
            organisation=org,
            after={"name": ref.name, "gss_code": ref.gss_code, "created": created},
        )
    return changed


@transaction.atomic
def organisation_update(
    *, by: User, organisation: Organisation, description: str, website: str, ico_registration: str
) -> Organisation:
    """Update an organisation's public profile (its admins or platform staff)."""
    if not permissions.can_manage_members(by, organisation):
        raise PermissionDeniedError()
    fields = {"description": description, "website": website, "ico_registration": ico_registration}
    before = {k: getattr(organisation, k) for k in fields}
    for key, value in fields.items():
        setattr(organisation, key, value)
    organisation.full_clean()
    organisation.save(update_fields=[*fields, "updated_at"])
    audit_record(
        by=by,
        action="organisation.update",
        obj=organisation,
        organisation=organisation,
        before=before,
        after=fields,
    )
    return organisation


@transaction.atomic
def user_create(
    *,
    by: User | None,
    email: str,
    full_name: str,
    password: str | None = None,
    is_staff: bool = False,
    job_title: str = "",
) -> User:
    """Create a person; `by=None` only for the first administrator and the demo loader."""
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ApplicationError("A person with this email address already exists.", field="email")
    user = User(email=email, full_name=full_name.strip(), is_staff=is_staff, job_title=job_title)
    if password:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise ApplicationError(" ".join(exc.messages), field="password") from exc
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    audit_record(
        by=by,
        action="user.create",
        obj=user,
        after={"email": email, "full_name": user.full_name, "is_staff": is_staff},
    )
    return user


@transaction.atomic
def user_update_profile(*, by: User, full_name: str, job_title: str) -> User:
    """A person edits their own name and job title."""
    before = {"full_name": by.full_name, "job_title": by.job_title}
    by.full_name, by.job_title = full_name.strip(), job_title.strip()
    by.full_clean(exclude=["password"])
    by.save(update_fields=["full_name", "job_title"])
    audit_record(
        by=by,
        action="user.update_profile",
        obj=by,
        before=before,
        after={"full_name": by.full_name, "job_title": by.job_title},
    )
    return by


@transaction.atomic
def user_set_password(*, by: User | None, user: User, password: str, reason: str) -> User:
    """Set a password (change or reset); the hash never enters the audit trail."""
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(by=by or user, action="user.set_password", obj=user, after={"reason": reason})
    return user


@transaction.atomic
def two_factor_device_confirm(*, by: User, device_name: str) -> None:
    """Record that a person enrolled an authenticator app."""
    audit_record(by=by, action="user.two_factor_enrol", obj=by, after={"device": device_name})


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


@dataclass(frozen=True)
class IssuedSecret:
    """A newly issued secret, shown once and never stored."""

    secret: str


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


@transaction.atomic
def api_token_create(
    *,
    by: User,
    name: str,
    scope: str,
    expires_at: datetime,
    organisation: Organisation | None = None,
) -> tuple[ApiToken, IssuedSecret]:
    """Issue an API token for the person; the secret is returned once, only its hash is kept."""
    now = timezone.now()
    if scope not in TokenScope.values:
        raise ApplicationError("Choose read or write.", field="scope")
    if not name.strip():
        raise ApplicationError("Enter a name for the token.", field="name")
    if expires_at <= now:
        raise ApplicationError("The expiry date must be in the future.", field="expires_at")
    if expires_at > now + MAX_TOKEN_LIFETIME:
        raise ApplicationError("Tokens can last at most a year.", field="expires_at")
    if (
        organisation is not None
        and not Membership.objects.filter(user=by, organisation=organisation).exists()
    ):
        raise ApplicationError(
            "You can only issue tokens for your own organisations.", field="organisation"
        )
    secret = tokens.new_secret(tokens.API_TOKEN_PREFIX)
    token = ApiToken(
        user=by,
        organisation=organisation,
        name=name.strip()[:100],
        scope=scope,
        prefix=tokens.display_prefix(secret),
        token_hash=tokens.secret_hash(secret),
        expires_at=expires_at,
    )
    token.full_clean()
    token.save()
    audit_record(
        by=by,
        action="api_token.create",
        obj=token,
        organisation=organisation,
        after={"name": token.name, "scope": scope, "expires_at": expires_at.isoformat()},
    )
    return token, IssuedSecret(secret)


@transaction.atomic
def api_token_revoke(*, by: User, token: ApiToken) -> ApiToken:
    """Revoke a token at once (its owner or platform staff)."""
    if token.user_id != by.pk and not by.is_staff:
        raise PermissionDeniedError()
    if token.revoked_at is not None:
        raise ApplicationError("This token is already revoked.")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at", "updated_at"])
    audit_record(by=by, action="api_token.revoke", obj=token, organisation=token.organisation)
    return token


def api_token_authenticate(secret: str) -> ApiToken | None:
    """Return the live token for a presented secret and record its use, or None."""
    if not secret.startswith(tokens.API_TOKEN_PREFIX) or len(secret) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user", "organisation")
        .filter(token_hash=tokens.secret_hash(secret))
        .first()
    )
    if token is None or not token.is_usable or not token.user.is_active:
        return None
    now = timezone.now()
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
    return token


@transaction.atomic
def two_factor_device_pending(*, by: User) -> TOTPDevice:
    """The person's authenticator app waiting to be confirmed, created on first use."""
    device = TOTPDevice.objects.filter(user=by, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=by, name="Authenticator app", confirmed=False)
        audit_record(by=by, action="user.two_factor_start", obj=by)
    return device


@transaction.atomic
def two_factor_device_activate(*, by: User, device: TOTPDevice) -> TOTPDevice:
    """Confirm an authenticator app whose code was checked; it replaces any earlier one."""
    if device.user_id != by.pk:
        raise PermissionDeniedError()
    TOTPDevice.objects.filter(user=by).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    two_factor_device_confirm(by=by, device_name=device.name)
    return device
