"""Project search and similar projects, scoped to the viewer (see docs/adr/0005).

Query parameters read by `SearchQuery.from_params` (the list page and the API share them):
`q`, `organisation` (slug, repeatable), `phase`, `theme` (slug), `tag` (all repeatable),
`collaboration` and `market` (yes/no), `include_archived` (yes), `sort` (relevance/updated),
`page`, `per_page` (at most 100). Values within one facet are alternatives (any of them);
different facets must all hold.
"""

import math
import re
import threading
import time
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from django.db import connection
from django.db.models import Max, Q, QuerySet

from interborough.accounts.models import Organisation, OrganisationType, User
from interborough.pipeline import permissions
from interborough.pipeline.models import Phase, Project, ProjectStatus, Theme
from interborough.pipeline.search_index import (
    Audience,
    Filters,
    IndexedProject,
    ProjectIndex,
    SearchHits,
)
from interborough.pipeline.services.project_input import normalise_tag

SORTS = ("relevance", "updated")
# Facet name (also the URL parameter) -> SearchQuery field
_FACET_FIELDS = {
    "organisation": "organisations",
    "phase": "phases",
    "theme": "themes",
    "tag": "tags",
}
PER_PAGE_DEFAULT = 20
PER_PAGE_MAX = 100
PAGE_MAX = 10_000
Q_MAX_LENGTH = 200
VALUES_MAX = 50  # per repeatable parameter; the rest are ignored
VALUE_MAX_LENGTH = 100
TAG_FACET_SIZE = 30


@dataclass(frozen=True)
class FacetValue:
    """One choice in a facet: what to send back (`value`), what to show, and how many match."""

    value: str
    label: str
    count: int
    selected: bool


@dataclass
class SearchQuery:
    """What someone searched for; `sort` is resolved (relevance with text, else updated)."""

    q: str = ""
    organisations: list[str] = field(default_factory=list)
    phases: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    collaboration: bool | None = None
    market: bool | None = None
    include_archived: bool = False
    sort: str = ""
    page: int = 1
    per_page: int = PER_PAGE_DEFAULT

    def __post_init__(self) -> None:
        self.q = _query_text(self.q)
        for name in ("organisations", "phases", "themes", "tags"):
            setattr(self, name, list(getattr(self, name))[:VALUES_MAX])
        if self.sort not in SORTS:
            self.sort = "relevance" if self.q.strip() else "updated"
        self.page = min(max(int(self.page), 1), PAGE_MAX)
        self.per_page = min(max(int(self.per_page), 1), PER_PAGE_MAX)

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> "SearchQuery":
        """Read a QueryDict (or a plain dict) leniently: junk values are ignored, never an error."""
        return _query_from_params(params)

    def as_params(self, **overrides: Any) -> list[tuple[str, str]]:
        """The query as URL parameters (for links to other pages or sorts), with overrides."""
        return _query_as_params(self, overrides)

    def toggle_params(self, facet: str, value: str) -> list[tuple[str, str]]:
        """Parameters for a link that selects or unselects one facet value (back to page 1).

        `facet` is a key of SearchResults.facets; for "collaboration" and "market" the value is
        "yes" or "no", and choosing the selected one again clears it.
        """
        if facet in ("collaboration", "market"):
            wanted = value == "yes"
            current = getattr(self, facet)
            return self.as_params(**{facet: None if current is wanted else wanted, "page": None})
        field_name = _FACET_FIELDS[facet]
        values = list(getattr(self, field_name))
        values = [v for v in values if v != value] if value in values else [*values, value]
        return self.as_params(**{facet: values, "page": None})

    @property
    def is_filtered(self) -> bool:
        return bool(
            self.q.strip()
            or self.organisations
            or self.phases
            or self.themes
            or self.tags
            or self.collaboration is not None
            or self.market is not None
            or self.include_archived
        )


