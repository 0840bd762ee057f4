"""What the project index stores about each project: records and the column store (ADR 0005).

Pure: no Django here. This module holds the plain record the index keeps per project
(`IndexedProject`, whose `document()` weights title x`TITLE_WEIGHT` and tags x`TAG_WEIGHT`), the
record statuses it tests (`PUBLISHED`, `ARCHIVED`) and `Columns`: the facet and visibility
columns, one row per project, that `search_index.ProjectIndex` filters and counts with numpy
and scipy over whole columns. The generic column helpers are core/search_columns.py.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import scipy.sparse as sp

from interborough.core.search_columns import coded, membership, stack
from interborough.pipeline.search_text import Document

# Record statuses, as in pipeline.models.ProjectStatus (a unit test keeps them in step).
PUBLISHED = "published"
ARCHIVED = "archived"

TITLE_WEIGHT = 3
TAG_WEIGHT = 2


@dataclass(frozen=True)
class IndexedProject:
    """What the index needs to know about one project (built from the database by selectors)."""

    id: int
    organisation_id: int
    status: str
    is_public: bool
    published: bool  # published_at is set: it has been published at some time
    phase: str
    theme_slugs: tuple[str, ...]
    tags: tuple[str, ...]
    collaboration_wanted: bool
    market_engagement_wanted: bool
    last_activity_at: float  # a POSIX timestamp
    title: str
    summary: str
    problem: str

    def document(self) -> Document:
        fields: list[tuple[str, int]] = [
            (self.title, TITLE_WEIGHT),
            (self.summary, 1),
            (self.problem, 1),
        ]
        fields += [(tag, TAG_WEIGHT) for tag in self.tags]
        return tuple(fields)

    def same_text(self, other: "IndexedProject") -> bool:
        return (self.title, self.summary, self.problem, self.tags) == (
            other.title,
            other.summary,
            other.problem,
            other.tags,
        )


# The one-value-per-row arrays of Columns (themes and tags are sparse matrices beside them).
_VECTORS = (
    "ids",
    "organisation",
    "published",
    "archived",
    "was_published",
    "public",
    "collaboration",
    "market",
    "activity",
    "phase",
)


@dataclass(frozen=True)
class Columns:
    """The facet and visibility columns, one row per project, in the index's row order."""

    ids: np.ndarray
    organisation: np.ndarray
    published: np.ndarray  # status is published
    archived: np.ndarray  # status is archived
    was_published: np.ndarray
    public: np.ndarray
    collaboration: np.ndarray
    market: np.ndarray
    activity: np.ndarray
    phase: np.ndarray
    phase_values: list[str]
    themes: sp.csr_matrix
    theme_values: list[str]
    tags: sp.csr_matrix
    tag_values: list[str]

    @classmethod
    def of(cls, rows: Sequence[IndexedProject], like: "Columns | None" = None) -> "Columns":
        """Columns for these records; codes agree with `like`'s (its vocabularies come first)."""
        n = len(rows)

        def column(values: Iterable[Any], dtype: Any) -> np.ndarray:
            return np.fromiter(values, dtype=dtype, count=n)

        phase, phase_values = coded((r.phase for r in rows), like.phase_values if like else [])
        themes, theme_values = membership(
            [r.theme_slugs for r in rows], like.theme_values if like else []
        )
        tags, tag_values = membership([r.tags for r in rows], like.tag_values if like else [])
        return cls(
            ids=column((r.id for r in rows), np.int64),
            organisation=column((r.organisation_id for r in rows), np.int64),
            published=column((r.status == PUBLISHED for r in rows), bool),
            archived=column((r.status == ARCHIVED for r in rows), bool),
            was_published=column((r.published for r in rows), bool),
            public=column((r.is_public for r in rows), bool),
            collaboration=column((r.collaboration_wanted for r in rows), bool),
            market=column((r.market_engagement_wanted for r in rows), bool),
            activity=column((r.last_activity_at for r in rows), np.float64),
            phase=np.asarray(phase, dtype=np.int32),
            phase_values=phase_values,
            themes=themes,
            theme_values=theme_values,
            tags=tags,
            tag_values=tag_values,
        )

    def take(self, rows: np.ndarray) -> "Columns":
        """These rows only (an index array), same vocabularies."""
        arrays = {name: getattr(self, name)[rows] for name in (*_VECTORS, "themes", "tags")}
        return replace(self, **arrays)

    def then(self, more: "Columns") -> "Columns":
        """These rows followed by `more`'s, which was built with like=self."""

        return Columns(
            **{
                name: np.concatenate([getattr(self, name), getattr(more, name)])
                for name in _VECTORS
            },
            phase_values=more.phase_values,
            themes=stack(self.themes, more.themes),
            theme_values=more.theme_values,
            tags=stack(self.tags, more.tags),
            tag_values=more.tag_values,
        )
