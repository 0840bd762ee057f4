"""Facet columns shared by the in-process search indexes (ADR 0005): values coded as integers,
set-valued fields (tags, themes, topics) as sparse 0/1 membership matrices, and the counting
and filtering the indexes do over whole columns with numpy and scipy.

Pure: no Django here.
"""

from collections.abc import Collection, Iterable, Sequence

import numpy as np
import scipy.sparse as sp


def coded(values: Iterable[str], vocabulary: list[str]) -> tuple[list[int], list[str]]:
    """Integer codes for values, extending a copy of the vocabulary with values it lacks."""
    vocabulary = list(vocabulary)
    known = {v: c for c, v in enumerate(vocabulary)}
    codes = []
    for value in values:
        code = known.get(value)
        if code is None:
            code = known[value] = len(vocabulary)
            vocabulary.append(value)
        codes.append(code)
    return codes, vocabulary


def membership(
    rows: Sequence[Collection[str]], vocabulary: list[str]
) -> tuple[sp.csr_matrix, list[str]]:
    """A rows x values 0/1 matrix (e.g. the tags of each record) and its column values."""
    indices, vocabulary = coded((v for row in rows for v in row), vocabulary)
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum([len(row) for row in rows], out=indptr[1:])
    matrix = sp.csr_matrix(
        (np.ones(len(indices), dtype=np.int32), np.asarray(indices, dtype=np.int32), indptr),
        shape=(len(rows), len(vocabulary)),
    )
    matrix.sum_duplicates()
    matrix.data[:] = 1
    return matrix, vocabulary


def widen(matrix: sp.csr_matrix, columns: int) -> sp.csr_matrix:
    """The same rows with more (empty) columns on the right."""
    return sp.csr_matrix(
        (matrix.data, matrix.indices, matrix.indptr), shape=(matrix.shape[0], columns)
    )


def stack(a: sp.csr_matrix, b: sp.csr_matrix) -> sp.csr_matrix:
    """a's rows then b's, where b's columns extend a's (b was coded with a's vocabulary)."""
    return sp.vstack([widen(a, b.shape[1]), b], format="csr")


def any_of(matrix: sp.csr_matrix, values: list[str], wanted: Collection[str]) -> np.ndarray:
    """Rows holding at least one of the wanted values."""
    selected = np.fromiter((v in wanted for v in values), dtype=np.int32, count=len(values))
    return np.asarray(matrix @ selected).ravel() > 0


def code_counts(codes: np.ndarray, values: list, mask: np.ndarray) -> dict:
    """value -> how many masked rows hold it, for a one-value-per-row coded column."""
    counts = np.bincount(codes[mask], minlength=len(values))
    return {values[c]: int(counts[c]) for c in np.flatnonzero(counts)}


def member_counts(matrix: sp.csr_matrix, values: list, mask: np.ndarray) -> dict:
    """value -> how many masked rows hold it, for a membership matrix."""
    counts = np.asarray(matrix.T @ mask.astype(np.int32)).ravel()
    return {values[c]: int(counts[c]) for c in np.flatnonzero(counts)}
