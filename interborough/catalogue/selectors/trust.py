"""Reads for trust signals: a dataset's freshness, metadata quality and usage figures."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q, Sum
from django.utils import timezone

from interborough.catalogue import trust
from interborough.catalogue.models import Dataset, DatasetUsage, ResourceVersion, UsageKind

USAGE_PERIODS = (30, 90)
# How each kind reads inside a sentence ("12 downloads"), where the choice label is capitalised.
USAGE_NOUNS = {
    UsageKind.PAGE_VIEW: "page views",
    UsageKind.DOWNLOAD: "downloads",
    UsageKind.API_CALL: "API calls",
}


@dataclass(frozen=True)
class UsageTotal:
    kind: str
    label: str
    noun: str
    last_30_days: int
    last_90_days: int


@dataclass(frozen=True)
class DatasetTrust:
    freshness: trust.FreshnessResult
    quality: trust.Quality
    usage: list[UsageTotal]


@dataclass(frozen=True)
class UsageDay:
    day: date
    counts: dict[str, int]  # by UsageKind value

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _metadata_facts(dataset: Dataset) -> trust.MetadataFacts:
    latest = list(
        ResourceVersion.objects.filter(
            resource__dataset=dataset, pk__in=dataset.resources.values("latest")
        ).values_list("schema", "schema_confirmed")
    )
    fields = [
        f for schema, _ in latest for f in (schema or {}).get("fields", []) if isinstance(f, dict)
    ]
    return trust.MetadataFacts(
        description=dataset.description,
        topic_count=dataset.topics.count(),
        keyword_count=dataset.keywords.count(),
        contact_email=dataset.contact_email,
        temporal_start=dataset.temporal_start,
        temporal_end=dataset.temporal_end,
        borough_count=dataset.boroughs.count(),
        licence=dataset.licence,
        frequency=dataset.frequency,
        information_asset_owner=dataset.information_asset_owner,
        ready_resources=len(latest),
        schemas_confirmed=bool(latest) and all(confirmed for _, confirmed in latest),
        columns=len(fields),
        columns_described=sum(1 for f in fields if str(f.get("description") or "").strip()),
    )


def _usage_totals(dataset: Dataset, today: date) -> list[UsageTotal]:
    aggregates = {}
    for kind in UsageKind:
        for days in USAGE_PERIODS:
            since = today - timedelta(days=days - 1)
            aggregates[f"{kind.value}_{days}"] = Sum(
                "count", filter=Q(kind=kind.value, day__gte=since), default=0
            )
    sums = DatasetUsage.objects.filter(dataset=dataset).aggregate(**aggregates)
    return [
        UsageTotal(
            kind=kind.value,
            label=str(kind.label),
            noun=USAGE_NOUNS[kind],
            last_30_days=sums[f"{kind.value}_30"],
            last_90_days=sums[f"{kind.value}_90"],
        )
        for kind in UsageKind
    ]


def dataset_trust(*, dataset: Dataset) -> DatasetTrust:
    """Freshness against the promised frequency, the metadata quality score and usage totals."""
    now = timezone.now()
    return DatasetTrust(
        freshness=trust.freshness(
            last_version_at=dataset.last_version_at, frequency=dataset.frequency, now=now
        ),
        quality=trust.metadata_quality(_metadata_facts(dataset)),
        usage=_usage_totals(dataset, timezone.localdate()),
    )


def dataset_usage_series(*, dataset: Dataset, days: int = 90) -> list[UsageDay]:
    """Daily counts per kind for the last `days` days (today included), oldest first, with
    days without use as zeros."""
    today = timezone.localdate()
    start = today - timedelta(days=days - 1)
    counts: dict[date, dict[str, int]] = {
        start + timedelta(days=n): dict.fromkeys(UsageKind.values, 0) for n in range(days)
    }
    rows = DatasetUsage.objects.filter(dataset=dataset, day__gte=start, day__lte=today)
    for day, kind, count in rows.values_list("day", "kind", "count"):
        if kind in counts[day]:
            counts[day][kind] = count
    return [UsageDay(day=day, counts=by_kind) for day, by_kind in counts.items()]