@dataclass
class SearchResults:
    """One page of matching projects, the facet counts and the projects per borough."""

    query: SearchQuery
    projects: list[Project]
    total: int
    page: int
    pages: int
    per_page: int
    # name -> choices: "organisation", "phase", "theme", "tag", "collaboration", "market"
    facets: dict[str, list[FacetValue]]
    # GSS code of a local authority -> matching projects it owns (for the choropleth)
    borough_counts: dict[str, int]
    # project id -> relevance 0..1 (0 when there is no search text)
    scores: dict[int, float]

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


@dataclass
class SimilarProject:
    """A project of another organisation like this one, and why (shared terms and themes)."""

    project: Project
    score: float  # 0..1
    shared_terms: list[str]
    shared_themes: list[Theme]


# --- reading the query ------------------------------------------------------------------------

_YES = frozenset({"yes", "true", "1", "on"})
_NO = frozenset({"no", "false", "0", "off"})
_SLUG = re.compile(r"[-a-z0-9_]{1,100}")


def _values(params: Mapping[str, Any], name: str) -> list[str]:
    """Every value of a (possibly repeated) parameter, as bounded strings."""
    if hasattr(params, "getlist"):
        raw: Any = params.getlist(name)
    else:
        raw = params.get(name, [])
        if isinstance(raw, str | int | bool) or raw is None:
            raw = [] if raw is None else [raw]
    out: list[str] = []
    for value in list(raw)[: VALUES_MAX * 2]:
        text = str(value) if isinstance(value, str | int) and not isinstance(value, bool) else ""
        text = text.strip()[: VALUE_MAX_LENGTH * 2]
        if text and len(text) <= VALUE_MAX_LENGTH and text not in out:
            out.append(text)
    return out[:VALUES_MAX]


def _one(params: Mapping[str, Any], name: str) -> str:
    values = _values(params, name)
    return values[0] if values else ""


def _yes_no(params: Mapping[str, Any], name: str) -> bool | None:
    value = _one(params, name).lower()
    if value in _YES:
        return True
    if value in _NO:
        return False
    return None


def _number(params: Mapping[str, Any], name: str, default: int) -> int:
    value = _one(params, name)
    return int(value) if value.isdigit() and len(value) <= 6 else default


def _query_text(value: Any) -> str:
    text = value if isinstance(value, str) else ""
    text = "".join(c if c.isprintable() else " " for c in text[: Q_MAX_LENGTH * 4])
    return " ".join(text.split())[:Q_MAX_LENGTH]


def _query_from_params(params: Mapping[str, Any]) -> SearchQuery:
    q_values = params.getlist("q") if hasattr(params, "getlist") else [params.get("q", "")]
    return SearchQuery(
        q=_query_text(q_values[0] if q_values else ""),
        organisations=[v.lower() for v in _values(params, "organisation") if _SLUG.fullmatch(v)],
        phases=[v for v in _values(params, "phase") if v in Phase.values],
        themes=[v for v in _values(params, "theme") if _SLUG.fullmatch(v)],
        tags=[t for t in (normalise_tag(v) for v in _values(params, "tag")) if t],
        collaboration=_yes_no(params, "collaboration"),
        market=_yes_no(params, "market"),
        include_archived=_yes_no(params, "include_archived") is True,
        sort=_one(params, "sort"),
        page=_number(params, "page", 1),
        per_page=_number(params, "per_page", PER_PAGE_DEFAULT),
    )


def _query_as_params(query: SearchQuery, overrides: dict[str, Any]) -> list[tuple[str, str]]:
    values: dict[str, Any] = {
        "q": query.q,
        "organisation": query.organisations,
        "phase": query.phases,
        "theme": query.themes,
        "tag": query.tags,
        "collaboration": query.collaboration,
        "market": query.market,
        "include_archived": query.include_archived or None,
        "sort": query.sort,
        "page": query.page if query.page > 1 else None,
        "per_page": query.per_page if query.per_page != PER_PAGE_DEFAULT else None,
    }
    values.update(overrides)
    params: list[tuple[str, str]] = []
    for name, value in values.items():
        if value is None or value == "" or value == []:
            continue
        if isinstance(value, bool):
            params.append((name, "yes" if value else "no"))
        elif isinstance(value, list | tuple):
            params.extend((name, str(v)) for v in value)
        else:
            params.append((name, str(value)))
    return params


