"""Sharing demo content: a dozen data sharing agreements between London boroughs and their NHS
partners, in every state, each drafted from a template and walked through the workflow by the
demo people (drafted and submitted by the lead borough's information governance lead, approved
or sent back by each party's), so the audit trail holds the whole story.

The first agreement, DSA-<year>-0001, is the active cross-borough homelessness agreement the
linkage demo uses; it also covers the data store's restricted H-CLIC extract, so the demo's
analysts in the party boroughs can read it through the agreement. Dates are set relative to
today so that each state is true on the day the demo is loaded. Contacts and privacy notices are
on the reserved `.example` domain.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.utils import timezone
from django.utils.text import slugify

from interborough.accounts.models import Membership, Organisation, Role, User
from interborough.catalogue.selectors.fields import dataset_field_names, dataset_for_slug
from interborough.core.demo import DemoReport
from interborough.core.errors import ApplicationError
from interborough.sharing import services
from interborough.sharing.models import AgreementStatus, DataSharingAgreement

S = AgreementStatus
HOMELESSNESS_TITLE = "East London temporary accommodation placements"


@dataclass(frozen=True)
class Cover:
    """A data store dataset an agreement covers, with its fields shared in the clear."""

    key: str
    title: str  # the catalogue dataset's title (its slug is made from it)
    publisher: str
    sensitivity: str
    need: str
    quasi: tuple[str, ...] = ()  # fields that could help identify someone with others


@dataclass(frozen=True)
class DemoAgreement:
    template: str
    title: str
    parties: tuple[str, ...]  # organisation slugs, the lead first
    state: str
    start_days: int = 0  # the start date, in days from today
    years: int = 2
    approved_by: tuple[str, ...] = ()  # a submitted version: the parties that approved so far
    decided_by: str = ""  # who sent it back, suspended or terminated it
    reason: str = ""
    covers: tuple[Cover, ...] = ()
    new_version: bool = False  # agreed as version 1, then a version 2 replaces it
    draft_sections: int = 0  # a draft: how many of the sections left open are filled in so far


HCLIC = Cover(
    "hclic-case-outcomes",
    "Homelessness case outcomes (H-CLIC extract)",
    "newham",
    "personal",
    "Newham's pseudonymised homelessness cases, so analysts in the party boroughs can compare "
    "outcomes for households placed across borough boundaries.",
    quasi=("case_reference", "opened", "borough_code"),
)
ARREARS = Cover(
    "council-tax-arrears",
    "Council tax arrears by LSOA",
    "croydon",
    "non_personal",
    "Croydon's small-area arrears figures, so Sutton can target debt advice along the border.",
)

DEMO_AGREEMENTS: list[DemoAgreement] = [
    DemoAgreement("homelessness-ta", HOMELESSNESS_TITLE,
                  ("newham", "hackney", "tower-hamlets", "waltham-forest", "barking-and-dagenham",
                   "redbridge"), S.ACTIVE, start_days=-200, covers=(HCLIC,)),
    DemoAgreement("fsm-auto-enrolment", "Free school meals auto-enrolment in Lambeth and Southwark",
                  ("lambeth", "southwark"), S.APPROVED, start_days=21, years=1),
    DemoAgreement("cost-of-living", "Cost-of-living support targeting in Croydon and Sutton",
                  ("croydon", "sutton"), S.ACTIVE, start_days=-400, new_version=True,
                  covers=(ARREARS,)),
    DemoAgreement("adult-social-care", "Hospital discharge and adult social care in Tower Hamlets",
                  ("tower-hamlets", "nhs-nel-icb"), S.SUBMITTED, start_days=30,
                  approved_by=("tower-hamlets",)),
    DemoAgreement("homelessness-ta", "South London temporary accommodation placements",
                  ("lambeth", "southwark", "lewisham", "greenwich"), S.CHANGES_REQUESTED,
                  start_days=60, approved_by=("lambeth",), decided_by="lewisham",
                  reason="Lewisham keeps placement records for 12 months after a placement "
                  "ends, so please shorten retention to 12 months and name our Housing Needs "
                  "service as the route for objections."),
    DemoAgreement("fsm-auto-enrolment", "Free school meals auto-enrolment in Ealing and Hounslow",
                  ("ealing", "hounslow"), S.DRAFT, start_days=75, years=1, draft_sections=2),
    DemoAgreement("cost-of-living", "Cost-of-living support in Islington and Camden",
                  ("islington", "camden"), S.SUSPENDED, start_days=-150, decided_by="islington",
                  reason="Suspended while Islington investigates a possible breach: one monthly "
                  "extract was uploaded with names in the clear instead of encoded. No data "
                  "flows until the investigation ends."),
    DemoAgreement("cost-of-living", "Household Support Fund targeting in Merton and Kingston",
                  ("merton", "kingston-upon-thames"), S.EXPIRED, start_days=-760),
    DemoAgreement("adult-social-care", "Hospital discharge and adult social care in Hackney",
                  ("hackney", "nhs-nel-icb"), S.TERMINATED, start_days=-300, decided_by="hackney",
                  reason="Replaced by the North East London agreement, which covers Hackney "
                  "with the other boroughs of the integrated care board."),
    DemoAgreement("adult-social-care", "North East London hospital discharge and adult social care",
                  ("newham", "nhs-nel-icb", "hackney", "redbridge", "barking-and-dagenham"),
                  S.ACTIVE, start_days=-90),
    DemoAgreement("homelessness-ta", "North London temporary accommodation placements",
                  ("camden", "islington", "haringey", "barnet", "enfield"), S.DRAFT),
    DemoAgreement("homelessness-ta", "West London temporary accommodation placements",
                  ("hammersmith-and-fulham", "brent", "ealing", "hillingdon"), S.SUBMITTED,
                  start_days=45),
]  # fmt: skip

PRIVACY_TOPIC = {
    "homelessness-ta": "housing",
    "fsm-auto-enrolment": "school-meals",
    "cost-of-living": "cost-of-living-support",
    "adult-social-care": "adult-social-care",
}
ETHICS: dict[str, dict[str, str]] = {
    "homelessness-ta": {
        "proportionality": "Only keyed encodings of names, dates of birth and addresses leave "
        "each borough, and only counts leave the hub. Children are counted, never named.",
        "fairness_and_bias": "Names from some communities are recorded in more ways than "
        "others, so match rates are compared by ethnicity, age and borough each quarter and "
        "the matching is re-tuned if any group matches markedly worse.",
        "transparency": "Each borough's housing privacy notice describes the sharing, this "
        "agreement is in the public register, and the quarterly tables are published.",
        "public_benefit": "Families placed away from home keep their school and GP, and "
        "boroughs plan temporary accommodation together instead of competing for it.",
    },
    "fsm-auto-enrolment": {
        "proportionality": "Only the facts needed to find an eligible child are matched, in "
        "encoded form; eligibility is confirmed through the Eligibility Checking System before "
        "any child is enrolled.",
        "fairness_and_bias": "Children in families not known to the benefits service are "
        "missed, so schools keep promoting applications; match rates are compared by school "
        "and ward.",
        "transparency": "Every family enrolled gets a letter explaining why and how to opt "
        "out; the school meals privacy notice and the public register describe the matching.",
        "public_benefit": "More children get a free school lunch without their family having "
        "to apply, and schools receive the pupil premium that follows.",
    },
    "cost-of-living": {
        "proportionality": "Records match on an encoded property reference only; names and "
        "national insurance numbers stay with the council, and arrears are shared as bands.",
        "fairness_and_bias": "Households not on the council's caseloads are invisible to the "
        "matching, so outreach through advice centres continues alongside it.",
        "transparency": "Letters offering support say where the council found the household "
        "and how to opt out of future contact; the register describes the sharing.",
        "public_benefit": "Households in hardship get help they are entitled to sooner, and "
        "fewer council tax accounts reach enforcement.",
    },
    "adult-social-care": {
        "proportionality": "Only pseudonymised records are linked, on an encoded NHS number, "
        "and only tables leave the hub; no decisions about individual people are made from it.",
        "fairness_and_bias": "Outcomes are compared by age, ethnicity and neighbourhood so "
        "that delays affecting some groups more than others are seen and acted on.",
        "transparency": "The council's and the NHS's privacy notices describe the sharing, "
        "the national data opt-out is applied where it applies, and the register shows it.",
        "public_benefit": "People leave hospital sooner with the right care in place, and "
        "fewer return to hospital within a month.",
    },
}


def _people(role: str) -> dict[str, User]:
    """One person with `role` for each organisation, by organisation slug (the first made)."""
    people: dict[str, User] = {}
    memberships = Membership.objects.filter(role=role).select_related("user", "organisation")
    for m in memberships.order_by("pk"):
        people.setdefault(m.organisation.slug, m.user)
    return people


def _ico_number(slug: str) -> str:
    """A made-up, stable registration number in the ICO's format (Z and seven digits)."""
    return f"Z{sum(ord(c) * (i + 7) for i, c in enumerate(slug)) * 7919 % 10_000_000:07d}"


