"""API schemas for organisations, people, invitations and tokens."""

from datetime import datetime
from typing import Annotated

from ninja import Field, Schema

from interborough.accounts.models import Membership, OrganisationType, Role, TokenScope
from interborough.api.fields import NO_NUL, Email, Instant, Name, Slug, Text100


class OrganisationFilters(Schema):
    type: OrganisationType | None = None
    q: Text100 = Field("", description="Part of the name, or an exact GSS code.")


class OrganisationOut(Schema):
    slug: str
    name: str
    short_name: str
    type: str
    gss_code: str
    website: str
    description: str


class OrganisationIn(Schema):
    """A new organisation; its slug is made from the name (with -2, -3 if that is taken)."""

    name: Annotated[str, Field(min_length=1, max_length=200, pattern=NO_NUL)]
    type: OrganisationType
    short_name: Annotated[str, Field(max_length=60, pattern=NO_NUL)] = ""
    website: Annotated[
        str, Field(max_length=200, pattern=NO_NUL, description="An http(s) address, or empty.")
    ] = ""
    description: Annotated[str, Field(max_length=2000, pattern=NO_NUL)] = ""
    gss_code: Annotated[
        str,
        Field(
            max_length=9,
            pattern=NO_NUL,
            description=(
                "Local authorities only: an ONS GSS code like E06000039. London's 33 (E09) come "
                "from the reference data and cannot be added here."
            ),
        ),
    ] = ""
    first_admin_email: Email | None = Field(
        None, description="Invite this person by email to be the organisation's first admin."
    )


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


class MemberOut(Schema):
    id: int = Field(description="The membership's id.")
    email: str
    full_name: str
    job_title: str
    role: Role
    joined_at: datetime

    @staticmethod
    def resolve_email(obj: Membership) -> str:
        return obj.user.email

    @staticmethod
    def resolve_full_name(obj: Membership) -> str:
        return obj.user.full_name

    @staticmethod
    def resolve_job_title(obj: Membership) -> str:
        return obj.user.job_title

    @staticmethod
    def resolve_joined_at(obj: Membership) -> datetime:
        return obj.created_at


class InvitationIn(Schema):
    email: Email
    role: Role = Role.MEMBER


class InvitationOut(Schema):
    """An invitation; its secret link is only ever sent to the invitee by email."""

    id: int
    organisation: str
    email: str
    role: Role
    invited_by: str
    created_at: datetime
    expires_at: datetime
    accepted_at: datetime | None
    revoked_at: datetime | None


class ApiTokenIn(Schema):
    name: Name
    scope: TokenScope = TokenScope.READ
    expires_at: Instant | None = Field(
        None, description="With a time zone; at most a year ahead. Default: 90 days."
    )
    organisation: Slug | None = Field(
        None, description="The slug of one of your organisations the token acts for."
    )


class ApiTokenOut(Schema):
    id: int
    name: str
    scope: TokenScope
    prefix: str
    organisation: str | None
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None


class ApiTokenCreatedOut(ApiTokenOut):
    secret: str = Field(description="Shown once: store it now, it cannot be shown again.")
