"""The per-process project index (ADR 0005): `search_index()` and `search_index_clear()`.

Each process keeps one `ProjectIndex` per database, keyed by a cheap data version (how many
projects there are and the newest `updated_at`), and refreshes it with what changed since
instead of rebuilding it. This module also turns project rows into the index's plain records.
"""

import threading
import time
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection
from django.db.models import Max, QuerySet

from interborough.pipeline.models import Project
from interborough.pipeline.search_index import ProjectIndex
from interborough.pipeline.search_records import IndexedProject

# Even when the data version looks unchanged, look again this often: a transaction that
# committed late can carry an older updated_at than the newest row already indexed.
RECHECK_SECONDS = 60.0
# How far before the newest indexed change to look for changed projects.
LOOKBACK = timedelta(minutes=10)
_CHUNK = 500  # ids per IN (...) list


@dataclass
class _CachedIndex:
    index: ProjectIndex
    count: int
    latest: datetime | None
    checked_at: float


_cache: dict[str, _CachedIndex] = {}
_lock = threading.Lock()


def _records(projects: QuerySet[Project]) -> list[IndexedProject]:
    """Plain index records for these projects (three queries, whatever their number)."""
    rows = list(
        projects.values_list(
            "id",
            "organisation_id",
            "status",
            "is_public",
            "published_at",
            "phase",
            "collaboration_wanted",
            "market_engagement_wanted",
            "last_activity_at",
            "title",
            "summary",
            "problem",
        )
    )
    themes: dict[int, list[str]] = {}
    tags: dict[int, list[str]] = {}
    ids = projects.values("id")
    for project_id, slug in Project.themes.through.objects.filter(project_id__in=ids).values_list(
        "project_id", "theme__slug"
    ):
        themes.setdefault(project_id, []).append(slug)
    for project_id, name in Project.tags.through.objects.filter(project_id__in=ids).values_list(
        "project_id", "tag__name"
    ):
        tags.setdefault(project_id, []).append(name)
    return [
        IndexedProject(
            id=pk,
            organisation_id=organisation_id,
            status=status,
            is_public=is_public,
            published=published_at is not None,
            phase=phase,
            theme_slugs=tuple(sorted(themes.get(pk, ()))),
            tags=tuple(sorted(tags.get(pk, ()))),
            collaboration_wanted=collaboration,
            market_engagement_wanted=market,
            last_activity_at=last_activity_at.timestamp(),
            title=title,
            summary=summary,
            problem=problem,
        )
        for (
            pk,
            organisation_id,
            status,
            is_public,
            published_at,
            phase,
            collaboration,
            market,
            last_activity_at,
            title,
            summary,
            problem,
        ) in rows
    ]


def _records_by_id(ids: Collection[int]) -> list[IndexedProject]:
    ordered = sorted(ids)
    out: list[IndexedProject] = []
    for start in range(0, len(ordered), _CHUNK):
        out += _records(Project.objects.filter(pk__in=ordered[start : start + _CHUNK]))
    return out


def _data_version() -> tuple[int, datetime | None]:
    """How many projects there are and when the newest change was: two index-only queries.

    (One query with both aggregates makes SQLite scan the whole table: 10 ms at 20,000 rows.)
    """
    latest = Project.objects.aggregate(latest=Max("updated_at"))["latest"]
    return Project.objects.count(), latest


def _refreshed(cached: _CachedIndex, count: int) -> ProjectIndex:
    """The cached index brought up to date with what changed (and was removed) since."""
    assert cached.latest is not None  # noqa: S101 - callers rebuild when nothing was indexed
    changed = _records(Project.objects.filter(updated_at__gte=cached.latest - LOOKBACK))
    known = set(cached.index.ids.tolist()) | {r.id for r in changed}
    removed: set[int] = set()
    if count != len(known):  # rows were deleted, or committed with an older updated_at
        current = set(Project.objects.values_list("id", flat=True))
        removed = known - current
        changed += _records_by_id(current - known)
    return cached.index.refresh(changed, removed)


def search_index(*, refit: bool = False) -> ProjectIndex:
    """This process's project index, brought up to date when the data version has changed."""
    key = str(connection.settings_dict["NAME"])
    count, latest = _data_version()
    cached = _cache.get(key)
    now = time.monotonic()
    if (
        not refit
        and cached is not None
        and (cached.count, cached.latest) == (count, latest)
        and now - cached.checked_at < RECHECK_SECONDS
    ):
        return cached.index
    with _lock:
        cached = _cache.get(key)
        if (
            refit
            or cached is None
            or cached.latest is None
            or latest is None
            # Older than what was indexed and nothing deleted: a rollback or a restore, so
            # rows may have gone back to older versions. Start again. (Deleting the newest
            # project also lowers `latest`, but the count shows it and a refresh handles it.)
            or (latest < cached.latest and count >= cached.count)
        ):
            index = ProjectIndex.build(_records(Project.objects.all()))
        else:
            index = _refreshed(cached, count)
        _cache[key] = _CachedIndex(index=index, count=count, latest=latest, checked_at=now)
    return index


def search_index_clear() -> None:
    """Forget the process's index (tests, and after restoring a database)."""
    with _lock:
        _cache.clear()
