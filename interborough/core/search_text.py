"""Text analysis and TF-IDF vectors shared by the in-process search indexes (ADR 0005).

Pure: no Django here. The project index (pipeline) and the dataset index (catalogue) analyse
text the same way and differ only in their stop words, so each app binds a `TextAnalysis` to
its own `TfidfVocabulary` subclass:

- `tokens` splits text into words (lower case, accents and apostrophes dropped) with a light
  plural fold ("repairs" and "repair" are one term);
- `TextAnalysis` drops stop words and makes single words and pairs of neighbouring words, each
  field of a `Document` weighted by repetition;
- `TfidfVocabulary` holds the fitted terms and their IDF and turns documents into L2-normalised
  rows, so a dot product is a cosine similarity in 0..1; `match` finds the rows holding every
  word of a query, with their cosine scores.
"""

import itertools
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import ClassVar, Self

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

ENGLISH = frozenset(ENGLISH_STOP_WORDS)
_TOKEN = re.compile(r"[a-z0-9]{2,}")
# Word pairs are formed within a phrase, never across punctuation or between fields.
_PHRASE_BREAK = re.compile(r"[.,;:!?()\[\]{}\"/|\n\r\t]+")
_APOSTROPHES = str.maketrans("", "", "'\u2019")  # straight and curly


def _fold(token: str) -> str:
    """A light plural fold: repairs -> repair, authorities -> authority; status stays status."""
    if len(token) > 4 and token[-1] == "s":
        if token.endswith("ies"):
            return token[:-3] + "y"
        if token.endswith("sses"):
            return token[:-2]
        if not token.endswith(("ss", "us", "is")):
            return token[:-1]
    return token


def tokens(text: str) -> list[tuple[str, str]]:
    """(word as written, lower case; its folded form) for each word of the text."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return [(t, _fold(t)) for t in _TOKEN.findall(text.lower().translate(_APOSTROPHES))]


# A query (a string) or an indexed record (fields of text, each with its weight).
Document = str | tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class TextAnalysis:
    """How one index turns text into terms: the shared tokeniser with its own stop words."""

    stop_words: frozenset[str]

    def words(self, text: str) -> list[str]:
        """The terms of a text: lower case, no accents or apostrophes, no stop words, folded."""
        stop = self.stop_words
        # Test the word before and after folding: the list holds "always", "boroughs" folds.
        return [f for t, f in tokens(text) if t not in stop and f not in stop]

    def grams(self, text: str) -> list[str]:
        unigrams: list[str] = []
        bigrams: list[str] = []
        for phrase in _PHRASE_BREAK.split(text):
            w = self.words(phrase)
            unigrams += w
            bigrams += [f"{a} {b}" for a, b in itertools.pairwise(w)]
        return unigrams + bigrams

    def analyse(self, doc: Document) -> list[str]:
        """Terms of a query (a string) or of a record (weighted fields, each its own n-grams)."""
        if isinstance(doc, str):
            return self.grams(doc)
        out: list[str] = []
        for text, weight in doc:
            out.extend(self.grams(text) * weight)
        return out


@dataclass(frozen=True)
class TfidfVocabulary:
    """The fitted terms and their IDF, plus terms first met after the fit (appended columns).

    Subclasses set `analysis`. Weights are scikit-learn's (sublinear tf x smoothed idf, rows
    L2-normalised), so a document vectorised here equals TfidfVectorizer.transform's for fitted
    terms. A term first met after the fit gets the IDF of a term in one document, until the
    next refit counts it properly: a new record is found by its own new words straight away.
    """

    analysis: ClassVar[TextAnalysis]

    fitted: dict[str, int]  # shared between indexes, never changed
    added: dict[str, int]
    idf: np.ndarray
    terms: np.ndarray  # column -> term
    fitted_size: int

    @classmethod
    def fit(cls, documents: list[Document]) -> tuple[Self, sp.csr_matrix]:
        vectorizer = TfidfVectorizer(
            analyzer=cls.analysis.analyse, sublinear_tf=True, dtype=np.float32
        )
        try:
            vectors = vectorizer.fit_transform(documents)
        except ValueError:  # not a single indexable word (or no documents)
            empty = np.asarray([], dtype=object)
            vocabulary = cls({}, {}, np.zeros(0), empty, len(documents))
            return vocabulary, sp.csr_matrix((len(documents), 0), dtype=np.float32)
        vocabulary = cls(
            fitted=vectorizer.vocabulary_,
            added={},
            idf=vectorizer.idf_.astype(np.float64),
            terms=vectorizer.get_feature_names_out(),
            fitted_size=len(documents),
        )
        return vocabulary, vectors.tocsr()

    @property
    def width(self) -> int:
        return len(self.terms)

    def column(self, term: str) -> int:
        """The term's column, or -1 when no indexed record uses it."""
        column = self.fitted.get(term)
        return column if column is not None else self.added.get(term, -1)

    def vectorise(
        self, documents: Sequence[Document], *, grow: bool = False
    ) -> tuple[sp.csr_matrix, Self]:
        """Weighted, normalised rows for these documents; with `grow`, new terms get columns."""
        if not documents:
            return sp.csr_matrix((0, self.width), dtype=np.float32), self
        added = dict(self.added) if grow else self.added
        new_terms: list[str] = []
        indices: list[int] = []
        counts: list[int] = []
        indptr = [0]
        for document in documents:
            for term, count in Counter(self.analysis.analyse(document)).items():
                column = self.column(term) if term not in added else added[term]
                if column < 0:
                    if not grow:
                        continue
                    column = added[term] = self.width + len(new_terms)
                    new_terms.append(term)
                indices.append(column)
                counts.append(count)
            indptr.append(len(indices))
        vocabulary = self
        if new_terms:
            rare = np.log((1 + self.fitted_size) / 2) + 1  # smoothed IDF with one document
            vocabulary = replace(
                self,
                added=added,
                idf=np.concatenate([self.idf, np.full(len(new_terms), rare)]),
                terms=np.concatenate([self.terms, np.asarray(new_terms, dtype=object)]),
            )
        columns = np.asarray(indices, dtype=np.int64)
        weights = (1.0 + np.log(np.asarray(counts, dtype=np.float64))) * vocabulary.idf[columns]
        rows = sp.csr_matrix(
            (weights, columns, np.asarray(indptr, dtype=np.int64)),
            shape=(len(documents), vocabulary.width),
        )
        norms = np.sqrt(np.asarray(rows.multiply(rows).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        rows = sp.csr_matrix(sp.diags(1.0 / norms) @ rows)
        return rows.astype(np.float32), vocabulary

    def match(self, by_term: sp.csc_matrix, text: str) -> tuple[np.ndarray, np.ndarray] | None:
        """(rows holding every word of the text, cosine scores); None when the text has no words.

        `by_term` is the index's vectors in column-major form (one slice per term).
        """
        query_words = set(self.analysis.words(text))
        if not query_words:
            return None
        n = by_term.shape[0]
        columns = [self.column(w) for w in query_words]
        if -1 in columns:  # a word no record uses: nothing matches
            return np.zeros(n, dtype=bool), np.zeros(n, dtype=np.float32)
        hits = np.zeros(n, dtype=np.int32)
        for c in columns:  # a handful of query words, each one column slice
            hits[by_term.indices[by_term.indptr[c] : by_term.indptr[c + 1]]] += 1
        query, _ = self.vectorise([text])
        scores = np.asarray(by_term[:, query.indices] @ query.data).ravel()
        return hits == len(columns), scores.astype(np.float32)
