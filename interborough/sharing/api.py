"""API endpoints for data sharing agreements: the public register, each version and its
document, diffs between versions, importing a document as a new draft, and approving a version.

An agreement version the caller may not see is a 404 (a 401 for an anonymous caller, who may be
let in once signed in), so a draft's existence never leaks; one they see but may not act on is
a 403. Writes need a write token; a token issued for one organisation acts for that one only.
"""

import json
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Path, Query, Router, Status
from ninja.errors import AuthenticationError

from interborough.accounts.models import Organisation, User
from interborough.accounts.selectors import organisation_by_slug
from interborough.api.auth import (
    PUBLIC_OR_SIGNED_IN,
    caller_or_anonymous,
    current_user,
    ensure_token_acts_for,
)
from interborough.api.errors import django_validation_fields, error_response
from interborough.api.fields import Pagination
from interborough.api.schemas import SIGNED_IN_ERRORS, responses
from interborough.core.errors import PermissionDeniedError
from interborough.sharing import codec, diff, permissions, selectors, services
from interborough.sharing.models import ApprovalDecision, DataSharingAgreement

# The register's rows are built once for the page, its exports and the API.
from interborough.sharing.register import register_row
from interborough.sharing.schemas import (
    AgreementOut,
    ApproveIn,
    DiffOut,
    DiffQuery,
    ImportedOut,
    ImportIn,
    Reference,
    RegisterPageOut,
    RegisterQuery,
    Version,
    agreement_api_url,
)

router = Router(tags=["sharing: agreements"])

PUBLIC_READ_ERRORS = (401, 404)
WRITE_ERRORS = (400, *SIGNED_IN_ERRORS, 404)
INVALID_DOCUMENT = (
    "The document is not a valid agreement: see each problem in `fields` (paths are dotted, "
    "from the document's top)."
)

Viewer = User | AnonymousUser


# --- loading what the caller may see -------------------------------------------------------


def _version(request: HttpRequest, reference: str, version: int | None) -> DataSharingAgreement:
    """The version if the caller may see it (version None: the newest they may see); 404
    otherwise, or 401 for an anonymous caller."""
    viewer = caller_or_anonymous(request)
    # The selectors and permissions take anonymous visitors too (their type says User).
    agreement = selectors.agreement_version_for(
        viewer=viewer,  # type: ignore[arg-type]
        reference=reference,
        version=version,
    )
    if agreement is None:
        if isinstance(viewer, AnonymousUser):
            raise AuthenticationError()
        raise Http404
    return agreement


def _organisation(slug: str) -> Organisation:
    organisation = organisation_by_slug(slug=slug)
    if organisation is None:
        raise ValidationError(
            {"organisation": ["There is no active organisation with this slug on the platform."]}
        )
    return organisation


# --- what the API says about a version -----------------------------------------------------


def _site(name: str, *args: Any) -> str:
    return settings.SITE_URL + reverse(f"sharing:{name}", args=args)


def _key(agreement: DataSharingAgreement) -> tuple[str, int]:
    return agreement.reference, agreement.version


def _org(organisation: Organisation) -> dict[str, str]:
    return {"slug": organisation.slug, "name": organisation.name}


def _links(agreement: DataSharingAgreement, previous: int | None) -> dict[str, Any]:
    key = _key(agreement)
    diff_previous = None
    if previous is not None:
        diff_url = reverse("api-v1:agreement-diff", args=[agreement.reference])
        diff_previous = f"{settings.SITE_URL}{diff_url}?from={previous}&to={agreement.version}"
    return {
        "api": agreement_api_url(*key),
        "html": _site("version-detail", *key),
        "print": _site("version-print", *key),
        "yaml": _site("version-export", *key, "yaml"),
        "json": _site("version-export", *key, "json"),
        "schema": _site("schema"),
        "diff_previous": diff_previous,
    }


def _visible_versions(viewer: Viewer, reference: str) -> list[DataSharingAgreement]:
    """Every version of the agreement the viewer may see, newest first."""
    return [
        version
        for version in selectors.agreement_versions(reference=reference)
        if permissions.can_view_full(viewer, version)  # type: ignore[arg-type]
    ]


