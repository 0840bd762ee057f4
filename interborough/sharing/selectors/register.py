"""Reads for the public register: the agreed agreements published in it, and the audit trail's
daily head hashes published beside it."""

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from interborough.accounts.models import Organisation
from interborough.sharing.models import (
    AGREED_STATUSES,
    AgreementParty,
    AuditHeadPublication,
    DataSharingAgreement,
)


def _published() -> QuerySet[DataSharingAgreement]:
    """For each reference, its newest agreed version, if that one is published."""
    agreed = DataSharingAgreement.objects.filter(status__in=AGREED_STATUSES)
    newer = agreed.filter(reference=OuterRef("reference"), version__gt=OuterRef("version"))
    return agreed.filter(in_register=True).exclude(Exists(newer))


def register_organisations() -> QuerySet[Organisation]:
    """Every organisation that is a party to an agreement in the register, by name."""
    parties = AgreementParty.objects.filter(organisation=OuterRef("pk"), agreement__in=_published())
    return Organisation.objects.filter(Exists(parties)).defer("boundary").order_by("name")


def register_list(
    *, q: str = "", status: str = "", organisation: str = ""
) -> QuerySet[DataSharingAgreement]:
    """The register: for each reference, its newest agreed version, if that one is published.

    `q` searches the title, reference, public summary and the parties' names; `status` keeps
    one agreed status (any other value matches nothing); `organisation` keeps agreements with
    that organisation (by slug) as a party. Newest start date first.
    """
    rows = _published()
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
        matches = Q(title__icontains=word) | Q(reference__icontains=word)
        matches |= Q(public_summary__icontains=word)
        # The few organisations a word names, looked up once, rather than a join per agreement.
        named = list(
            Organisation.objects.filter(
                Q(name__icontains=word) | Q(short_name__icontains=word)
            ).values_list("pk", flat=True)
        )
        if named:
            parties = AgreementParty.objects.filter(
                agreement=OuterRef("pk"), organisation_id__in=named
            )
            matches |= Q(Exists(parties))
        rows = rows.filter(matches)
    return rows.order_by("-start_date", "reference")


def register_agreements(ids: list[int]) -> list[DataSharingAgreement]:
    """These agreements in this order, with their parties and organisations (less their
    boundaries) prefetched for `register.register_row`.

    Page through `register_list().values_list("pk", flat=True)` and read the page's rows here:
    sorting the ids needs only the register's index, never the agreements' documents."""
    parties = AgreementParty.objects.select_related("organisation").defer("organisation__boundary")
    found = DataSharingAgreement.objects.prefetch_related(
        Prefetch("parties", queryset=parties)
    ).in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


def audit_head_publications(*, limit: int = 60) -> QuerySet[AuditHeadPublication]:
    """The audit trail's published daily heads, newest day first."""
    return AuditHeadPublication.objects.order_by("-day")[:limit]
