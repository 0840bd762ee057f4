"""The shared incremental TF-IDF index (core/search_index.py), with a toy record type: notes
of a kind ("a", "b"), searched by text and faceted by kind."""

from dataclasses import dataclass, replace
from typing import Any, ClassVar, Self

import numpy as np
import pytest

from interborough.core.search_columns import code_counts, coded
from interborough.core.search_index import REFIT_FRACTION, SearchIndex
from interborough.core.search_text import ENGLISH, Document, TextAnalysis, TfidfVocabulary


@dataclass(frozen=True)
class Note:
    id: int
    kind: str
    text: str

    def document(self) -> Document:
        return ((self.text, 1),)

    def same_text(self, other: "Note") -> bool:
        return self.text == other.text


@dataclass(frozen=True)
class NoteColumns:
    ids: np.ndarray
    kind: np.ndarray
    kind_values: list[str]

    @classmethod
    def of(cls, rows: Any, like: Self | None = None) -> Self:
        codes, values = coded((r.kind for r in rows), like.kind_values if like else [])
        ids = np.fromiter((r.id for r in rows), dtype=np.int64, count=len(rows))
        return cls(ids, np.asarray(codes, dtype=np.int32), values)

    def take(self, rows: np.ndarray) -> Self:
        return replace(self, ids=self.ids[rows], kind=self.kind[rows])

    def then(self, more: Self) -> Self:
        return type(self)(
            np.concatenate([self.ids, more.ids]),
            np.concatenate([self.kind, more.kind]),
            more.kind_values,
        )


class NoteVocabulary(TfidfVocabulary):
    analysis: ClassVar[TextAnalysis] = TextAnalysis(stop_words=ENGLISH)


@dataclass(frozen=True)
class KindFilter:
    kinds: frozenset[str] = frozenset()


class NoteIndex(SearchIndex[Note, NoteColumns, KindFilter]):
    vocabulary_class = NoteVocabulary
    columns_class = NoteColumns
    facets = ("kind",)

    def _filter_masks(self, filters: KindFilter) -> dict[str, np.ndarray]:
        if not filters.kinds:
            return {}
        codes = [c for c, v in enumerate(self._c.kind_values) if v in filters.kinds]
        return {"kind": np.isin(self._c.kind, codes)}

    def _facet_counts(self, facet: str, mask: np.ndarray) -> dict[Any, int]:
        return code_counts(self._c.kind, self._c.kind_values, mask)


WORDS = ["boiler", "damp", "mould", "window", "roof", "lift", "heating", "drain", "gutter", "door"]


def notes(n: int = 20) -> list[Note]:
    """n notes, each about two different repairs, kinds alternating."""
    return [
        Note(i, "ab"[i % 2], f"{WORDS[i % 10]} {WORDS[(i + 3) % 10]} repair")
        for i in range(1, n + 1)
    ]


def ids_matching(index: NoteIndex, text: str, kinds: frozenset[str] = frozenset()) -> set[int]:
    found = index.matching(np.ones(len(index), dtype=bool), text, KindFilter(kinds))
    return set(index.ids[found.rows].tolist())


def test_search_index_build_orders_rows_by_id():
    index = NoteIndex.build(reversed(notes(5)))

    assert index.ids.tolist() == [1, 2, 3, 4, 5]
    assert len(index) == 5 and 3 in index and 6 not in index
    assert index.record(2) == notes(5)[1]
    assert index.fitted_size == 5 and index.changed_since_fit == 0


def test_search_index_matching_needs_every_word():
    index = NoteIndex.build(notes())

    found = index.matching(np.ones(len(index), dtype=bool), "boiler window", KindFilter())

    assert set(index.ids[found.rows].tolist()) == {10, 20}  # boiler (0) + window (3)
    assert found.by_text
    assert (found.scores[found.rows] > 0).all()
    assert ids_matching(index, "boiler chimney") == set()  # a word no note uses


