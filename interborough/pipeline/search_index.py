"""An in-process TF-IDF index of projects: search, facet counts and similar projects (ADR 0005).

Pure: no Django here. `selectors/search_cache.py` builds one per process from plain records,
keeps it while the data version is unchanged and refreshes it incrementally when projects change.

This module holds who is looking (`Audience`), facet filters (`Filters`), results
(`SearchHits`) and `ProjectIndex` itself. What the index knows of a project (`IndexedProject`)
and the facet and visibility column store (`Columns`) are `search_records.py`; turning text into
terms and vectors is `search_text.py`.

Text is title (weighted x3), tags (x2), summary and problem, analysed by `search_text`. Rows are
L2-normalised, so a dot product is a cosine similarity in 0..1.
Everything in the hot path is numpy/scipy over whole columns: no Python loop over rows.
"""

import functools
import itertools
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp

from interborough.pipeline.search_records import Columns, IndexedProject, widen
from interborough.pipeline.search_text import Vocabulary, tokens, words

# Changed documents are re-transformed with the fitted vocabulary and IDF; once more than this
# share of the index has changed since the last fit, the whole index is refitted.
REFIT_FRACTION = 0.10
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
class Audience:
    """Who is looking. Visibility is exactly permissions.visible_projects_q's rule."""

    signed_in: bool
    organisation_ids: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Filters:
    """Facet filters: values within one facet are alternatives, facets must all hold."""

    organisation_ids: frozenset[int] = frozenset()
    phases: frozenset[str] = frozenset()
    theme_slugs: frozenset[str] = frozenset()
    tags: frozenset[str] = frozenset()
    collaboration: bool | None = None
    market: bool | None = None