def _agreement_body(viewer: Viewer, agreement: DataSharingAgreement) -> dict[str, Any]:
    """One version as AgreementOut: its record, parties, approvals, versions and document."""
    approvals = [
        approval
        for approval in agreement.approvals.select_related("organisation", "decided_by")
        if approval.decision == ApprovalDecision.APPROVED
        and approval.text_hash == agreement.text_hash
    ]
    approved = {approval.organisation_id for approval in approvals}
    parties = agreement.parties.select_related("organisation").order_by("pk")
    versions = _visible_versions(viewer, agreement.reference)
    earlier = [v.version for v in versions if v.version < agreement.version]
    supersedes = agreement.supersedes.version if agreement.supersedes else None
    return {
        "reference": agreement.reference,
        "version": agreement.version,
        "title": agreement.title,
        "status": agreement.status,
        "start_date": agreement.start_date,
        "end_date": agreement.end_date,
        "review_date": agreement.review_date,
        "supersedes": supersedes,
        "lead_organisation": _org(agreement.lead_organisation),
        "template": agreement.template,
        "text_hash": agreement.text_hash,
        "in_register": agreement.in_register,
        "public_summary": agreement.public_summary,
        "submitted_at": agreement.submitted_at,
        "approved_at": agreement.approved_at,
        "activated_at": agreement.activated_at,
        "ended_at": agreement.ended_at,
        "status_reason": agreement.status_reason,
        "parties": [
            {
                "organisation": _org(party.organisation),
                "role": party.role,
                "approved": party.organisation_id in approved,
            }
            for party in parties
        ],
        "approvals": [
            {
                "organisation": _org(approval.organisation),
                "approved_by": approval.decided_by.full_name or "An information governance lead",
                "approved_at": approval.decided_at,
                "text_hash": approval.text_hash,
            }
            for approval in approvals
        ],
        "versions": [
            {
                "version": v.version,
                "status": v.status,
                "url": agreement_api_url(v.reference, v.version),
            }
            for v in versions
        ],
        "links": _links(agreement, max(earlier, default=None)),
        "document": agreement.document,
    }


# --- the register, and a new draft from a document ------------------------------------------


@router.get(
    "/agreements",
    response=responses(RegisterPageOut, errors=(401,)),
    auth=PUBLIC_OR_SIGNED_IN,
)
def list_agreements(
    request: HttpRequest, filters: Query[RegisterQuery], page: Query[Pagination.Input]
) -> dict[str, Any]:
    """The public register: the newest agreed version of every agreement its parties publish,
    newest start first. The same rows, with the same keys, as the register page and its CSV
    and JSON exports; paged with `limit` and `offset` like every list in this API."""
    agreements = selectors.register_list(
        q=filters.q, status=filters.status or "", organisation=filters.organisation
    )
    ids = agreements.values_list("pk", flat=True)[page.offset : page.offset + page.limit]
    window = selectors.register_agreements(list(ids))
    items = [
        {
            **register_row(agreement, url=_site("version-detail", *_key(agreement))),
            "api": agreement_api_url(*_key(agreement)),
        }
        for agreement in window
    ]
    return {"items": items, "count": agreements.count()}


def _unstorable(document: dict[str, Any]) -> tuple[int, str, str] | None:
    """(status, path, why) when the document cannot be a real agreement or cannot be stored
    as it is: the import page's file reader's limits (codec.check_plain, then the size)."""
    try:
        codec.check_plain(document)
    except codec.DocumentError as error:
        return 422, error.path, error.message
    # Measured once the nesting is known to be shallow (json.dumps recurses).
    if len(json.dumps(document, ensure_ascii=False).encode()) > codec.MAX_BYTES:
        limit = codec.MAX_BYTES // 1024 // 1024
        return 413, "", f"The document is over {limit} MB; an agreement is a few tens of KB."
    return None