# --- the per-process index --------------------------------------------------------------------

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


# --- search -----------------------------------------------------------------------------------


def _audience(viewer: User) -> tuple[Audience, list[int]]:
    if not permissions.is_signed_in(viewer):
        return Audience(signed_in=False), []
    organisation_ids = permissions.member_organisation_ids(viewer)
    return Audience(signed_in=True, organisation_ids=frozenset(organisation_ids)), organisation_ids


def _page_projects(ids: list[int], visible: Q) -> list[Project]:
    """These projects in this order, with organisation, themes and tags (three queries)."""
    if not ids:
        return []
    projects = (
        Project.objects.filter(visible, pk__in=ids)
        .order_by()  # the index's order is applied below
        .select_related("organisation")
        .defer("organisation__boundary")
        .prefetch_related("themes", "tags")
    )
    by_id = {p.pk: p for p in projects}
    return [by_id[i] for i in ids if i in by_id]


@dataclass
class _Search:
    query: SearchQuery  # without values nobody could match
    hits: SearchHits
    organisations: dict[int, dict[str, Any]]
    themes: list[Theme]
    organisation_ids: list[int]  # the viewer's


def _run(viewer: User, query: SearchQuery) -> _Search:
    index = search_index()
    audience, organisation_ids = _audience(viewer)
    organisations: dict[int, dict[str, Any]] = {
        o["id"]: dict(o)
        for o in Organisation.objects.values("id", "slug", "name", "short_name", "type", "gss_code")
    }
    org_by_slug = {o["slug"]: pk for pk, o in organisations.items()}
    themes = list(Theme.objects.all())
    theme_slugs = {t.slug for t in themes}
    # What was asked for, without the values nobody could match (unknown slugs, unused tags).
    query = replace(
        query,
        organisations=[s for s in query.organisations if s in org_by_slug],
        themes=[s for s in query.themes if s in theme_slugs],
        tags=index.known_tags(query.tags),
    )
    hits = index.search(
        query.q,
        audience=audience,
        filters=Filters(
            organisation_ids=frozenset(org_by_slug[s] for s in query.organisations),
            phases=frozenset(query.phases),
            theme_slugs=frozenset(query.themes),
            tags=frozenset(query.tags),
            collaboration=query.collaboration,
            market=query.market,
        ),
        include_archived=query.include_archived,
        sort=query.sort,
    )
    return _Search(query, hits, organisations, themes, organisation_ids)


def project_search(*, viewer: User, query: SearchQuery) -> SearchResults:
    """Projects the viewer may see that match the query, one page of them, with facet counts."""
    found = _run(viewer, query)
    query, hits, organisations = found.query, found.hits, found.organisations
    pages = max(1, math.ceil(hits.total / query.per_page))
    query.page = min(query.page, pages)
    start = (query.page - 1) * query.per_page
    page_ids = hits.ids[start : start + query.per_page].tolist()
    page_scores = hits.scores[start : start + query.per_page].tolist()
    organisation_counts: dict[int, int] = hits.facets["organisation"]
    visible = permissions.visible_projects_q(viewer, found.organisation_ids)
    return SearchResults(
        query=query,
        projects=_page_projects(page_ids, visible),
        total=hits.total,
        page=query.page,
        pages=pages,
        per_page=query.per_page,
        facets=_facets(query, hits.facets, organisations, found.themes),
        borough_counts={
            organisations[pk]["gss_code"]: n
            for pk, n in organisation_counts.items()
            if pk in organisations
            and organisations[pk]["type"] == OrganisationType.LOCAL_AUTHORITY
            and organisations[pk]["gss_code"]
        },
        scores={i: round(s, 4) for i, s in zip(page_ids, page_scores, strict=True)},
    )