@dataclass
class SearchHits:
    """Matching project ids in order, their scores, and facet counts over the matched set.

    Facet counts for one facet ignore that facet's own filter (so other choices in it still
    show how many they would add) but apply every other filter, the text and visibility.
    """

    ids: np.ndarray
    scores: np.ndarray
    facets: dict[str, dict[Any, int]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return len(self.ids)


class ProjectIndex:
    """Every project's text vector and facet columns; immutable, so a cache can share it."""

    def __init__(
        self,
        records: dict[int, IndexedProject],
        columns: Columns,
        vocabulary: Vocabulary,
        vectors: sp.csr_matrix,
        *,
        changed_since_fit: int,
    ) -> None:
        self._records = records
        self._vocabulary = vocabulary
        self.changed_since_fit = changed_since_fit
        self._c = columns
        self.ids = columns.ids
        self._row = dict(zip(self.ids.tolist(), range(len(self.ids)), strict=True))
        self._vectors = widen(vectors.tocsr(), vocabulary.width)
        self._columns = self._vectors.tocsc()  # column slices for queries and similarity
        org_values, self._org_code = np.unique(columns.organisation, return_inverse=True)
        self._org_values: list[int] = org_values.tolist()

    @property
    def fitted_size(self) -> int:
        """How many projects the vocabulary and IDF were fitted on."""
        return self._vocabulary.fitted_size

    # --- building ------------------------------------------------------------------------------

    @classmethod
    def build(cls, records: Iterable[IndexedProject]) -> "ProjectIndex":
        """Fit the vocabulary and IDF on these projects and index them all."""
        by_id = {r.id: r for r in records}
        rows = [by_id[i] for i in sorted(by_id)]
        vocabulary, vectors = Vocabulary.fit([r.document() for r in rows])
        return cls(by_id, Columns.of(rows), vocabulary, vectors, changed_since_fit=0)

    def refresh(
        self,
        changed: Iterable[IndexedProject] = (),
        removed: Iterable[int] = (),
        *,
        refit: bool = False,
    ) -> "ProjectIndex":
        """A new index with these projects added, replaced or removed.

        Changed texts are vectorised again with the fitted vocabulary and IDF (new words get
        columns of their own); when more than REFIT_FRACTION of the index has changed since the
        last fit, or on request, everything is refitted. Unchanged rows are carried over as they
        are (array slices), so a small change costs little.
        """
        changed = list({r.id: r for r in changed if self._records.get(r.id) != r}.values())
        removed_ids = {i for i in removed if i in self._records} - {r.id for r in changed}
        if not changed and not removed_ids and not refit:
            return self
        records = dict(self._records)
        for i in removed_ids:
            del records[i]
        records.update((r.id, r) for r in changed)
        changes = self.changed_since_fit + len(changed) + len(removed_ids)
        if refit or not self._vocabulary.fitted or changes > REFIT_FRACTION * self.fitted_size:
            return ProjectIndex.build(records.values())
        touched = np.fromiter(itertools.chain(removed_ids, (r.id for r in changed)), dtype=np.int64)
        kept = np.flatnonzero(~np.isin(self.ids, touched))
        # Changed rows go last: first those whose text is the same (their vectors are kept),
        # then those whose text changed (vectorised again).
        same = [r for r in changed if self._has_same_text(r)]
        retext = [r for r in changed if not self._has_same_text(r)]
        base = self._c.take(kept)
        columns = base.then(Columns.of(same + retext, like=base))
        vectorised, vocabulary = self._vocabulary.vectorise(
            [r.document() for r in retext], grow=True
        )
        parts = [self._vectors[kept], self._vectors[[self._row[r.id] for r in same]], vectorised]
        return ProjectIndex(
            records,
            columns,
            vocabulary,
            sp.vstack([widen(p, vocabulary.width) for p in parts], format="csr"),
            changed_since_fit=changes,
        )

    def _has_same_text(self, record: IndexedProject) -> bool:
        old = self._records.get(record.id)
        return old is not None and old.same_text(record)

    # --- reading -------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.ids)

    def __contains__(self, project_id: object) -> bool:
        return project_id in self._row

    def record(self, project_id: int) -> IndexedProject | None:
        return self._records.get(project_id)

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

    def _text_match(self, text: str) -> tuple[np.ndarray, np.ndarray] | None:
        """(rows holding every word of the text, cosine scores); None when the text has no words."""
        query_words = set(words(text))
        if not query_words:
            return None
        n = len(self)
        columns = [self._vocabulary.column(w) for w in query_words]
        if -1 in columns:  # a word no project uses: nothing matches
            return np.zeros(n, dtype=bool), np.zeros(n, dtype=np.float32)
        hits = np.zeros(n, dtype=np.int32)
        for c in columns:  # a handful of query words, each one column slice
            hits[self._columns.indices[self._columns.indptr[c] : self._columns.indptr[c + 1]]] += 1
        query, _ = self._vocabulary.vectorise([text])
        scores = np.asarray(self._columns[:, query.indices] @ query.data).ravel()
        return hits == len(columns), scores.astype(np.float32)

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
            masks["theme"] = self._any_of(self._c.themes, self._c.theme_values, filters.theme_slugs)
        if filters.tags:
            masks["tag"] = self._any_of(self._c.tags, self._c.tag_values, filters.tags)
        if filters.collaboration is not None:
            masks["collaboration"] = self._c.collaboration == filters.collaboration
        if filters.market is not None:
            masks["market"] = self._c.market == filters.market
        return masks

    @staticmethod
    def _any_of(matrix: sp.csr_matrix, values: list[str], wanted: Collection[str]) -> np.ndarray:
        selected = np.fromiter((v in wanted for v in values), dtype=np.int32, count=len(values))
        return np.asarray(matrix @ selected).ravel() > 0

    def _facet_counts(self, name: str, mask: np.ndarray) -> dict[Any, int]:
        if name in ("organisation", "phase"):
            codes, values = (
                (self._org_code, self._org_values)
                if name == "organisation"
                else (self._c.phase, self._c.phase_values)
            )
            counts = np.bincount(codes[mask], minlength=len(values))
            return {values[c]: int(counts[c]) for c in np.flatnonzero(counts)}
        if name in ("theme", "tag"):
            matrix, values = (
                (self._c.themes, self._c.theme_values)
                if name == "theme"
                else (self._c.tags, self._c.tag_values)
            )
            counts = np.asarray(matrix.T @ mask.astype(np.int32)).ravel()
            return {values[c]: int(counts[c]) for c in np.flatnonzero(counts)}
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
        n = len(self)
        base = np.ones(n, dtype=bool)
        if audience is not None:
            base &= self.visible_mask(audience)
        if allowed is not None:
            base &= allowed
        if not include_archived:
            base &= ~self._c.archived
        match = self._text_match(text)
        scores = np.zeros(n, dtype=np.float32)
        if match is not None:
            base &= match[0]
            scores = match[1]
        masks = self._filter_masks(filters or Filters())
        matched = base.copy()
        for mask in masks.values():
            matched &= mask
        facets = {}
        for name in FACETS:
            facet_mask = base.copy()
            for other, mask in masks.items():
                if other != name:
                    facet_mask &= mask
            facets[name] = self._facet_counts(name, facet_mask)
        rows = np.flatnonzero(matched)
        keys: tuple[np.ndarray, ...] = (-self.ids[rows], -self._c.activity[rows])
        if sort == "relevance" and match is not None:
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
        scores = np.asarray(self._columns[:, vector.indices] @ vector.data).ravel()
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
