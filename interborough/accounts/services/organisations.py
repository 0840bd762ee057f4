"""Writes for organisations: reference data, profiles, and onboarding by platform staff."""

import re

from django.db import IntegrityError, transaction
from django.utils import timezone

from interborough.accounts import permissions, reference
from interborough.accounts.models import (
    ApiToken,
    Invitation,
    Organisation,
    OrganisationType,
    Role,
    User,
)
from interborough.accounts.services.memberships import invitation_create
from interborough.core.errors import ApplicationError, PermissionDeniedError
from interborough.core.services import audit_record
from interborough.core.slugs import free_slug
from interborough.core.text import clean_email, clean_line, clean_text, clean_web_address


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


# --- onboarding: platform staff add and deactivate organisations ---------------------------

GSS_CODE_PATTERN = re.compile(r"^E0[69]\d{6}$")
LONDON_GSS_PREFIX = "E09"
NAME_MAX_LENGTH = 200
SHORT_NAME_MAX_LENGTH = 60
WEBSITE_MAX_LENGTH = 200
DESCRIPTION_MAX_LENGTH = 2000
SLUG_STEM_MAX_LENGTH = 90  # leaves room for a "-NNN" suffix within the 100-character column
# Slugs that name a page rather than an organisation, and those the reference loader owns (it
# finds its organisations by slug, so one taken by hand would be overwritten by the next load).
RESERVED_SLUGS = frozenset(
    {"new", *(ref.slug for ref in [*reference.LOCAL_AUTHORITIES, *reference.PARTNERS])}
)
REFERENCE_NAMES = frozenset(
    ref.name.casefold() for ref in [*reference.LOCAL_AUTHORITIES, *reference.PARTNERS]
)


def _clean_description(value: str) -> str:
    return clean_text(
        value, field="description", label="description", max_length=DESCRIPTION_MAX_LENGTH
    )


def _clean_website(value: str) -> str:
    return clean_web_address(
        value, field="website", label="website address", max_length=WEBSITE_MAX_LENGTH
    )


def _clean_gss_code(value: str, org_type: str) -> str:
    """GSS codes belong to local authorities only; London's 33 come from the reference data."""
    code = value.strip().upper()
    if org_type != OrganisationType.LOCAL_AUTHORITY:
        if code:
            raise ApplicationError(
                "Only local authorities have a GSS code: leave it blank.", field="gss_code"
            )
        return ""
    if not code:
        raise ApplicationError(
            "Enter the local authority's ONS GSS code, like E06000039.", field="gss_code"
        )
    if not GSS_CODE_PATTERN.fullmatch(code):
        raise ApplicationError(
            "Enter a GSS code for a unitary authority (E06 and 6 digits) or a London borough "
            "(E09 and 6 digits), like E06000039.",
            field="gss_code",
        )
    if code.startswith(LONDON_GSS_PREFIX):
        # A hand-made copy would lack its boundary and collide with the reference loader.
        raise ApplicationError(
            "London's 33 local authorities come from the ONS reference data, with their "
            "boundaries, and cannot be added by hand: load them with "
            "`interborough organisations load`.",
            field="gss_code",
        )
    holder = Organisation.objects.filter(gss_code=code).first()
    if holder is not None:
        raise ApplicationError(f"{holder} already has the GSS code {code}.", field="gss_code")
    return code


def _check_name_is_free(name: str) -> None:
    existing = Organisation.objects.filter(name__iexact=name).first()
    if existing is not None:
        raise ApplicationError(f"An organisation called {existing} already exists.", field="name")
    if name.casefold() in REFERENCE_NAMES:
        raise ApplicationError(
            f"{name} is one of the reference organisations: load them with "
            "`interborough organisations load` rather than adding it by hand.",
            field="name",
        )


def organisation_slug_for(name: str) -> str:
    """A free slug for a new organisation's name: its slugified name, then -2, -3 on a clash."""
    return free_slug(
        name,
        existing=Organisation.objects.all(),
        fallback="organisation",
        max_stem=SLUG_STEM_MAX_LENGTH,
        reserved=RESERVED_SLUGS,
    )


@transaction.atomic
def organisation_create(
    *,
    by: User,
    name: str,
    type: str,
    short_name: str = "",
    website: str = "",
    description: str = "",
    gss_code: str = "",
    first_admin_email: str = "",
) -> Organisation:
    """Platform staff onboard a supplier, voluntary body, public body, university or council."""
    if not permissions.can_onboard_organisations(by):
        raise PermissionDeniedError("Only platform staff can add organisations.")
    if type not in OrganisationType.values:
        raise ApplicationError("Choose the type of organisation.", field="type")
    name = clean_line(
        name, field="name", label="organisation's name", max_length=NAME_MAX_LENGTH, required=True
    )
    short_name = clean_line(
        short_name,
        field="short_name",
        label="short name",
        max_length=SHORT_NAME_MAX_LENGTH,
        required=False,
    )
    values = {
        "name": name,
        "short_name": short_name,
        "type": type,
        "gss_code": _clean_gss_code(gss_code, type),
        "website": _clean_website(website),
        "description": _clean_description(description),
    }
    email = clean_email(
        first_admin_email, field="first_admin_email", label="the first admin's email address"
    )
    _check_name_is_free(name)
    organisation = Organisation(slug=organisation_slug_for(name), **values)
    organisation.full_clean()
    try:
        with transaction.atomic():  # a savepoint: a concurrent twin fails cleanly, not with a 500
            organisation.save(force_insert=True)
    except IntegrityError as exc:
        raise ApplicationError(
            f"An organisation called {name} was added a moment ago.", field="name"
        ) from exc
    audit_record(
        by=by,
        action="organisation.create",
        obj=organisation,
        organisation=organisation,
        after={**values, "slug": organisation.slug, "first_admin_email": email},
    )
    if email:
        invitation_create(by=by, organisation=organisation, email=email, role=Role.ORG_ADMIN)
    return organisation


@transaction.atomic
def organisation_set_active(*, by: User, organisation: Organisation, active: bool) -> Organisation:
    """Staff deactivate an organisation (its tokens and open invitations stop) or reactivate it."""
    if not permissions.can_onboard_organisations(by):
        raise PermissionDeniedError(
            "Only platform staff can deactivate or reactivate organisations."
        )
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.is_active == active:
        state = "active" if active else "deactivated"
        raise ApplicationError(f"{organisation} is already {state}.", field="active")
    organisation.is_active = active
    organisation.save(update_fields=["is_active", "updated_at"])
    after: dict[str, object] = {"is_active": active}
    if not active:
        now = timezone.now()
        after["api_tokens_revoked"] = ApiToken.objects.filter(
            organisation=organisation, revoked_at__isnull=True
        ).update(revoked_at=now, updated_at=now)
        after["invitations_withdrawn"] = Invitation.objects.filter(
            organisation=organisation, accepted_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=now, updated_at=now)
    audit_record(
        by=by,
        action="organisation.reactivate" if active else "organisation.deactivate",
        obj=organisation,
        organisation=organisation,
        before={"is_active": not active},
        after=after,
    )
    return organisation
