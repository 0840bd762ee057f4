"""The incremental TF-IDF index shared by the in-process search indexes (ADR 0005).

Pure: no Django here. `SearchIndex` keeps plain records by id, a fitted `TfidfVocabulary`
(core/search_text.py), one L2-normalised text vector per record and a column store of facet and
visibility columns, one row per record. It builds itself, refreshes incrementally (changed and
removed records; a full refit once more than `REFIT_FRACTION` has changed since the last fit)
and runs the shared part of a search: the text match, the facet filters and the facet counts.

An app's index (pipeline's `ProjectIndex`, catalogue's `DatasetIndex`) subclasses it with its
record, column store and filter types and adds what differs: who may see which rows, the
facets it filters and counts, how it sorts and anything else it answers.
"""

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Generic, NamedTuple, Protocol, Self, TypeVar

import numpy as np
import scipy.sparse as sp

from interborough.core.search_columns import widen
from interborough.core.search_text import Document, TfidfVocabulary

# Changed documents are re-transformed with the fitted vocabulary and IDF; once more than this
# share of the index has changed since the last fit, the whole index is refitted.
REFIT_FRACTION = 0.10


class IndexRecord(Protocol):
    """What an index keeps per record: an id, weighted text, and whether two texts agree."""

    @property
    def id(self) -> int: ...

    def document(self) -> Document: ...

    def same_text(self, other: Self) -> bool: ...


class IndexColumns(Protocol):
    """A column store, one row per record in the index's row order (`ids` first)."""

    @property
    def ids(self) -> np.ndarray: ...

    @classmethod
    def of(cls, rows: Sequence[Any], like: Self | None = None) -> Self: ...

    def take(self, rows: np.ndarray) -> Self: ...

    def then(self, more: Self) -> Self: ...


R = TypeVar("R", bound=IndexRecord)
C = TypeVar("C", bound=IndexColumns)
F = TypeVar("F")


@dataclass(frozen=True)
class Audience:
    """Who is looking: signed in or not, and the organisations they belong to."""

    signed_in: bool
    organisation_ids: frozenset[int] = frozenset()


@dataclass
class SearchHits:
    """Matching ids in order, their scores, and facet counts over the matched set.

    Facet counts for one facet ignore that facet's own filter (so other choices in it still
    show how many they would add) but apply every other filter, the text and visibility.
    """

    ids: np.ndarray
    scores: np.ndarray
    facets: dict[str, dict[Any, int]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return len(self.ids)


class Matching(NamedTuple):
    """What `SearchIndex.matching` found, before the app's index sorts it."""

    rows: np.ndarray  # matching rows, in row order
    scores: np.ndarray  # per row of the index (zeros without text)
    by_text: bool  # the text had words (or names) to match
    facets: dict[str, dict[Any, int]]


class SearchIndex(Generic[R, C, F]):
    """Records, vocabulary, vectors and columns; immutable, so a cache can share it.

    Subclasses set `vocabulary_class`, `columns_class` and `facets` and implement
    `_filter_masks` and `_facet_counts`; they may add to `_derive` and widen `_text_match`.
    """

    vocabulary_class: ClassVar[type[TfidfVocabulary]]
    columns_class: type[C]
    facets: ClassVar[tuple[str, ...]]

    def __init__(
        self,
        records: dict[int, R],
        columns: C,
        vocabulary: TfidfVocabulary,
        vectors: sp.csr_matrix,
        *,
        changed_since_fit: int,
    ) -> None:
        self._records = records
        self._vocabulary = vocabulary
        self.changed_since_fit = changed_since_fit
        self._c = columns
        self.ids: np.ndarray = columns.ids
        self._row = dict(zip(self.ids.tolist(), range(len(self.ids)), strict=True))
        self._vectors = widen(vectors.tocsr(), vocabulary.width)
        self._by_term = self._vectors.tocsc()  # column slices for queries (and similarity)
        self._derive()

    def _derive(self) -> None:
        """Set up what a subclass derives from the records and columns (codes, ranks)."""

    @property
    def fitted_size(self) -> int:
        """How many records the vocabulary and IDF were fitted on."""
        return self._vocabulary.fitted_size

    # --- building ------------------------------------------------------------------------------

    @classmethod
    def build(cls, records: Iterable[R]) -> Self:
        """Fit the vocabulary and IDF on these records and index them all."""
        by_id = {r.id: r for r in records}
        rows = [by_id[i] for i in sorted(by_id)]
        vocabulary, vectors = cls.vocabulary_class.fit([r.document() for r in rows])
        return cls(by_id, cls.columns_class.of(rows), vocabulary, vectors, changed_since_fit=0)

    def refresh(
        self, changed: Iterable[R] = (), removed: Iterable[int] = (), *, refit: bool = False
    ) -> Self:
        """A new index with these records added, replaced or removed.

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
            return self.build(records.values())
        touched = np.fromiter(itertools.chain(removed_ids, (r.id for r in changed)), dtype=np.int64)
        kept = np.flatnonzero(~np.isin(self.ids, touched))
        # Changed rows go last: first those whose text is the same (their vectors are kept),
        # then those whose text changed (vectorised again).
        same = [r for r in changed if self._has_same_text(r)]
        retext = [r for r in changed if not self._has_same_text(r)]
        base = self._c.take(kept)
        columns = base.then(type(base).of(same + retext, like=base))
        vectorised, vocabulary = self._vocabulary.vectorise(
            [r.document() for r in retext], grow=True
        )
        parts = [self._vectors[kept], self._vectors[[self._row[r.id] for r in same]], vectorised]
        return type(self)(
            records,
            columns,
            vocabulary,
            sp.vstack([widen(p, vocabulary.width) for p in parts], format="csr"),
            changed_since_fit=changes,
        )

    def _has_same_text(self, record: R) -> bool:
        old = self._records.get(record.id)
        return old is not None and old.same_text(record)

    # --- reading -------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.ids)

    def __contains__(self, record_id: object) -> bool:
        return record_id in self._row

    def record(self, record_id: int) -> R | None:
        return self._records.get(record_id)

    def _text_match(self, text: str) -> tuple[np.ndarray, np.ndarray] | None:
        """(rows holding every word of the text, cosine scores); None when the text has no words."""
        return self._vocabulary.match(self._by_term, text)

    def _filter_masks(self, filters: F) -> dict[str, np.ndarray]:
        """Facet name -> the rows its chosen values allow (only facets with a choice)."""
        raise NotImplementedError

    def _facet_counts(self, facet: str, mask: np.ndarray) -> dict[Any, int]:
        """Value -> how many masked rows hold it, for one of `facets`."""
        raise NotImplementedError

    def matching(self, base: np.ndarray, text: str, filters: F) -> Matching:
        """The rows of `base` (a boolean row mask) matching the text and every filter, with
        their scores and the facet counts (each facet ignoring its own filter)."""
        match = self._text_match(text)
        scores = np.zeros(len(self), dtype=np.float32)
        if match is not None:
            base = base & match[0]
            scores = match[1]
        masks = self._filter_masks(filters)
        matched = base.copy()
        for mask in masks.values():
            matched &= mask
        facets = {}
        for name in self.facets:
            facet_mask = base.copy()
            for other, mask in masks.items():
                if other != name:
                    facet_mask &= mask
            facets[name] = self._facet_counts(name, facet_mask)
        return Matching(np.flatnonzero(matched), scores, match is not None, facets)