def project_search_ids(*, viewer: User, query: SearchQuery) -> list[int]:
    """Every matching project id the viewer may see, in the query's order (exports and feeds).

    No paging and no rows loaded: the caller loads them (scoped to the viewer, as always).
    """
    return _run(viewer, query).hits.ids.tolist()


def _facets(
    query: SearchQuery,
    counts: dict[str, dict[Any, int]],
    organisations: dict[int, dict[str, Any]],
    themes: list[Theme],
) -> dict[str, list[FacetValue]]:
    """Facet counts as choices to show: labels, and which ones are selected."""
    org_counts = counts["organisation"]
    selected_orgs = set(query.organisations)
    org_choices = [
        FacetValue(
            value=o["slug"],
            label=o["short_name"] or o["name"],
            count=org_counts.get(pk, 0),
            selected=o["slug"] in selected_orgs,
        )
        for pk, o in organisations.items()
        if org_counts.get(pk) or o["slug"] in selected_orgs
    ]
    tag_counts = counts["tag"]
    top_tags = sorted(tag_counts, key=lambda t: (-tag_counts[t], t))[:TAG_FACET_SIZE]
    top_tags += [t for t in query.tags if t not in top_tags]

    def yes_no(name: str, selected: bool | None) -> list[FacetValue]:
        return [
            FacetValue("yes", "Yes", counts[name].get(True, 0), selected is True),
            FacetValue("no", "No", counts[name].get(False, 0), selected is False),
        ]

    return {
        "organisation": sorted(org_choices, key=lambda f: f.label.lower()),
        "phase": [
            FacetValue(value, label, counts["phase"].get(value, 0), value in query.phases)
            for value, label in Phase.choices
        ],
        "theme": [
            FacetValue(t.slug, t.name, counts["theme"].get(t.slug, 0), t.slug in query.themes)
            for t in themes
        ],
        "tag": [FacetValue(t, t, tag_counts.get(t, 0), t in query.tags) for t in top_tags],
        "collaboration": yes_no("collaboration", query.collaboration),
        "market": yes_no("market", query.market),
    }


# --- similar projects -------------------------------------------------------------------------


def project_similar(*, viewer: User, project: Project, limit: int = 5) -> list[SimilarProject]:
    """The most similar projects of other organisations that the viewer may see (not archived).

    The caller has already checked that the viewer may see `project` itself.
    """
    index = search_index()
    audience, organisation_ids = _audience(viewer)
    allowed = index.visible_mask(audience) & ~index.archived_mask()
    found = index.similar(
        project.pk,
        exclude_organisation_id=project.organisation_id,
        allowed=allowed,
        limit=limit,
    )
    return _similar_projects(
        index,
        project,
        found,
        visible=permissions.visible_projects_q(viewer, organisation_ids),
    )


def _similar_projects(
    index: ProjectIndex, project: Project, found: list[tuple[int, float]], *, visible: Q
) -> list[SimilarProject]:
    """Load the projects found and say why each matched (shared terms and themes)."""
    others = _page_projects([pk for pk, _ in found], visible & ~Q(status=ProjectStatus.ARCHIVED))
    scores = dict(found)
    own_themes = {t.pk for t in project.themes.all()}
    return [
        SimilarProject(
            project=other,
            score=round(scores[other.pk], 4),
            shared_terms=index.explain(project.pk, other.pk),
            shared_themes=[t for t in other.themes.all() if t.pk in own_themes],
        )
        for other in others
    ]


def projects_similar_to(*, project: Project, threshold: float, limit: int) -> list[SimilarProject]:
    """Published projects of other organisations at least this similar (for alerts, no viewer)."""
    index = search_index()
    found = index.similar(
        project.pk,
        exclude_organisation_id=project.organisation_id,
        allowed=index.published_mask(),
        limit=limit,
    )
    found = [(pk, score) for pk, score in found if score >= threshold]
    return _similar_projects(index, project, found, visible=Q(status=ProjectStatus.PUBLISHED))