# Declared before /agreements/{reference}, whose path would otherwise take "import" for a
# reference (and answer a POST with 405).
@router.post(
    "/agreements/import",
    response=responses(ImportedOut, status=201, errors=(400, *SIGNED_IN_ERRORS, 413)),
)
def import_agreement(request: HttpRequest, payload: ImportIn) -> HttpResponse | Status[Any]:
    """Start a new draft agreement from a whole document (for example one exported as JSON, or
    written by your own tools), drafted by `organisation`: you must be able to draft for it. The
    draft gets a new reference. A document that breaks the JSON Schema is refused with every
    problem in `fields` (`field` is its dotted path)."""
    organisation = _organisation(payload.organisation)
    ensure_token_acts_for(request, organisation)
    user = current_user(request)
    if not permissions.can_draft(user, organisation):
        raise PermissionDeniedError(
            f"Only {organisation.name}'s publishers, admins and information governance leads "
            "can draft agreements for it."
        )
    if refusal := _unstorable(payload.document):
        status, path, message = refusal
        if status == 413:
            return error_response(413, "request_too_large", message)
        fields = [{"field": path, "message": message}]
        return error_response(422, "invalid_document", INVALID_DOCUMENT, fields)
    try:
        agreement = services.agreement_import(
            by=user, organisation=organisation, document=payload.document
        )
    except ValidationError as error:
        return error_response(
            422, "invalid_document", INVALID_DOCUMENT, django_validation_fields(error)
        )
    key = (agreement.reference, agreement.version)
    return Status(
        201,
        {
            "reference": agreement.reference,
            "version": agreement.version,
            "title": agreement.title,
            "status": agreement.status,
            "links": {
                "api": agreement_api_url(*key),
                "html": _site("version-detail", *key),
                "edit": _site("draft-tasks", *key),
            },
        },
    )


# --- one agreement -----------------------------------------------------------------------------


@router.get(
    "/agreements/{reference}",
    response=responses(AgreementOut, errors=PUBLIC_READ_ERRORS),
    auth=PUBLIC_OR_SIGNED_IN,
    url_name="agreement",
    by_alias=True,
)
def get_agreement(request: HttpRequest, reference: Path[Reference]) -> dict[str, Any]:
    """The newest version of the agreement you may see (the public its newest agreed version
    in the register; party members and platform staff drafts too), with its document."""
    agreement = _version(request, reference, None)
    return _agreement_body(caller_or_anonymous(request), agreement)


@router.get(
    "/agreements/{reference}/versions/{version}",
    response=responses(AgreementOut, errors=PUBLIC_READ_ERRORS),
    auth=PUBLIC_OR_SIGNED_IN,
    url_name="agreement-version",
    by_alias=True,
)
def get_agreement_version(
    request: HttpRequest, reference: Path[Reference], version: Path[Version]
) -> dict[str, Any]:
    """One version of the agreement, with its document."""
    agreement = _version(request, reference, version)
    return _agreement_body(caller_or_anonymous(request), agreement)


@router.get(
    "/agreements/{reference}/diff",
    response=responses(DiffOut, errors=PUBLIC_READ_ERRORS),
    auth=PUBLIC_OR_SIGNED_IN,
    url_name="agreement-diff",
    by_alias=True,
)
def diff_agreement(
    request: HttpRequest, reference: Path[Reference], query: Query[DiffQuery]
) -> dict[str, Any]:
    """What changed between two versions you may see, field by field (`from` defaults to the
    version before `to`, `to` to the newest)."""
    newer = _version(request, reference, query.to)
    if query.from_ is None:
        viewer = caller_or_anonymous(request)
        earlier = [v for v in _visible_versions(viewer, reference) if v.version < newer.version]
        if not earlier:
            raise ValidationError(
                {"from": [f"Version {newer.version} is the first version you may see."]}
            )
        older = earlier[0]
    else:
        older = _version(request, reference, query.from_)
    return {
        "reference": newer.reference,
        "from": older.version,
        "to": newer.version,
        "changes": diff.diff(older.document, newer.document),
    }


# --- approving -----------------------------------------------------------------------------


@router.post(
    "/agreements/{reference}/versions/{version}/approve",
    response=responses(AgreementOut, errors=WRITE_ERRORS),
    by_alias=True,
)
def approve_agreement(
    request: HttpRequest, reference: Path[Reference], version: Path[Version], payload: ApproveIn
) -> dict[str, Any]:
    """Approve a submitted version for one organisation whose information governance lead you
    are. Send the `text_hash` of the text you read: if the text changed since, the approval is
    refused. When every party has approved, the agreement is approved (and active from its
    start date)."""
    agreement = _version(request, reference, version)
    organisation = _organisation(payload.organisation)
    ensure_token_acts_for(request, organisation)
    user = current_user(request)
    if not permissions.can_decide(user, agreement, organisation):
        raise PermissionDeniedError(
            f"Only {organisation.name}'s information governance lead can approve for it, and "
            "only when it is a party to this agreement."
        )
    approved = services.agreement_approve(
        by=user, agreement=agreement, organisation=organisation, text_hash=payload.text_hash.lower()
    )
    return _agreement_body(user, approved)
