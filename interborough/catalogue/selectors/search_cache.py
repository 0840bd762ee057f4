"""The per-process dataset index (ADR 0005): `dataset_index()`, `dataset_usage_scores()` and
`dataset_index_clear()`.

Each process keeps one `DatasetIndex` per database, keyed by a cheap data version (how many
datasets there are, the newest `updated_at` and the newest `last_version_at`: one aggregate
query), and refreshes it with what changed since instead of rebuilding it. A new ready version
moves `last_version_at`, so a dataset's data dictionary and formats follow its latest versions.
This module also turns dataset rows into the index's plain records.
"""

import threading
import time
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from django.db import connection
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from interborough.catalogue.models import Dataset, DatasetStatus, DatasetUsage, Resource
from interborough.catalogue.search_index import DatasetIndex
from interborough.catalogue.search_records import IndexedColumn, IndexedDataset

# Even when the data version looks unchanged, look again this often: a transaction that
# committed late can carry an older timestamp than the newest row already indexed.
RECHECK_SECONDS = 60.0
# How far before the newest indexed change to look for changed datasets.
LOOKBACK = timedelta(minutes=10)
# "Most used" counts the last 90 days of page views, downloads and API calls; the sums are
# re-read at most this often (usage changes with every request; the order need not).
USAGE_DAYS = 90
USAGE_SECONDS = 300.0
COLUMNS_PER_RESOURCE = 500  # a wider schema indexes its first columns only
_CHUNK = 500  # ids per IN (...) list

DataVersion = tuple[int, datetime | None, datetime | None]


@dataclass
class _CachedIndex:
    index: DatasetIndex
    version: DataVersion
    checked_at: float
    usage: np.ndarray | None = None
    usage_at: float = 0.0


_cache: dict[str, _CachedIndex] = {}
_lock = threading.Lock()


def _schema_columns(schema: Any) -> list[IndexedColumn]:
    fields = schema.get("fields") if isinstance(schema, dict) else None
    if not isinstance(fields, list):
        return []
    out = []
    for f in fields[:COLUMNS_PER_RESOURCE]:
        if isinstance(f, dict) and isinstance(f.get("name"), str) and f["name"].strip():
            title, description = f.get("title"), f.get("description")
            out.append(
                IndexedColumn(
                    name=f["name"],
                    title=title if isinstance(title, str) else "",
                    description=description if isinstance(description, str) else "",
                )
            )
    return out


def _records(datasets: QuerySet[Dataset]) -> list[IndexedDataset]:
    """Plain index records for these datasets (five queries, whatever their number)."""
    rows = list(
        datasets.values_list(
            "id",
            "publisher_id",
            "status",
            "title",
            "description",
            "licence",
            "access_level",
            "updated_at",
            "last_version_at",
        )
    )
    ids = datasets.values("id")
    keywords: dict[int, list[str]] = {}
    topics: dict[int, list[tuple[str, str]]] = {}
    boroughs: dict[int, list[str]] = {}
    formats: dict[int, set[str]] = {}
    columns: dict[int, list[IndexedColumn]] = {}
    for pk, name in Dataset.keywords.through.objects.filter(dataset_id__in=ids).values_list(
        "dataset_id", "keyword__name"
    ):
        keywords.setdefault(pk, []).append(name)
    for pk, slug, name in Dataset.topics.through.objects.filter(dataset_id__in=ids).values_list(
        "dataset_id", "topic__slug", "topic__name"
    ):
        topics.setdefault(pk, []).append((slug, name))
    for pk, slug in Dataset.boroughs.through.objects.filter(dataset_id__in=ids).values_list(
        "dataset_id", "organisation__slug"
    ):
        boroughs.setdefault(pk, []).append(slug)
    latest = (
        Resource.objects.filter(dataset_id__in=ids, latest__isnull=False)
        .order_by("dataset_id", "position", "name")
        .values_list("dataset_id", "latest__format", "latest__schema")
    )
    for pk, fmt, schema in latest:
        if fmt:
            formats.setdefault(pk, set()).add(fmt.lower())
        columns.setdefault(pk, []).extend(_schema_columns(schema))
    return [
        IndexedDataset(
            id=pk,
            publisher_id=publisher_id,
            published=status == DatasetStatus.PUBLISHED,
            title=title,
            description=description,
            keywords=tuple(sorted(keywords.get(pk, ()))),
            topics=tuple(sorted(s for s, _ in topics.get(pk, ()))),
            topic_names=tuple(sorted(n for _, n in topics.get(pk, ()))),
            boroughs=tuple(sorted(boroughs.get(pk, ()))),
            licence=licence,
            access_level=access_level,
            formats=tuple(sorted(formats.get(pk, ()))),
            columns=tuple(columns.get(pk, ())),
            updated_at=max(updated_at, last_version_at or updated_at).timestamp(),
        )
        for (
            pk,
            publisher_id,
            status,
            title,
            description,
            licence,
            access_level,
            updated_at,
            last_version_at,
        ) in rows
    ]