def _parties(
    document: dict[str, Any], signers: dict[str, User], admins: dict[str, User]
) -> list[dict[str, Any]]:
    """The party entries, completed with each party's contacts and security credentials."""
    entries = []
    for index, entry in enumerate(document["parties"]):
        slug = entry["organisation"]
        dpo, signatory = signers[slug], admins.get(slug, signers[slug])
        entries.append(
            {
                **entry,
                "ico_registration": entry["ico_registration"] or _ico_number(slug),
                "dpo": {"name": dpo.full_name, "email": f"dpo@{slug}.example"},
                "signatory": {
                    "name": signatory.full_name,
                    "job_title": "Senior Information Risk Owner",
                    "email": signatory.email,
                },
                "dspt_status": "standards_met" if index % 3 else "standards_exceeded",
                "cyber_essentials": ("cyber_essentials_plus", "cyber_essentials")[index % 2],
            }
        )
    return entries


def _cover_entry(cover: Cover) -> dict[str, Any] | None:
    """The data section's entry for a data store dataset (None if the data store lacks it)."""
    dataset = dataset_for_slug(slug=slugify(cover.title))
    if dataset is None or dataset.publisher.slug != cover.publisher:
        return None
    return {
        "key": cover.key,
        "title": cover.title,
        "catalogue_dataset": dataset.slug,
        "description": f"The data store's dataset “{cover.title}”, read in place.",
        "provided_by": cover.publisher,
        "fields": [
            {
                "name": name,
                "sensitivity": cover.sensitivity,
                "identifier_type": "quasi" if name in cover.quasi else "attribute",
                "need": cover.need,
                "transformation": "clear",
            }
            for name in sorted(dataset_field_names(dataset=dataset))
        ],
        "retention": {
            "period_months": 12,
            "deletion_method": "Nothing is copied: analysts read it in the data store.",
        },
    }


