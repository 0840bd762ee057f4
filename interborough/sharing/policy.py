"""The one policy decision point: may this person do this with this data, now?

`decide` answers allow or deny with a reason a person can act on, and writes the decision (either
way) to the audit trail. Access is allowed only when one agreement satisfies every condition:

1. it covers the dataset (a catalogue dataset, or a described source by its key);
2. it is active, and the moment falls within its window (start date to end date; it expires on
   its end date);
3. the actor's organisation is a party (through a token issued for one organisation, only that
   one counts);
4. every field asked for is in the agreement, shared in a form the action may use;
5. the action is one of the agreement's permitted operations;
6. the purpose, when one is given, is one of the agreement's DPV purposes.

When no agreement satisfies them all, the reason given is the first failed condition of the
agreement that came closest, so "your organisation is not a party" beats "no agreement".
"""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone

from interborough.accounts.models import Membership, Organisation, User
from interborough.accounts.permissions import acting_organisation_id
from interborough.core.services import audit_record
from interborough.sharing.models import (
    AgreementDataset,
    AgreementParty,
    AgreementStatus,
    DataSharingAgreement,
)
from interborough.sharing.vocab import OPERATION_TRANSFORMATIONS, OPERATIONS

if TYPE_CHECKING:
    from interborough.catalogue.models import Dataset

# How far an agreement got through the conditions the database checks (see the docstring).
NOT_ACTIVE, OUTSIDE_WINDOW, NOT_A_PARTY, PARTY = 1, 2, 3, 4


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str
    code: str
    agreement: DataSharingAgreement | None = None

    def __bool__(self) -> bool:
        return self.allowed


def _party_to(actor: User, agreement_ids: list[int]) -> set[int]:
    """Which of these agreements the actor's organisations are party to: every organisation they
    are a member of, or only the one a token names. One query."""
    acting = acting_organisation_id(actor)
    memberships = Membership.objects.filter(user=actor, organisation__is_active=True)
    if acting is not None:
        memberships = memberships.filter(organisation_id=acting)
    parties = AgreementParty.objects.filter(
        agreement_id__in=agreement_ids, organisation_id__in=memberships.values("organisation_id")
    )
    return set(parties.values_list("agreement_id", flat=True))


# Among agreements that are not active, name the one nearest to use: a suspended one before
# an expired one before a draft.
_STANDING: dict[str, int] = {
    status: rank
    for rank, status in enumerate(
        [
            AgreementStatus.TERMINATED,
            AgreementStatus.EXPIRED,
            AgreementStatus.APPROVED,
            AgreementStatus.SUSPENDED,
        ],
        start=1,
    )
}
# What ranking needs of each agreement; the document is read only for an agreement that got as
# far as the party check.
_AGREEMENT_COLUMNS = [
    f"agreement__{name}"
    for name in ("reference", "version", "status", "start_date", "end_date", "lead_organisation")
]


def _progress(agreement: DataSharingAgreement, parties: set[int], on: date) -> int:
    """NOT_ACTIVE .. PARTY: the first condition an agreement fails before its content counts."""
    if agreement.status != AgreementStatus.ACTIVE:
        return NOT_ACTIVE
    start, end = agreement.start_date, agreement.end_date
    if start is None or end is None or not start <= on < end:
        return OUTSIDE_WINDOW
    return PARTY if agreement.pk in parties else NOT_A_PARTY


def _ranked(
    coverage: QuerySet[AgreementDataset], actor: User, on: date
) -> list[tuple[int, AgreementDataset]]:
    """The candidate coverage rows, each with its progress, best first: the furthest through
    the conditions, then the nearest to use, then the newest version."""
    rows = list(coverage.select_related("agreement").only("fields", *_AGREEMENT_COLUMNS))
    live = [r.agreement_id for r in rows if _progress(r.agreement, set(), on) == NOT_A_PARTY]
    parties = _party_to(actor, live) if live else set()
    ranked = [(_progress(r.agreement, parties, on), r) for r in rows]
    ranked.sort(
        key=lambda pair: (
            pair[0],
            _STANDING.get(pair[1].agreement.status, 0),
            pair[1].agreement.version,
            pair[1].agreement_id,
        ),
        reverse=True,
    )
    return ranked


def _first_failure(
    coverage: AgreementDataset,
    *,
    progress: int,
    action: str,
    fields: Collection[str] | None,
    purpose: str | None,
    on: date,
) -> tuple[int, str, str] | None:
    """(how far it got, code, reason) for the first condition this coverage fails; None if none."""
    agreement = coverage.agreement
    label = f"{agreement.reference} v{agreement.version}"
    if progress == NOT_ACTIVE:
        state = agreement.get_status_display().lower()
        return NOT_ACTIVE, "not_active", f"Agreement {label} is {state}, not active."
    if progress == OUTSIDE_WINDOW:
        if agreement.start_date is None or on < agreement.start_date:
            return OUTSIDE_WINDOW, "not_started", f"Agreement {label} has not started yet."
        ended = f" on {agreement.end_date:%-d %B %Y}" if agreement.end_date else ""
        return OUTSIDE_WINDOW, "ended", f"Agreement {label} ended{ended}."
    if progress == NOT_A_PARTY:
        return NOT_A_PARTY, "not_a_party", f"Your organisation is not a party to agreement {label}."
    usable = OPERATION_TRANSFORMATIONS[action]
    wanted = list(coverage.fields) if fields is None else list(fields)
    outside = sorted(f for f in wanted if coverage.fields.get(f) not in usable)
    if outside:
        return (
            5,
            "fields_not_covered",
            f"Agreement {label} does not let you {action} these fields: {', '.join(outside)}.",
        )
    permitted = (agreement.document.get("processing") or {}).get("permitted_operations") or []
    if action not in permitted:
        return 6, "action_not_permitted", f"Agreement {label} does not permit “{action}”."
    purposes = (agreement.document.get("purpose") or {}).get("dpv_purposes") or []
    if purpose is not None and purpose not in purposes:
        return 7, "purpose_not_covered", f"Agreement {label} does not cover the purpose {purpose}."
    return None


