"""Project search and similar projects, scoped to the viewer (see docs/adr/0005).

This module runs a search (`project_search`, `project_search_ids`), turns the facet counts into
choices to show (`SearchResults`, `FacetValue`) and finds similar projects (`project_similar`,
`projects_similar_to`, `SimilarProject`). What was asked for, and its URL parameters, is
`search_query.SearchQuery`; the per-process index is `search_cache.search_index`.
"""

import math
from dataclasses import dataclass, replace
from typing import Any

from django.db.models import Q

from interborough.accounts.models import Organisation, OrganisationType, User
from interborough.core.search_page import FacetValue, in_order
from interborough.pipeline import permissions
from interborough.pipeline.models import Phase, Project, ProjectStatus, Theme
from interborough.pipeline.search_index import (
    Audience,
    Filters,
    ProjectIndex,
    SearchHits,
)
from interborough.pipeline.selectors.search_cache import search_index
from interborough.pipeline.selectors.search_query import SearchQuery

TAG_FACET_SIZE = 30


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


# --- search -----------------------------------------------------------------------------------


def _audience(viewer: User) -> tuple[Audience, list[int]]:
    if not permissions.is_signed_in(viewer):
        return Audience(signed_in=False), []
    organisation_ids = permissions.member_organisation_ids(viewer)
    return Audience(signed_in=True, organisation_ids=frozenset(organisation_ids)), organisation_ids


def _page_projects(ids: list[int], visible: Q) -> list[Project]:
    """These projects in this order, with organisation, themes and tags (three queries)."""
    projects = (
        Project.objects.filter(visible)
        .select_related("organisation")
        .defer("organisation__boundary")
        .prefetch_related("themes", "tags")
    )
    return in_order(projects, ids)


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
