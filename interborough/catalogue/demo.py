"""Data store demo content: 60-odd datasets from the boroughs and London-wide bodies, open,
signed-in and restricted, tabular and geographic, some with several versions (demo_content
and demo_content_records say what, demo_data makes the synthetic values).

Datasets, resources, versions and access requests go through the catalogue's services, and each
upload is checked at once (the check is a task; the demo cannot wait for a commit, so it calls
the task's service itself). Two things are history rather than actions, and are written
directly: when versions landed (spread back in time from `age_days`, so freshness shows fresh,
due and overdue datasets) and the daily usage counters of the past 90 days.
"""

import random
from datetime import date, timedelta
from typing import Any

from django.utils import timezone
from django.utils.text import slugify

from interborough.accounts import reference
from interborough.accounts.models import Membership, Organisation, OrganisationType, Role, User
from interborough.catalogue import demo_data
from interborough.catalogue.demo_content import LONDON_SERIES, LSOA_TABLES, DemoDataset
from interborough.catalogue.demo_content_records import CASES, DRAFTS, PLACES
from interborough.catalogue.models import (
    AccessLevel,
    Classification,
    Dataset,
    DatasetStatus,
    DatasetUsage,
    Frequency,
    Licence,
    ResourceVersion,
    UsageKind,
    VersionStatus,
)
from interborough.catalogue.models.access import AccessDuration
from interborough.catalogue.services import access
from interborough.catalogue.services.datasets import DatasetInput, dataset_create, dataset_publish
from interborough.catalogue.services.versions import (
    resource_create,
    resource_version_check,
    resource_version_upload,
)
from interborough.core.demo import DemoReport
from interborough.core.errors import ApplicationError

DEMO_DATASETS: list[DemoDataset] = [*LONDON_SERIES, *LSOA_TABLES, *PLACES, *CASES, *DRAFTS]
USAGE_DAYS = 90
# How far apart a dataset's versions landed, by its promised frequency (days).
PERIOD_DAYS = {
    Frequency.CONTINUOUS: 1,
    Frequency.DAILY: 1,
    Frequency.WEEKLY: 7,
    Frequency.MONTHLY: 30,
    Frequency.QUARTERLY: 91,
    Frequency.ANNUAL: 365,
    Frequency.IRREGULAR: 120,
    Frequency.NEVER: 365,
}
PERIOD_START = {"year": 365, "month": 30, "quarter": 91}


def _publishers() -> dict[str, User]:
    """One person who may publish (a publisher, else an admin) for each organisation."""
    people: dict[str, User] = {}
    memberships = Membership.objects.filter(role__in=[Role.PUBLISHER, Role.ORG_ADMIN])
    for m in memberships.select_related("user", "organisation").order_by("-role", "pk"):
        people.setdefault(m.organisation.slug, m.user)
    return people


def _description(spec: DemoDataset, publisher: Organisation) -> str:
    coverage = "all 33 London local authorities" if spec.london else publisher.short_name
    return (
        f"{spec.summary}\n\n"
        "## About this data\n\n"
        f"- Covers {coverage or publisher.name}.\n"
        f"- Updated: {Frequency(spec.frequency).label.lower()}.\n"
        "- **The values are synthetic**: made up for the Interborough demo, realistic in shape "
        "but not real figures.\n"
    )


def _temporal(spec: DemoDataset) -> tuple[date | None, date | None]:
    if spec.data != "borough_series":
        return None, None
    days = PERIOD_START[spec.params.get("period", "quarter")] * spec.params.get("periods", 8)
    return demo_data.DATA_END - timedelta(days=days), demo_data.DATA_END


def _input(spec: DemoDataset, publisher: Organisation, boroughs: list[str]) -> DatasetInput:
    start, end = _temporal(spec)
    restricted = spec.access == AccessLevel.RESTRICTED
    return DatasetInput(
        title=spec.title,
        description=_description(spec, publisher),
        licence=Licence.RESTRICTED if restricted else Licence.OGL_3,
        topics=spec.topics,
        keywords=spec.keywords,
        boroughs=boroughs,
        temporal_start=start,
        temporal_end=end,
        frequency=spec.frequency,
        contact_name="Open data team",
        contact_email=f"opendata@{publisher.slug}.example",
        access_level=spec.access,
        classification=Classification.OFFICIAL_SENSITIVE if restricted else Classification.OFFICIAL,
        information_asset_owner=spec.owner,
    )


def _upload(by: User, spec: DemoDataset, dataset: Dataset, places: list[demo_data.Place]) -> None:
    resource = resource_create(by=by, dataset=dataset, name=spec.resource)
    generate = demo_data.GENERATORS[spec.data]
    write = demo_data.WRITERS[spec.fmt]
    for number in range(1, spec.versions + 1):
        request = demo_data.Request(
            seed=spec.title, places=places, version=number, versions=spec.versions,
            params=spec.params,
        )  # fmt: skip
        version = resource_version_upload(
            by=by,
            resource=resource,
            filename=f"{slugify(spec.title)[:80]}.{spec.fmt}",
            chunks=[write(generate(request))],
            schema=spec.schema,
        )
        version = resource_version_check(version_id=version.pk)
        if version.status != VersionStatus.READY:
            raise ApplicationError(
                f"The demo data of “{spec.title}” (version {number}) was not accepted: "
                f"{version.problems[:3]}"
            )


