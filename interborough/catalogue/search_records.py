"""What the dataset index stores about each dataset: records and the column store (ADR 0005).

Pure: no Django here. `IndexedDataset` is the plain record the index keeps per dataset, with
its data dictionary (`IndexedColumn`: each column of its resources' latest ready versions);
`document()` weights the title, tags, topics and column names above the description.
`DatasetColumns` holds the facet and visibility columns, one row per dataset, that
`search_index.DatasetIndex` filters and counts over whole columns. `column_key` is how column
names are compared: `LSOA Code`, `lsoa-code`, `lsoaCode` and `lsoa_code` are one column name.
"""

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any, ClassVar

import numpy as np
import scipy.sparse as sp

from interborough.core.search_columns import coded, membership, stack
from interborough.core.search_text import (
    ENGLISH,
    Document,
    TextAnalysis,
    TfidfVocabulary,
    tokens,
)

TITLE_WEIGHT = 3
KEYWORD_WEIGHT = 2
TOPIC_WEIGHT = 2
COLUMN_NAME_WEIGHT = 2

# Words every dataset's text uses, and English stop words that are also what London's data is
# about ("fire", "bill", "name" and "amount" are on scikit-learn's list; here they mean things).
MEANINGFUL = frozenset(
    {"fire", "bill", "name", "amount", "system", "interest", "found", "top", "bottom", "part",
     "front", "back", "side", "first", "last", "full", "move", "call", "mill"}
)  # fmt: skip
DOMAIN_STOP_WORDS = frozenset({"data", "dataset", "london"})
ANALYSIS = TextAnalysis(stop_words=(ENGLISH - MEANINGFUL) | DOMAIN_STOP_WORDS)

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_NOT_WORD = re.compile(r"[^a-z0-9]+")


class DatasetVocabulary(TfidfVocabulary):
    """The dataset index's fitted terms and IDF (see core/search_text.TfidfVocabulary)."""

    analysis: ClassVar[TextAnalysis] = ANALYSIS


def column_key(name: str) -> str:
    """A column name as compared in search: lower case words joined by `_` (lsoa_code)."""
    return _NOT_WORD.sub("_", _CAMEL.sub("_", name.strip()).lower()).strip("_")


def column_words(name: str) -> str:
    """A column name as words, for the text index: lsoa_code and lsoaCode -> "lsoa code"."""
    return column_key(name).replace("_", " ")


@dataclass(frozen=True)
class IndexedColumn:
    """One column of a resource's latest ready version, from its Frictionless schema."""

    name: str
    title: str = ""
    description: str = ""

    @functools.cached_property
    def key(self) -> str:
        return column_key(self.name)

    @functools.cached_property
    def words(self) -> frozenset[str]:
        """The folded words of its name and title (to say which columns a query matched)."""
        return frozenset(f for _, f in tokens(f"{self.key} {self.title}"))


@dataclass(frozen=True)
class IndexedDataset:
    """What the index needs to know about one dataset (built from the database by selectors)."""

    id: int
    publisher_id: int
    published: bool  # status is published (drafts and withdrawn ones: the publisher only)
    title: str
    description: str
    keywords: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()  # slugs
    topic_names: tuple[str, ...] = ()
    boroughs: tuple[str, ...] = ()  # slugs of the local authorities covered
    licence: str = ""
    access_level: str = ""
    formats: tuple[str, ...] = ()  # of the resources' latest versions
    columns: tuple[IndexedColumn, ...] = ()
    updated_at: float = 0.0  # POSIX time of the newest version or metadata change

    def document(self) -> Document:
        fields: list[tuple[str, int]] = [(self.title, TITLE_WEIGHT), (self.description, 1)]
        fields += [(k, KEYWORD_WEIGHT) for k in self.keywords]
        fields += [(t, TOPIC_WEIGHT) for t in self.topic_names]
        for column in self.columns:
            fields.append((column_words(column.name), COLUMN_NAME_WEIGHT))
            if column.title:
                fields.append((column.title, 1))
            if column.description:
                fields.append((column.description, 1))
        return tuple(fields)

    def same_text(self, other: "IndexedDataset") -> bool:
        return self.document() == other.document()

    def column_keys(self) -> tuple[str, ...]:
        return tuple(sorted({c.key for c in self.columns if c.key}))


# The one-value-per-row arrays and the membership matrices of DatasetColumns.
_VECTORS = ("ids", "publisher", "published", "updated", "licence", "access_level")
_SETS = ("topics", "keywords", "boroughs", "formats", "column_keys")


@dataclass(frozen=True)
class DatasetColumns:
    """The facet and visibility columns, one row per dataset, in the index's row order.

    `licence` and `access_level` are codes into `values["licence"]` and
    `values["access_level"]`; each of `_SETS` is a rows x values 0/1 matrix with its values in
    `values[name]`.
    """

    ids: np.ndarray
    publisher: np.ndarray
    published: np.ndarray
    updated: np.ndarray
    licence: np.ndarray
    access_level: np.ndarray
    topics: sp.csr_matrix
    keywords: sp.csr_matrix
    boroughs: sp.csr_matrix
    formats: sp.csr_matrix
    column_keys: sp.csr_matrix
    values: dict[str, list[str]]

    @classmethod
    def of(
        cls, rows: Sequence[IndexedDataset], like: "DatasetColumns | None" = None
    ) -> "DatasetColumns":
        """Columns for these records; codes agree with `like`'s (its vocabularies come first)."""
        n = len(rows)
        known = like.values if like else {}

        def column(values: Iterable[Any], dtype: Any) -> np.ndarray:
            return np.fromiter(values, dtype=dtype, count=n)

        values: dict[str, list[str]] = {}
        codes: dict[str, np.ndarray] = {}
        for name in ("licence", "access_level"):
            found, values[name] = coded((getattr(r, name) for r in rows), known.get(name, []))
            codes[name] = np.asarray(found, dtype=np.int32)
        sets: dict[str, sp.csr_matrix] = {}
        for name in _SETS:
            members = [r.column_keys() if name == "column_keys" else getattr(r, name) for r in rows]
            sets[name], values[name] = membership(members, known.get(name, []))
        return cls(
            ids=column((r.id for r in rows), np.int64),
            publisher=column((r.publisher_id for r in rows), np.int64),
            published=column((r.published for r in rows), bool),
            updated=column((r.updated_at for r in rows), np.float64),
            **codes,
            **sets,
            values=values,
        )

    def take(self, rows: np.ndarray) -> "DatasetColumns":
        """These rows only (an index array), same vocabularies."""
        return replace(self, **{name: getattr(self, name)[rows] for name in (*_VECTORS, *_SETS)})

    def then(self, more: "DatasetColumns") -> "DatasetColumns":
        """These rows followed by `more`'s, which was built with like=self."""
        return DatasetColumns(
            **{
                name: np.concatenate([getattr(self, name), getattr(more, name)])
                for name in _VECTORS
            },
            **{name: stack(getattr(self, name), getattr(more, name)) for name in _SETS},
            values=more.values,
        )
