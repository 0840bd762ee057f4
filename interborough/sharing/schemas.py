"""API schemas for data sharing agreements: the register, one version, a diff, import, approval.

The agreement itself is a JSON document (format "interborough-dsa/1") published with its JSON
Schema at a stable site address (`SCHEMA_URL_PATH`); the API carries it whole in `document`
and adds the platform's record around it (status, parties, approvals, versions, links).
"""

from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.conf import settings
from django.urls import reverse
from ninja import Field, Schema

from interborough.api.fields import NO_NUL
from interborough.sharing.models import AgreementStatus, PartyRole
from interborough.sharing.schema import SCHEMA_URL_PATH

DOCUMENT_DESCRIPTION = (
    "The whole agreement: a JSON document of format `interborough-dsa/1`, valid against the "
    f"JSON Schema published at `{SCHEMA_URL_PATH}` on this site."
)
# References look like DSA-2026-0001 (letters, digits and hyphens: one URL path segment).
REFERENCE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9-]*$"
MAX_VERSION = 2_147_483_647  # the version column is a PositiveIntegerField

Reference = Annotated[str, Field(min_length=1, max_length=40, pattern=REFERENCE_PATTERN)]
Version = Annotated[int, Field(ge=1, le=MAX_VERSION)]
OrganisationSlug = Annotated[
    str,
    Field(
        min_length=1,
        max_length=100,
        pattern=r"^[-a-zA-Z0-9_]+$",
        description="The slug of an organisation on the platform.",
    ),
]
TextHash = Annotated[
    str,
    Field(
        min_length=64,
        max_length=64,
        pattern=r"^[0-9a-fA-F]{64}$",
        description="SHA-256 (hex) of the canonical text, as GET returned it in `text_hash`.",
    ),
]


def agreement_api_url(reference: str, version: int | None = None) -> str:
    """The agreement (its newest version you may see, or one version) in the API."""
    if version is None:
        return settings.SITE_URL + reverse("api-v1:agreement", args=[reference])
    return settings.SITE_URL + reverse("api-v1:agreement-version", args=[reference, version])


# --- references to other records ---------------------------------------------------------


class OrganisationRef(Schema):
    slug: str
    name: str


class PartyOut(Schema):
    organisation: OrganisationRef
    role: PartyRole
    approved: bool = Field(description="This party's IG lead approved this version's text.")


class ApprovalOut(Schema):
    """One party's approval of the exact text of a version."""

    organisation: OrganisationRef
    approved_by: str = Field(description="The information governance lead who approved.")
    approved_at: datetime
    text_hash: str = Field(description="SHA-256 of the text they approved.")


class VersionRef(Schema):
    version: int
    status: AgreementStatus
    url: str = Field(description="This version in the API.")


class AgreementLinks(Schema):
    api: str = Field(description="This version in the API.")
    html: str = Field(description="This version's page on the site.")
    print: str = Field(description="A clean printable view.")
    yaml: str = Field(description="The document as YAML.")
    json_: str = Field(alias="json", description="The document as JSON.")
    schema_: str = Field(alias="schema", description="The JSON Schema the document follows.")
    diff_previous: str | None = Field(description="Changes since the previous version (API).")


# --- the register ------------------------------------------------------------------------


class RegisterQuery(Schema):
    """Search and filters of the public register (newest agreed version of each agreement)."""

    q: str = Field(
        "",
        max_length=200,
        pattern=NO_NUL,
        description="Words in the title, reference, public summary or a party's name.",
    )
    status: AgreementStatus | None = Field(None, description="Only versions in this status.")
    organisation: str = Field(
        "",
        max_length=100,
        pattern=r"^[-a-zA-Z0-9_]*$",
        description="Only agreements this organisation (slug) is party to.",
    )


class RegisterEntryOut(Schema):
    """One agreement in the public register: the same keys as the register's JSON export. The
    columns are a superset of the Digital Economy Act register's."""

    reference: str
    version: int
    name: str = Field(description="The agreement's title.")
    status: AgreementStatus
    summary: str = Field(description="The plain-English public summary.")
    purpose: str
    benefits: str
    legal_power: list[str] = Field(description="The statutory gateways relied on.")
    data: list[str] = Field(description="The datasets shared, by title.")
    data_subjects: list[str]
    controllers: list[str] = Field(description="Controllers and joint controllers, by name.")
    processors: list[str]
    method: str = Field(description="How the data is shared.")
    retention: list[str] = Field(description="How long each dataset is kept.")
    start_date: date | None
    end_date: date | None
    review_date: date | None
    contact: str
    url: str = Field(description="This version's page on the site.")
    api: str = Field(description="This version in the API.")


class RegisterPageOut(Schema):
    items: list[RegisterEntryOut]
    count: int


# --- one version -------------------------------------------------------------------------


class AgreementOut(Schema):
    """One version of an agreement: the platform's record of it, and its document."""

    reference: str
    version: int
    title: str
    status: AgreementStatus
    start_date: date | None
    end_date: date | None
    review_date: date | None
    supersedes: int | None = Field(description="The version this one replaces, if any.")
    lead_organisation: OrganisationRef
    template: str = Field(description="The template it was drafted from (blank if none).")
    text_hash: str = Field(
        description="SHA-256 of the canonical text submitted for approval (blank until then)."
    )
    in_register: bool
    public_summary: str
    submitted_at: datetime | None
    approved_at: datetime | None
    activated_at: datetime | None
    ended_at: datetime | None
    status_reason: str = Field(description="Why it was last suspended, terminated or sent back.")
    parties: list[PartyOut]
    approvals: list[ApprovalOut]
    versions: list[VersionRef] = Field(description="Every version you may see, newest first.")
    links: AgreementLinks
    document: dict[str, Any] = Field(description=DOCUMENT_DESCRIPTION)


class DiffQuery(Schema):
    from_: Version | None = Field(
        None, alias="from", description="The older version (default: the one before `to`)."
    )
    to: Version | None = Field(None, description="The newer version (default: the newest).")


class ChangeOut(Schema):
    path: str = Field(description="Where in the document, dotted (data.datasets.0.fields.2).")
    label: str = Field(description="The field in plain English.")
    kind: Literal["added", "removed", "changed"]
    before: Any = None
    after: Any = None


class DiffOut(Schema):
    reference: str
    from_: int = Field(alias="from")
    to: int
    changes: list[ChangeOut]


# --- writes ------------------------------------------------------------------------------


class ImportIn(Schema):
    """A new draft agreement from a whole document, drafted by `organisation`."""

    organisation: OrganisationSlug
    document: dict[str, Any] = Field(description=DOCUMENT_DESCRIPTION)


class ImportedOut(Schema):
    reference: str = Field(description="The new agreement's reference (a new one is issued).")
    version: int
    title: str
    status: AgreementStatus
    links: dict[str, str] = Field(description="api, html (its page) and edit (its task list).")


class ApproveIn(Schema):
    """Approve the exact text you read, for one organisation whose IG lead you are."""

    organisation: OrganisationSlug
    text_hash: TextHash
