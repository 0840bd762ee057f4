"""Reads for the public register: the agreed agreements published in it, and the audit trail's
daily head hashes published beside it."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from interborough.sharing.models import (
    AGREED_STATUSES,
    AgreementParty,
    AuditHeadPublication,
    DataSharingAgreement,
)


def register_list(
    *, q: str = "", status: str = "", organisation: str = ""
) -> QuerySet[DataSharingAgreement]:
    """The register: for each reference, its newest agreed version, if that one is published.

    `q` searches the title, reference, public summary and the parties' names; `status` keeps
    one agreed status (any other value matches nothing); `organisation` keeps agreements with
    that organisation (by slug) as a party. Newest start date first.
    """
    agreed = DataSharingAgreement.objects.filter(status__in=AGREED_STATUSES)
    newer = agreed.filter(reference=OuterRef("reference"), version__gt=OuterRef("version"))
    rows = agreed.filter(in_register=True).exclude(Exists(newer))
    if status:
        rows = rows.filter(status=status) if status in AGREED_STATUSES else rows.none()
    if organisation:
        rows = rows.filter(
            Exists(
                AgreementParty.objects.filter(
                    agreement=OuterRef("pk"), organisation__slug=organisation
                )
            )
        )
    for word in q.split():
        named = AgreementParty.objects.filter(agreement=OuterRef("pk")).filter(
            Q(organisation__name__icontains=word) | Q(organisation__short_name__icontains=word)
        )
        rows = rows.filter(
            Q(title__icontains=word)
            | Q(reference__icontains=word)
            | Q(public_summary__icontains=word)
            | Q(Exists(named))
        )
    return (
        rows.select_related("lead_organisation")
        .prefetch_related("parties__organisation")
        .order_by("-start_date", "reference")
    )


def audit_head_publications(*, limit: int = 60) -> QuerySet[AuditHeadPublication]:
    """The audit trail's published daily heads, newest day first."""
    return AuditHeadPublication.objects.order_by("-day")[:limit]
