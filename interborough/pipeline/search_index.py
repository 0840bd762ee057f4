"""An in-process TF-IDF index of projects: search, facet counts and similar projects (ADR 0005).

Pure: no Django here. `selectors/search_cache.py` builds one per process from plain records,
keeps it while the data version is unchanged and refreshes it incrementally when projects change.

This module holds the facet filters (`Filters`) and `ProjectIndex`: the project rules (who may
see what, the facets, sorting, similar projects) over core/search_index.py's incremental TF-IDF
index, which also gives who is looking (`Audience`) and results (`SearchHits`). What the index
knows of a project (`IndexedProject`) and the facet and visibility column store (`Columns`) are
`search_records.py`; turning text into terms and vectors is `search_text.py` (the shared
analysis of core/search_text.py).

Text is title (weighted x3), tags (x2), summary and problem, analysed by `search_text`. Rows are
L2-normalised, so a dot product is a cosine similarity in 0..1.
Everything in the hot path is numpy/scipy over whole columns: no Python loop over rows.
"""

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from interborough.core.search_columns import any_of, code_counts, member_counts
from interborough.core.search_index import REFIT_FRACTION, Audience, SearchHits, SearchIndex
from interborough.pipeline.search_records import Columns, IndexedProject
from interborough.pipeline.search_text import Vocabulary, tokens

__all__ = ["REFIT_FRACTION", "Audience", "Filters", "ProjectIndex", "SearchHits"]

EXPLAIN_TERMS = 6

FACETS = ("organisation", "phase", "theme", "tag", "collaboration", "market")


@functools.lru_cache(maxsize=2048)
def _written(record: IndexedProject) -> dict[str, str]:
    """Folded term -> the word as the project first writes it (for showing shared terms)."""
    written: dict[str, str] = {}
    for text in (record.title, *record.tags, record.summary, record.problem):
        for word, folded in tokens(text):
            written.setdefault(folded, word)
    return written


@dataclass(frozen=True)
class Filters:
    """Facet filters: values within one facet are alternatives, facets must all hold."""

    organisation_ids: frozenset[int] = frozenset()
    phases: frozenset[str] = frozenset()
    theme_slugs: frozenset[str] = frozenset()
    tags: frozenset[str] = frozenset()
    collaboration: bool | None = None
    market: bool | None = None