def _records_by_id(ids: Collection[int]) -> list[IndexedDataset]:
    ordered = sorted(ids)
    out: list[IndexedDataset] = []
    for start in range(0, len(ordered), _CHUNK):
        out += _records(Dataset.objects.filter(pk__in=ordered[start : start + _CHUNK]))
    return out


def _data_version() -> DataVersion:
    """How many datasets there are and when the newest change and version were.

    Three small queries rather than one aggregate: each newest-value lookup walks its index
    (migration 0004) from the end, where one aggregate of several MAXes reads the whole table.
    """
    newest = Dataset.objects.order_by()
    latest = newest.filter(updated_at__isnull=False).order_by("-updated_at")
    version = newest.filter(last_version_at__isnull=False).order_by("-last_version_at")
    return (
        newest.count(),
        latest.values_list("updated_at", flat=True).first(),
        version.values_list("last_version_at", flat=True).first(),
    )


def _refreshed(cached: _CachedIndex, version: DataVersion) -> DatasetIndex:
    """The cached index brought up to date with what changed (and was removed) since."""
    count, _, _ = version
    _, latest, newest_version = cached.version
    assert latest is not None  # noqa: S101 - callers rebuild when nothing was indexed
    since = Q(updated_at__gte=latest - LOOKBACK)
    if newest_version is not None:
        since |= Q(last_version_at__gte=newest_version - LOOKBACK)
    else:
        since |= Q(last_version_at__isnull=False)
    changed = _records(Dataset.objects.filter(since))
    known = set(cached.index.ids.tolist()) | {r.id for r in changed}
    removed: set[int] = set()
    if count != len(known):  # rows were deleted, or committed with an older timestamp
        current = set(Dataset.objects.values_list("id", flat=True))
        removed = known - current
        changed += _records_by_id(current - known)
    return cached.index.refresh(changed, removed)


def _went_back(old: DataVersion, new: DataVersion) -> bool:
    """Timestamps older than those indexed with nothing deleted: a rollback or a restore."""
    return (
        any(
            b is not None and a is not None and b < a for a, b in zip(old[1:], new[1:], strict=True)
        )
        and new[0] >= old[0]
    )


def _current(refit: bool = False) -> _CachedIndex:
    key = str(connection.settings_dict["NAME"])
    version = _data_version()
    cached = _cache.get(key)
    now = time.monotonic()
    if (
        not refit
        and cached is not None
        and cached.version == version
        and now - cached.checked_at < RECHECK_SECONDS
    ):
        return cached
    with _lock:
        cached = _cache.get(key)
        if (
            refit
            or cached is None
            or cached.version[1] is None
            or version[1] is None
            or _went_back(cached.version, version)
        ):
            index = DatasetIndex.build(_records(Dataset.objects.all()))
        else:
            index = _refreshed(cached, version)
        fresh = _CachedIndex(index=index, version=version, checked_at=now)
        if cached is not None and cached.index is index:  # unchanged: keep its usage figures
            fresh.usage, fresh.usage_at = cached.usage, cached.usage_at
        _cache[key] = fresh
    return fresh


def dataset_index(*, refit: bool = False) -> DatasetIndex:
    """This process's dataset index, brought up to date when the data version has changed."""
    return _current(refit).index


def dataset_usage_scores(index: DatasetIndex) -> np.ndarray:
    """Each indexed dataset's page views, downloads and API calls over the last 90 days, in
    the index's row order (re-read at most every USAGE_SECONDS)."""
    key = str(connection.settings_dict["NAME"])
    cached = _cache.get(key)
    now = time.monotonic()
    if (
        cached is not None
        and cached.index is index
        and cached.usage is not None
        and now - cached.usage_at < USAGE_SECONDS
    ):
        return cached.usage
    since = timezone.localdate() - timedelta(days=USAGE_DAYS)
    totals = (
        DatasetUsage.objects.filter(day__gte=since)
        .values_list("dataset_id")
        .annotate(total=Sum("count"))
        .order_by()
    )
    usage = index.aligned({pk: float(total) for pk, total in totals})
    if cached is not None and cached.index is index:
        cached.usage, cached.usage_at = usage, now
    return usage


def dataset_index_clear() -> None:
    """Forget the process's index (tests, and after restoring a database)."""
    with _lock:
        _cache.clear()