def _actor_refusal(actor: User) -> Decision | None:
    """A decision made before looking at any agreement: nobody, or a deactivated account."""
    if not actor.is_authenticated:
        return Decision(False, "Sign in to use data shared under an agreement.", "not_signed_in")
    if not actor.is_active:
        return Decision(False, "Your account is not active.", "inactive_account")
    return None


def decide(
    *,
    actor: User,
    action: str,
    dataset: "Dataset | None" = None,
    agreement: DataSharingAgreement | None = None,
    source: str | None = None,
    fields: Collection[str] | None = None,
    purpose: str | None = None,
    at: datetime | None = None,
) -> Decision:
    """Allow or deny one data flow, with a reason; the decision is written to the audit trail.

    Name the data either as a catalogue `dataset`, or as a described source: `agreement` and
    the `source` key of one of its datasets. `fields=None` means every field the agreement lists.
    A few small reads: the coverage rows with their agreements, the actor's party rows among
    the live ones, and the document of any agreement that gets past the party check. Ranking
    happens here rather than in SQL: faster for the handful of rows a dataset has.
    """
    if action not in OPERATIONS:
        raise ValueError(f"Unknown action {action!r}")
    if dataset is not None:
        coverage = AgreementDataset.objects.filter(dataset=dataset)
    elif agreement is not None and source is not None:
        coverage = AgreementDataset.objects.filter(agreement=agreement, key=source)
    else:
        raise ValueError("Name a dataset, or an agreement and one of its sources.")
    at = at or timezone.now()
    on = timezone.localdate(at) if timezone.is_aware(at) else at.date()
    decision = _actor_refusal(actor)
    if decision is None:
        decision = _decide(coverage, actor, action, fields, purpose, on)
    _record(
        actor,
        decision,
        dataset=dataset,
        agreement=agreement,
        action=action,
        source=source,
        fields=fields,
        purpose=purpose,
        at=at,
    )
    return decision


def _decide(
    coverage: QuerySet[AgreementDataset],
    actor: User,
    action: str,
    fields: Collection[str] | None,
    purpose: str | None,
    on: date,
) -> Decision:
    """The decision over the candidate coverage rows (see `decide`)."""
    best: tuple[int, str, str] = (0, "no_agreement", "No data sharing agreement covers this data.")
    chosen: AgreementDataset | None = None
    # Rows come best first: every row that got as far as the party check is checked in full;
    # the first row that did not is the closest any other agreement came, so nothing after it
    # matters.
    for progress, candidate in _ranked(coverage, actor, on):
        failure = _first_failure(
            candidate, progress=progress, action=action, fields=fields, purpose=purpose, on=on
        )
        if failure is None:
            label = f"{candidate.agreement.reference} v{candidate.agreement.version}"
            return Decision(True, f"Allowed by agreement {label}.", "allowed", candidate.agreement)
        if failure[0] > best[0]:
            best, chosen = failure, candidate
        if progress < PARTY:
            break
    return Decision(False, best[2], best[1], chosen.agreement if chosen else None)


def _record(
    actor: User,
    decision: Decision,
    *,
    dataset: "Dataset | None",
    agreement: DataSharingAgreement | None,
    fields: Collection[str] | None,
    **request: Any,
) -> None:
    """One audit event for the decision, filed under the data asked for (the dataset, or the
    agreement whose described source it is) and its publisher or lead organisation."""
    subject: models.Model | None = dataset or agreement or decision.agreement
    organisation = None
    if isinstance(subject, DataSharingAgreement):
        organisation = subject.lead_organisation
    elif subject is not None:
        organisation = getattr(subject, "publisher", None)
    details = {
        "allowed": decision.allowed,
        "code": decision.code,
        "reason": decision.reason,
        "agreement": decision.agreement.pk if decision.agreement else None,
        "fields": sorted(fields) if fields is not None else None,
        **request,
    }
    with transaction.atomic():
        audit_record(
            by=actor if actor.is_authenticated else None,
            action="sharing.decision.allow" if decision.allowed else "sharing.decision.deny",
            obj=subject,
            organisation=organisation if isinstance(organisation, Organisation) else None,
            after=details,
        )


def catalogue_read_allowed(user: User, dataset: "Dataset", now: datetime) -> bool:
    """The catalogue's flow check for restricted data: an agreement lets this person read every
    field the dataset's data carries (or, for data with no schema, every field it lists)."""
    from interborough.catalogue.selectors.fields import dataset_field_names

    fields = dataset_field_names(dataset=dataset) or None
    return decide(actor=user, action="read", dataset=dataset, fields=fields, at=now).allowed
