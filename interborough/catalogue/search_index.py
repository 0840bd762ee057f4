"""An in-process TF-IDF index of datasets: search with facet counts (ADR 0005).

Pure: no Django here. `selectors/search_cache.py` builds one per process from plain records,
keeps it while the data version is unchanged and refreshes it incrementally when datasets or
their versions change. Building, refreshing and the match, filter and facet-count step are
core/search_index.py's `SearchIndex`; `DatasetIndex` adds visibility, the facets and sorts.

A dataset matches a query when its text (title, description, tags, topics and its data
dictionary: column names, titles and descriptions) holds every word of the query, or when
the query names one of its columns exactly (`lsoa_code`, or `lsoa code`); an exact column
match ranks above a match on words alone. Everything in the hot path is numpy/scipy over
whole columns: no Python loop over rows.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from interborough.catalogue.search_records import (
    ANALYSIS,
    DatasetColumns,
    DatasetVocabulary,
    IndexedColumn,
    IndexedDataset,
    column_key,
)
from interborough.core.search_columns import any_of, code_counts, member_counts
from interborough.core.search_index import REFIT_FRACTION, Audience, SearchHits, SearchIndex

__all__ = ["REFIT_FRACTION", "Audience", "DatasetHits", "DatasetIndex", "Filters"]

# Added to the cosine of a dataset with a column the query names exactly.
COLUMN_BOOST = 1.0
SORTS = ("relevance", "updated", "used", "title")
FACETS = ("publisher", "topic", "tag", "format", "licence", "access_level", "borough")
# Facet -> the DatasetColumns membership matrix it counts (the others are coded vectors).
_SET_FACETS = {"topic": "topics", "tag": "keywords", "format": "formats", "borough": "boroughs"}


@dataclass(frozen=True)
class Filters:
    """Facet filters: values within one facet are alternatives, facets must all hold."""

    publisher_ids: frozenset[int] = frozenset()
    topics: frozenset[str] = frozenset()
    tags: frozenset[str] = frozenset()
    formats: frozenset[str] = frozenset()
    licences: frozenset[str] = frozenset()
    access_levels: frozenset[str] = frozenset()
    boroughs: frozenset[str] = frozenset()


# Matching dataset ids in order, their scores (an exact column name adds COLUMN_BOOST) and facet
# counts: the shared SearchHits.
DatasetHits = SearchHits


def query_column_keys(text: str) -> set[str]:
    """The column names a query could mean: the whole query, and each of its words, as keys."""
    keys = {column_key(part) for part in text.split()}
    keys.add(column_key(text))
    keys.discard("")
    return keys


def matched_columns(record: IndexedDataset, text: str, limit: int = 3) -> list[str]:
    """The dataset's columns the query matched: named exactly, else by the words of their
    names and titles. At most `limit`, as the dataset writes them."""
    if not text.strip():
        return []
    keys = query_column_keys(text)
    wanted = set(ANALYSIS.words(text))
    exact = [c.name for c in record.columns if c.key in keys]
    # Columns holding every word of the query; failing those, any of its words.
    partly = [c.name for c in record.columns if wanted and wanted <= c.words]
    if not exact and not partly:
        partly = [c.name for c in record.columns if wanted & c.words]
    return list(dict.fromkeys(exact + partly))[:limit]


class DatasetIndex(SearchIndex[IndexedDataset, DatasetColumns, Filters]):
    """Every dataset's text vector and facet columns; immutable, so a cache can share it."""

    vocabulary_class = DatasetVocabulary
    columns_class = DatasetColumns
    facets = FACETS

    def _derive(self) -> None:
        columns = self._c
        self._by_column_key = columns.column_keys.tocsc()
        self._key_column = {k: i for i, k in enumerate(columns.values["column_keys"])}
        publishers, self._publisher_code = np.unique(columns.publisher, return_inverse=True)
        self._publisher_values: list[int] = publishers.tolist()
        # Each row's place in A to Z order (equal titles share a place).
        titles = [self._records[i].title.casefold() for i in self.ids.tolist()]
        self._title_rank = np.unique(np.asarray(titles, dtype=str), return_inverse=True)[1]

    # --- reading -------------------------------------------------------------------------------

    def columns_of(self, dataset_id: int) -> tuple[IndexedColumn, ...]:
        record = self._records.get(dataset_id)
        return record.columns if record else ()

    def known(self, facet: str, values: Iterable[str]) -> list[str]:
        """Those of these values some indexed dataset holds in the facet (in the order given)."""
        name = _SET_FACETS.get(facet, facet)
        present = set(self._c.values.get(name, ()))
        return [v for v in values if v in present]

    def aligned(self, values: dict[int, float]) -> np.ndarray:
        """A per-row array of these per-dataset figures (0 for datasets not named)."""
        out = np.zeros(len(self), dtype=np.float64)
        for dataset_id, value in values.items():
            row = self._row.get(dataset_id)
            if row is not None:
                out[row] = value
        return out

    def visible_mask(self, audience: Audience) -> np.ndarray:
        """Rows the audience may see: permissions.can_view_dataset's rule, row for row."""
        if not audience.signed_in or not audience.organisation_ids:
            return self._c.published.copy()
        own = np.isin(self._c.publisher, np.fromiter(audience.organisation_ids, dtype=np.int64))
        return self._c.published | own

    def _text_match(self, text: str) -> tuple[np.ndarray, np.ndarray] | None:
        """(matching rows, scores): every word in the text, or a column named exactly."""
        words = super()._text_match(text)
        keys = [self._key_column[k] for k in query_column_keys(text) if k in self._key_column]
        if words is None and not keys:
            return None
        n = len(self)
        mask, scores = words if words is not None else (np.zeros(n, bool), np.zeros(n, np.float32))
        if keys:
            named = np.asarray(self._by_column_key[:, keys].sum(axis=1)).ravel() > 0
            mask = mask | named
            scores = scores + COLUMN_BOOST * named
        return mask, scores.astype(np.float32)

    def _filter_masks(self, filters: Filters) -> dict[str, np.ndarray]:
        c, masks = self._c, {}
        if filters.publisher_ids:
            wanted = np.fromiter(filters.publisher_ids, dtype=np.int64)
            masks["publisher"] = np.isin(c.publisher, wanted)
        for facet, chosen in (
            ("licence", filters.licences),
            ("access_level", filters.access_levels),
        ):
            if chosen:
                codes = [i for i, v in enumerate(c.values[facet]) if v in chosen]
                masks[facet] = np.isin(getattr(c, facet), codes)
        for facet, chosen in (
            ("topic", filters.topics),
            ("tag", filters.tags),
            ("format", filters.formats),
            ("borough", filters.boroughs),
        ):
            if chosen:
                name = _SET_FACETS[facet]
                masks[facet] = any_of(getattr(c, name), c.values[name], chosen)
        return masks

    def _facet_counts(self, facet: str, mask: np.ndarray) -> dict[Any, int]:
        if facet == "publisher":
            return code_counts(self._publisher_code, self._publisher_values, mask)
        if facet in _SET_FACETS:
            name = _SET_FACETS[facet]
            return member_counts(getattr(self._c, name), self._c.values[name], mask)
        return code_counts(getattr(self._c, facet), self._c.values[facet], mask)

    def search(
        self,
        text: str = "",
        *,
        audience: Audience,
        filters: Filters | None = None,
        sort: str = "relevance",
        usage: np.ndarray | None = None,
    ) -> DatasetHits:
        """Matching ids the audience may see, sorted, with facet counts.

        Sorts: "relevance" (score, then most recently updated; without text, updated),
        "updated" (newest first), "used" (`usage`, a per-row array from `aligned`, highest
        first, then updated) and "title" (A to Z). Remaining ties go to the higher id.
        """
        found = self.matching(self.visible_mask(audience), text, filters or Filters())
        rows, scores = found.rows, found.scores
        if sort == "title":
            keys: tuple[np.ndarray, ...] = (-self.ids[rows], self._title_rank[rows])
        else:
            keys = (-self.ids[rows], -self._c.updated[rows])
            if sort == "relevance" and found.by_text:
                keys = (*keys, -scores[rows])
            elif sort == "used" and usage is not None:
                keys = (*keys, -usage[rows])
        rows = rows[np.lexsort(keys)]
        return DatasetHits(ids=self.ids[rows], scores=scores[rows], facets=found.facets)
