"""Dataset search, scoped to the viewer (see docs/adr/0005).

`dataset_search` runs a `DatasetSearchQuery` (search_query.py) against the per-process index
(search_cache.py) and returns one page (or an offset/limit slice, for the CKAN API) of the
datasets the viewer may see, with facet counts as choices to show and, per dataset, its
formats and the columns the query matched.
"""

import math
from dataclasses import dataclass, replace
from typing import Any

from django.db.models import Q

from interborough.accounts.models import Organisation, User
from interborough.catalogue.models import AccessLevel, Dataset, Licence, Topic
from interborough.catalogue.search_index import Audience, DatasetHits, Filters, matched_columns
from interborough.catalogue.selectors.search_cache import dataset_index, dataset_usage_scores
from interborough.catalogue.selectors.search_query import FORMATS, DatasetSearchQuery
from interborough.catalogue.selectors.visibility import (
    viewer_organisation_ids,
    visible_datasets_q,
)
from interborough.core.search_page import FacetValue, in_order

TAG_FACET_SIZE = 30
LIMIT_MAX = 1000  # CKAN's package_search allows rows up to 1000
ACCESS_LABELS: dict[str, str] = {
    AccessLevel.OPEN: "Open",
    AccessLevel.SIGNED_IN: "Signed-in people",
    AccessLevel.RESTRICTED: "Restricted",
}


@dataclass(frozen=True)
class DatasetResult:
    """One dataset in the results, with what the index knows that the row does not."""

    dataset: Dataset
    score: float  # relevance (0 without search text); an exact column name adds 1
    formats: tuple[str, ...]  # of its resources' latest versions
    matched_columns: list[str]  # columns the search text matched, exact names first


@dataclass
class DatasetSearchResults:
    """One page (or slice) of matching datasets, their total and the facet counts."""

    query: DatasetSearchQuery  # as searched: values nobody could match are dropped
    results: list[DatasetResult]
    total: int
    offset: int
    limit: int
    # name -> choices: publisher, topic, tag, format, licence, access_level, borough
    facets: dict[str, list[FacetValue]]

    @property
    def datasets(self) -> list[Dataset]:
        return [r.dataset for r in self.results]

    @property
    def page(self) -> int:
        return self.offset // self.limit + 1

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.limit))

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def _page_datasets(ids: list[int], visible: Q) -> list[Dataset]:
    """These datasets in this order, with publisher and topics (two queries)."""
    datasets = (
        Dataset.objects.filter(visible)
        .select_related("publisher")
        .defer("publisher__boundary")
        .prefetch_related("topics")
    )
    return in_order(datasets, ids)


def dataset_search(
    *,
    viewer: User,
    query: DatasetSearchQuery,
    offset: int | None = None,
    limit: int | None = None,
) -> DatasetSearchResults:
    """Datasets the viewer may see that match the query, with facet counts.

    Without `offset`/`limit` it gives the query's page (a page past the end gives the last
    one); with them, that slice (limit up to 1000) for APIs that page by offset.
    """
    index = dataset_index()
    organisation_ids = viewer_organisation_ids(viewer)
    organisations: dict[int, dict[str, Any]] = {
        o["id"]: dict(o) for o in Organisation.objects.values("id", "slug", "name", "short_name")
    }
    pk_by_slug = {o["slug"]: pk for pk, o in organisations.items()}
    # What was asked for, without the values nobody could match.
    query = replace(
        query,
        publishers=[s for s in query.publishers if s in pk_by_slug],
        topics=index.known("topic", query.topics),
        tags=index.known("tag", query.tags),
        formats=index.known("format", query.formats),
        boroughs=index.known("borough", query.boroughs),
    )
    hits = index.search(
        query.q,
        audience=Audience(
            signed_in=bool(organisation_ids), organisation_ids=frozenset(organisation_ids)
        ),
        filters=Filters(
            publisher_ids=frozenset(pk_by_slug[s] for s in query.publishers),
            topics=frozenset(query.topics),
            tags=frozenset(query.tags),
            formats=frozenset(query.formats),
            licences=frozenset(query.licences),
            access_levels=frozenset(query.access_levels),
            boroughs=frozenset(query.boroughs),
        ),
        sort=query.sort,
        usage=dataset_usage_scores(index) if query.sort == "used" else None,
    )
    if offset is None or limit is None:
        limit = query.per_page
        pages = max(1, math.ceil(hits.total / limit))
        query.page = min(query.page, pages)
        offset = (query.page - 1) * limit
    else:
        offset, limit = max(0, offset), min(max(1, limit), LIMIT_MAX)
    page_ids = hits.ids[offset : offset + limit].tolist()
    scores = dict(zip(page_ids, hits.scores[offset : offset + limit].tolist(), strict=True))
    datasets = _page_datasets(page_ids, visible_datasets_q(viewer, organisation_ids))
    results = []
    for dataset in datasets:
        record = index.record(dataset.pk)
        results.append(
            DatasetResult(
                dataset=dataset,
                score=round(scores[dataset.pk], 4),
                formats=record.formats if record else (),
                matched_columns=matched_columns(record, query.q) if record else [],
            )
        )
    return DatasetSearchResults(
        query=query,
        results=results,
        total=hits.total,
        offset=offset,
        limit=limit,
        facets=_facets(query, hits, organisations),
    )


def _facets(
    query: DatasetSearchQuery, hits: DatasetHits, organisations: dict[int, dict[str, Any]]
) -> dict[str, list[FacetValue]]:
    """Facet counts as choices to show: labels, and which ones are selected."""
    counts = hits.facets
    by_slug = {o["slug"]: o for o in organisations.values()}

    def org_label(o: dict[str, Any]) -> str:
        return str(o["short_name"] or o["name"])

    def choices(
        name: str, labels: dict[str, str], selected: list[str], *, top: int | None = None
    ) -> list[FacetValue]:
        found: dict[str, int] = counts[name]
        values = [v for v in found if v in labels]
        if top is not None:
            values = sorted(values, key=lambda v: (-found[v], v))[:top]
        values += [v for v in selected if v not in values and v in labels]
        out = [FacetValue(v, labels[v], found.get(v, 0), v in selected) for v in values]
        return out if top is not None else sorted(out, key=lambda f: f.label.lower())

    publisher_counts = counts["publisher"]
    publishers = [
        FacetValue(
            o["slug"], org_label(o), publisher_counts.get(pk, 0), o["slug"] in query.publishers
        )
        for pk, o in organisations.items()
        if publisher_counts.get(pk) or o["slug"] in query.publishers
    ]
    return {
        "publisher": sorted(publishers, key=lambda f: f.label.lower()),
        "topic": choices(
            "topic", dict(Topic.objects.values_list("slug", "name")), query.topics
        ),
        "tag": choices(
            "tag", {t: t for t in counts["tag"]} | {t: t for t in query.tags}, query.tags,
            top=TAG_FACET_SIZE,
        ),
        "format": [
            FacetValue(f, f.upper(), counts["format"].get(f, 0), f in query.formats)
            for f in FORMATS
        ],
        "licence": [
            FacetValue(value, str(label), counts["licence"].get(value, 0), value in query.licences)
            for value, label in Licence.choices
        ],
        "access_level": [
            FacetValue(value, ACCESS_LABELS[value], counts["access_level"].get(value, 0),
                       value in query.access_levels)
            for value in AccessLevel.values
        ],
        "borough": choices(
            "borough",
            {slug: org_label(o) for slug, o in by_slug.items()},
            query.boroughs,
        ),
    }  # fmt: skip
