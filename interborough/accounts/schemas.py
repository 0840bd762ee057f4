from datetime import datetime

from ninja import Schema


class OrganisationOut(Schema):
    slug: str
    name: str
    short_name: str
    type: str
    gss_code: str
    website: str
    description: str


class MembershipOut(Schema):
    organisation: str
    organisation_name: str
    role: str


class MeOut(Schema):
    email: str
    full_name: str
    job_title: str
    is_staff: bool
    memberships: list[MembershipOut]


class ApiTokenOut(Schema):
    id: int
    name: str
    scope: str
    prefix: str
    organisation: str | None
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None