def _backdate(dataset: Dataset, spec: DemoDataset, now: Any) -> None:
    """When the versions landed: the newest `age_days` ago, the others one period apart."""
    period = timedelta(days=PERIOD_DAYS[Frequency(spec.frequency)])
    newest = now - timedelta(days=spec.age_days)
    versions = ResourceVersion.objects.filter(resource__dataset=dataset)
    for version in versions:
        landed = newest - period * (spec.versions - version.number)
        ResourceVersion.objects.filter(pk=version.pk).update(created_at=landed, ready_at=landed)
    first = newest - period * (spec.versions - 1)
    Dataset.objects.filter(pk=dataset.pk).update(
        created_at=first - timedelta(days=7),
        published_at=first if dataset.status == DatasetStatus.PUBLISHED else None,
        last_version_at=newest,
    )


def _load_datasets(
    people: dict[str, User], organisations: dict[str, Organisation]
) -> list[tuple[Dataset, DemoDataset]]:
    places = demo_data.places_from_features(reference.borough_features())
    by_code = {p.code: p for p in places}
    all_boroughs = [
        o.slug for o in organisations.values() if o.type == OrganisationType.LOCAL_AUTHORITY
    ]
    now = timezone.now()
    loaded = []
    for spec in DEMO_DATASETS:
        publisher = organisations[spec.publisher]
        by = people[spec.publisher]
        if spec.london:
            covered, boroughs = places, all_boroughs
        else:
            covered, boroughs = [by_code[publisher.gss_code]], [publisher.slug]
        dataset = dataset_create(by=by, publisher=publisher, data=_input(spec, publisher, boroughs))
        _upload(by, spec, dataset, covered)
        if not spec.draft:
            dataset = dataset_publish(by=by, dataset=dataset)
        _backdate(dataset, spec, now)
        loaded.append((dataset, spec))
    return loaded


def _load_usage(loaded: list[tuple[Dataset, DemoDataset]], rng: random.Random) -> int:
    """Daily page views, downloads and API calls for the past 90 days: a few popular datasets,
    a long tail."""
    today = timezone.localdate()
    rows = []
    for dataset, spec in loaded:
        if spec.draft:
            continue
        popularity = min(rng.paretovariate(1.3), 25.0)
        api_share = rng.choice([0.0, 0.2, 1.0, 3.0])
        for days_ago in range(min(USAGE_DAYS, spec.age_days + 60)):
            views = int(popularity * rng.uniform(1, 9))
            counts = {
                UsageKind.PAGE_VIEW: views,
                UsageKind.DOWNLOAD: int(views * rng.uniform(0.05, 0.35)),
                UsageKind.API_CALL: int(views * api_share * rng.uniform(0.5, 1.5)),
            }
            day = today - timedelta(days=days_ago)
            rows += [
                DatasetUsage(dataset=dataset, day=day, kind=kind, count=count)
                for kind, count in counts.items()
                if count
            ]
    DatasetUsage.objects.bulk_create(rows)
    return len(rows)


# (dataset title, requester's organisation, decision: None pending, True approve, False refuse)
ACCESS_REQUESTS: list[tuple[str, str, bool | None, str]] = [
    ("Homelessness case outcomes (H-CLIC extract)", "ucl", None,
     "A study of repeat homelessness across east London boroughs, approved by the UCL research "
     "ethics committee (ref. 2025-114). Only aggregate results will be published."),
    ("Housing benefit claimants by LSOA", "lambeth", True,
     "To compare housing benefit take-up along our border with Hackney for the joint "
     "temporary accommodation procurement."),
    ("Council tax arrears by LSOA", "tower-hamlets", False,
     "To benchmark our debt advice outreach against a neighbouring borough."),
]  # fmt: skip
DECISION_REASONS = {
    True: "Covered by the cross-borough housing data sharing agreement; access for 3 months.",
    False: "Council tax data is shared only with Croydon's debt advice partners. Ask the "
    "revenues team for the published aggregate figures instead.",
}


def _load_access_requests(loaded: list[tuple[Dataset, DemoDataset]]) -> int:
    datasets = {d.title: d for d, _ in loaded}
    count = 0
    for title, organisation, decision, purpose in ACCESS_REQUESTS:
        dataset = datasets[title]
        requester = (
            Membership.objects.filter(organisation__slug=organisation, role=Role.MEMBER)
            .select_related("user", "organisation")
            .order_by("pk")
            .first()
        )
        decider = (
            Membership.objects.filter(organisation=dataset.publisher, role=Role.IG_LEAD)
            .select_related("user")
            .order_by("pk")
            .first()
        )
        if requester is None or decider is None:
            continue
        request = access.access_request_create(
            by=requester.user,
            dataset=dataset,
            purpose=purpose,
            duration_days=AccessDuration.THREE_MONTHS,
            organisation=requester.organisation,
        )
        if decision is not None:
            access.access_request_decide(
                by=decider.user,
                request=request,
                approve=decision,
                reason=DECISION_REASONS[decision],
            )
        count += 1
    return count


def load(report: DemoReport) -> None:
    """The data store's demo datasets (once: skipped when any dataset exists)."""
    if Dataset.objects.exists():
        report.notes.append("Data store: demo datasets were already loaded.")
        return
    rng = random.Random(2026)  # noqa: S311 - demo content, not security
    people = _publishers()
    organisations = Organisation.objects.defer("boundary").in_bulk(field_name="slug")
    loaded = _load_datasets(people, organisations)
    _load_usage(loaded, rng)
    requests = _load_access_requests(loaded)
    published = [d for d, s in loaded if not s.draft]
    restricted = sum(d.access_level == AccessLevel.RESTRICTED for d in published)
    versions = ResourceVersion.objects.filter(resource__dataset__in=[d for d, _ in loaded]).count()
    report.notes.append(
        f"Data store: {len(published)} published datasets ({restricted} restricted) and "
        f"{len(loaded) - len(published)} drafts from {len({s.publisher for _, s in loaded})} "
        f"publishers, {versions} versions, {requests} access requests (see /datasets/)."
    )
