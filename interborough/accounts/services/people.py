"""Writes for people: accounts, profiles, passwords and two-factor devices."""

from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from interborough.accounts.models import User
from interborough.accounts.permissions import can_reset_two_factor
from interborough.core.errors import ApplicationError, PermissionDeniedError
from interborough.core.services import audit_record


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
    """Set a password (change or reset); a reset also lifts any sign-in lockout for the person."""
    user.set_password(password)
    user.save(update_fields=["password"])
    if reason == "reset":  # proving control of the mailbox is what a lockout waits for
        AccessAttempt.objects.filter(username__iexact=user.email).delete()
    audit_record(by=by or user, action="user.set_password", obj=user, after={"reason": reason})
    return user


@transaction.atomic
def two_factor_device_confirm(*, by: User, device_name: str) -> None:
    """Record that a person enrolled an authenticator app."""
    audit_record(by=by, action="user.two_factor_enrol", obj=by, after={"device": device_name})


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


@transaction.atomic
def two_factor_reset(*, by: User, user: User) -> int:
    """Platform staff remove a person's authenticator apps (lost phone); they enrol again."""
    if not can_reset_two_factor(by):
        raise PermissionDeniedError("Only platform staff can reset someone's two-factor sign-in.")
    if by.pk == user.pk:
        raise ApplicationError("Ask another member of platform staff to reset your own.")
    removed, _ = TOTPDevice.objects.filter(user=user).delete()
    if not removed:
        raise ApplicationError(f"{user} has no authenticator app to reset.")
    audit_record(
        by=by, action="user.two_factor_reset", obj=user, after={"devices_removed": removed}
    )
    return removed