def test_search_index_matching_without_words_keeps_every_row_unscored():
    index = NoteIndex.build(notes(4))

    found = index.matching(np.ones(4, dtype=bool), "the", KindFilter())

    assert not found.by_text
    assert found.rows.tolist() == [0, 1, 2, 3]
    assert not found.scores.any()


def test_search_index_matching_keeps_to_the_base_mask_without_changing_it():
    index = NoteIndex.build(notes(4))
    base = np.array([True, False, True, True])

    found = index.matching(base, "roof", KindFilter())  # notes 1 and 4 are about roofs

    assert found.rows.tolist() == [0, 3]
    assert base.tolist() == [True, False, True, True]


def test_search_index_facet_counts_ignore_their_own_filter():
    index = NoteIndex.build(notes(10))

    found = index.matching(np.ones(10, dtype=bool), "repair", KindFilter(frozenset({"a"})))

    assert set(index.ids[found.rows].tolist()) == {2, 4, 6, 8, 10}
    assert found.facets == {"kind": {"a": 5, "b": 5}}


def test_search_index_refresh_without_changes_returns_the_same_index():
    index = NoteIndex.build(notes())

    assert index.refresh(notes()[:3], removed=[99]) is index


def test_search_index_refresh_changed_text_is_found_without_a_refit():
    index = NoteIndex.build(notes())

    refreshed = index.refresh([Note(5, "a", "chimney repair")])

    assert isinstance(refreshed, NoteIndex)
    assert refreshed.fitted_size == 20 and refreshed.changed_since_fit == 1
    assert ids_matching(refreshed, "chimney") == {5}  # a word first met after the fit
    assert 5 not in ids_matching(refreshed, "roof")  # its old text is gone
    assert ids_matching(refreshed, "roof") == ids_matching(index, "roof") - {5}
    assert index.record(5) == notes()[4]  # the old index is unchanged


def test_search_index_refresh_same_text_keeps_its_vector_and_new_columns():
    index = NoteIndex.build(notes())
    moved = Note(4, "b", notes()[3].text)

    refreshed = index.refresh([moved])

    old = index._vectors[index._row[4]].toarray()
    new = refreshed._vectors[refreshed._row[4]].toarray()
    assert np.array_equal(old, new)
    odd = {i for i in range(1, 21) if i % 2 == 1}
    assert ids_matching(refreshed, "repair", frozenset({"b"})) == odd | {4}


def test_search_index_refresh_adds_and_removes_records():
    index = NoteIndex.build(notes())

    refreshed = index.refresh([Note(30, "a", "boiler repair")], removed=[1, 99])

    assert 1 not in refreshed and 30 in refreshed and len(refreshed) == 20
    assert ids_matching(refreshed, "boiler") == {7, 10, 17, 20, 30}
    assert refreshed.changed_since_fit == 2


@pytest.mark.parametrize("refit", [False, True])
def test_search_index_refresh_refits_past_the_fraction_or_on_request(refit):
    index = NoteIndex.build(notes())
    many = int(REFIT_FRACTION * 20) + (0 if refit else 1)
    changed = [Note(i, "a", "chimney repair") for i in range(1, many + 1)]

    refreshed = index.refresh(changed, refit=refit)

    assert refreshed.changed_since_fit == 0 and refreshed.fitted_size == 20
    assert ids_matching(refreshed, "chimney") == set(range(1, many + 1))


def test_search_index_refresh_matches_a_fresh_build():
    records = notes()
    changed = [Note(3, "b", "lift door repair"), Note(40, "a", "drain survey")]
    index = NoteIndex.build(records).refresh(changed, removed=[7])
    rebuilt = NoteIndex.build([r for r in records if r.id not in (3, 7)] + changed)

    for text in ("lift", "door repair", "drain", "survey", "mould"):
        assert ids_matching(index, text) == ids_matching(rebuilt, text), text