def _complete(
    agreement: DataSharingAgreement, spec: DemoAgreement, *, by: User, today: date, number: int
) -> tuple[DataSharingAgreement, list[str]]:
    """Fill in what the template left to the parties (for a draft, only its first sections);
    returns the agreement and the keys of the data store datasets it covers."""
    start = today + timedelta(days=spec.start_days)
    end = start + timedelta(days=365 * spec.years)
    document = agreement.document
    signers, admins = _people(Role.IG_LEAD), _people(Role.ORG_ADMIN)
    topic = PRIVACY_TOPIC[spec.template]
    covered = [e for e in map(_cover_entry, spec.covers) if e is not None]
    processing = document["processing"]
    if covered:
        processing = {
            **processing,
            "permitted_operations": ["read", *processing["permitted_operations"]],
        }
    sections: list[tuple[str, dict[str, Any]]] = [
        ("about", {"dates": {"start": start.isoformat(), "end": end.isoformat(),
                             "review": (start + timedelta(days=182 * spec.years)).isoformat()}}),
        ("parties", {"parties": _parties(document, signers, admins)}),
        ("dpia", {"dpia": {**document["dpia"], "reference": f"DPIA-{start.year}-{number:03d}",
                           "date": (start - timedelta(days=45)).isoformat()}}),
        ("data", {"data": {**document["data"],
                           "datasets": [*document["data"]["datasets"], *covered]}}),
        ("processing", {"processing": processing}),
        ("rights", {"rights": {**document["rights"], "privacy_notices": [
            f"https://www.{p['organisation']}.example/privacy/{topic}"
            for p in document["parties"]]}}),
        ("ethics", {"ethics": ETHICS[spec.template]}),
        ("register", {"register": {**document["register"],
                                   "contact": f"dpo@{spec.parties[0]}.example"}}),
    ]  # fmt: skip
    if spec.state == S.DRAFT:
        sections = sections[: spec.draft_sections]  # a draft is still being written
    for section, values in sections:
        agreement = services.agreement_section_update(
            by=by, agreement=agreement, section=section, values=values
        )
    return agreement, [e["key"] for e in covered]


def _approve(agreement: DataSharingAgreement, slugs: tuple[str, ...]) -> DataSharingAgreement:
    signers = _people(Role.IG_LEAD)
    organisations = Organisation.objects.in_bulk(list(slugs), field_name="slug")
    for slug in slugs:
        agreement = services.agreement_approve(
            by=signers[slug],
            agreement=agreement,
            organisation=organisations[slug],
            text_hash=agreement.text_hash,
        )
    return agreement