class ProjectIndex(SearchIndex[IndexedProject, Columns, Filters]):
    """Every project's text vector and facet columns; immutable, so a cache can share it."""

    vocabulary_class = Vocabulary
    columns_class = Columns
    facets = FACETS

    def _derive(self) -> None:
        org_values, self._org_code = np.unique(self._c.organisation, return_inverse=True)
        self._org_values: list[int] = org_values.tolist()

    # --- reading -------------------------------------------------------------------------------

    def known_tags(self, names: Iterable[str]) -> list[str]:
        """Those of these tags that some indexed project carries (in the order given)."""
        known = set(self._c.tag_values)
        return [n for n in names if n in known]

    def visible_mask(self, audience: Audience) -> np.ndarray:
        """Rows the audience may see: permissions.visible_projects_q, row for row."""
        archived_once_published = self._c.archived & self._c.was_published
        if not audience.signed_in:
            return (self._c.published | archived_once_published) & self._c.public
        own = np.isin(self._c.organisation, np.fromiter(audience.organisation_ids, dtype=np.int64))
        return self._c.published | archived_once_published | own

    def published_mask(self) -> np.ndarray:
        """Rows whose record is published now (not drafts, not archived)."""
        return self._c.published.copy()

    def archived_mask(self) -> np.ndarray:
        return self._c.archived.copy()

    def _filter_masks(self, filters: Filters) -> dict[str, np.ndarray]:
        masks: dict[str, np.ndarray] = {}
        if filters.organisation_ids:
            masks["organisation"] = np.isin(
                self._c.organisation, np.fromiter(filters.organisation_ids, dtype=np.int64)
            )
        if filters.phases:
            codes = [c for c, v in enumerate(self._c.phase_values) if v in filters.phases]
            masks["phase"] = np.isin(self._c.phase, codes)
        if filters.theme_slugs:
            masks["theme"] = any_of(self._c.themes, self._c.theme_values, filters.theme_slugs)
        if filters.tags:
            masks["tag"] = any_of(self._c.tags, self._c.tag_values, filters.tags)
        if filters.collaboration is not None:
            masks["collaboration"] = self._c.collaboration == filters.collaboration
        if filters.market is not None:
            masks["market"] = self._c.market == filters.market
        return masks

    def _facet_counts(self, name: str, mask: np.ndarray) -> dict[Any, int]:
        if name == "organisation":
            return code_counts(self._org_code, self._org_values, mask)
        if name == "phase":
            return code_counts(self._c.phase, self._c.phase_values, mask)
        if name == "theme":
            return member_counts(self._c.themes, self._c.theme_values, mask)
        if name == "tag":
            return member_counts(self._c.tags, self._c.tag_values, mask)
        column = self._c.collaboration if name == "collaboration" else self._c.market
        yes = int(np.count_nonzero(column & mask))
        return {True: yes, False: int(np.count_nonzero(mask)) - yes}

    def search(
        self,
        text: str = "",
        *,
        audience: Audience | None = None,
        allowed: np.ndarray | None = None,
        filters: Filters | None = None,
        include_archived: bool = False,
        sort: str = "relevance",
    ) -> SearchHits:
        """Matching ids (every word of the text must occur), sorted, with facet counts.

        `audience` and/or `allowed` (a boolean row mask) restrict the rows; archived projects are
        left out unless `include_archived`. Sort "relevance" (score, then most recently active)
        or "updated" (most recently active first); ties go to the higher id.
        """
        base = np.ones(len(self), dtype=bool)
        if audience is not None:
            base &= self.visible_mask(audience)
        if allowed is not None:
            base &= allowed
        if not include_archived:
            base &= ~self._c.archived
        rows, scores, by_text, facets = self.matching(base, text, filters or Filters())
        keys: tuple[np.ndarray, ...] = (-self.ids[rows], -self._c.activity[rows])
        if sort == "relevance" and by_text:
            keys = (*keys, -scores[rows])
        rows = rows[np.lexsort(keys)]
        return SearchHits(ids=self.ids[rows], scores=np.clip(scores[rows], 0.0, 1.0), facets=facets)

    def similar(
        self,
        project_id: int,
        *,
        exclude_organisation_id: int | None = None,
        allowed: np.ndarray | None = None,
        limit: int = 5,
    ) -> list[tuple[int, float]]:
        """The most similar other projects (cosine 0..1, best first), only those with a score."""
        row = self._row.get(project_id)
        if row is None or limit <= 0 or self._vectors.shape[1] == 0:
            return []
        vector = self._vectors[row]
        scores = np.asarray(self._by_term[:, vector.indices] @ vector.data).ravel()
        candidates = scores > 0
        candidates[row] = False
        if exclude_organisation_id is not None:
            candidates &= self._c.organisation != exclude_organisation_id
        if allowed is not None:
            candidates &= allowed
        rows = np.flatnonzero(candidates)
        if len(rows) > limit:
            rows = rows[np.argpartition(-scores[rows], limit - 1)[:limit]]
        rows = rows[np.lexsort((self.ids[rows], -scores[rows]))]
        return [
            (int(i), round(min(float(s), 1.0), 6))
            for i, s in zip(self.ids[rows].tolist(), scores[rows].tolist(), strict=True)
        ]

    def explain(self, a_id: int, b_id: int, limit: int = EXPLAIN_TERMS) -> list[str]:
        """The terms that weigh most in both projects (why they matched), strongest first."""
        a, b = self._row.get(a_id), self._row.get(b_id)
        if a is None or b is None:
            return []
        # Terms are folded ("tenant"); show them as the projects write them ("tenants").
        written = {**_written(self._records[b_id]), **_written(self._records[a_id])}
        both = self._vectors[a].multiply(self._vectors[b]).tocsr()
        ranked = both.indices[np.argsort(-both.data, kind="stable")]
        terms: list[str] = []
        covered: set[str] = set()
        for term in self._vocabulary.terms[ranked[: limit * 4]].tolist():
            parts = term.split(" ")
            if all(p in covered for p in parts):
                continue  # "temporary accommodation" already says "temporary"
            terms.append(" ".join(written.get(p, p) for p in parts))
            covered.update(parts)
            if len(terms) == limit:
                break
        return terms
