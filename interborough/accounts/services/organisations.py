"""Writes for organisations: reference data and profiles."""

from django.db import transaction

from interborough.accounts import permissions, reference
from interborough.accounts.models import (
    Organisation,
    User,
)
from interborough.core.errors import PermissionDeniedError
from interborough.core.services import audit_record


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