def _second_version(
    agreement: DataSharingAgreement, spec: DemoAgreement, by: User
) -> DataSharingAgreement:
    """Version 2: a year longer, and adding the water poverty objective; every party approves
    again and it replaces version 1 at once (its start date has passed)."""
    signer = _people(Role.IG_LEAD)[agreement.lead_organisation.slug]
    draft = services.agreement_new_version(by=signer, agreement=agreement)
    dates = draft.document["dates"]
    end = date.fromisoformat(dates["end"]) + timedelta(days=365)
    purpose = dict(draft.document["purpose"])
    purpose["description"] += " From this version, also people at risk of water poverty."
    for section, values in [
        ("about", {"dates": {**dates, "end": end.isoformat()}}),
        ("purpose", {"purpose": purpose}),
    ]:
        draft = services.agreement_section_update(
            by=by, agreement=draft, section=section, values=values
        )
    draft = services.agreement_submit(by=by, agreement=draft)
    return _approve(draft, spec.parties)


def _walk(spec: DemoAgreement, *, today: date, number: int) -> list[str]:
    """Draft one agreement from its template and take it to its state; the datasets it covers."""
    organisations = Organisation.objects.in_bulk(list(spec.parties), field_name="slug")
    missing = [slug for slug in spec.parties if slug not in organisations]
    signers = _people(Role.IG_LEAD)
    if missing or any(slug not in signers for slug in spec.parties):
        raise ApplicationError(
            f"The demo agreement “{spec.title}” needs {', '.join(spec.parties)} and their "
            "information governance leads: load the accounts demo first."
        )
    lead = organisations[spec.parties[0]]
    # A publisher drafts and submits; the information governance leads decide.
    by = _people(Role.PUBLISHER).get(lead.slug) or signers[lead.slug]
    agreement = services.agreement_create(
        by=by,
        organisation=lead,
        title=spec.title,
        template=spec.template,
        parties=[organisations[slug] for slug in spec.parties[1:]],
    )
    agreement, covered = _complete(agreement, spec, by=by, today=today, number=number)
    if spec.state == S.DRAFT:
        return covered
    agreement = services.agreement_submit(by=by, agreement=agreement)
    if spec.state in (S.SUBMITTED, S.CHANGES_REQUESTED):
        agreement = _approve(agreement, spec.approved_by)
        if spec.state == S.CHANGES_REQUESTED:
            services.agreement_request_changes(
                by=signers[spec.decided_by],
                agreement=agreement,
                organisation=organisations[spec.decided_by],
                comment=spec.reason,
            )
        return covered
    agreement = _approve(agreement, spec.parties)
    if spec.new_version:
        agreement = _second_version(agreement, spec, by)
    if spec.state == S.SUSPENDED:
        services.agreement_suspend(
            by=signers[spec.decided_by], agreement=agreement, reason=spec.reason
        )
    elif spec.state == S.TERMINATED:
        services.agreement_terminate(
            by=signers[spec.decided_by], agreement=agreement, reason=spec.reason
        )
    return covered


def _publish_audit_heads(today: date) -> None:
    """Today's audit trail head (publishing it under earlier days would misstate what the log
    held then; the daily job adds one a day from here on)."""
    services.audit_head_publish(day=today)


def homelessness_agreement() -> DataSharingAgreement | None:
    """The demo's active cross-borough homelessness agreement (the linkage demo uses it)."""
    return (
        DataSharingAgreement.objects.filter(
            title=HOMELESSNESS_TITLE, template="homelessness-ta", status=S.ACTIVE
        )
        .order_by("-version")
        .first()
    )


def load(report: DemoReport) -> None:
    """The demo agreements (once: skipped when they exist), walked through the services, then
    the last week's audit head publications."""
    today = timezone.localdate()
    titles = [spec.title for spec in DEMO_AGREEMENTS]
    if DataSharingAgreement.objects.filter(title__in=titles).exists():
        report.notes.append("Agreements: demo agreements were already loaded.")
    else:
        covered: list[str] = []
        for number, spec in enumerate(DEMO_AGREEMENTS, start=1):
            covered += _walk(spec, today=today, number=number)
        services.agreements_advance(today=today)  # expires the one whose end date has passed
        agreement = homelessness_agreement()
        reference = agreement.reference if agreement else "(missing)"
        report.notes.append(
            f"Agreements: {len(DEMO_AGREEMENTS)} demo agreements in every state, "
            f"{DataSharingAgreement.objects.filter(title__in=titles).count()} versions; "
            f"{reference} is the active cross-borough homelessness agreement"
            + (" and covers the restricted H-CLIC extract" if HCLIC.key in covered else "")
            + " (see /agreements/)."
        )
    _publish_audit_heads(today)
