"""Keyed field-level Bloom filters (CLK-style) for fuzzy comparison of names and addresses.

A value is padded with "_" at both ends ("_JON_") and split into bigrams; each bigram sets ``k``
bits chosen by a keyed hash in an ``m``-bit filter. Similar strings share most bigrams, so the
Dice coefficient of their filters tracks string similarity, yet without the key nobody can work
out which bigram set which bits.

Defaults: m=1024, k=20. A name has about 5-15 bigrams, so 100-300 bits are set (10-25% of
1024): well under half, which keeps Dice discriminating, and k=20 spreads each bigram over enough
bits that frequency attacks on single bits are much harder than with small k (Schnell et al.).

Speed: the bigram vocabulary is small (a few hundred for A-Z, space and pad), so each bigram's
bit pattern is computed once per encoder and cached as a packed numpy row; a value's filter is
the OR of its bigrams' rows, and each distinct value is encoded once per batch.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

PAD = "_"
DEFAULT_M = 1024
DEFAULT_K = 20


def bigrams(value: str) -> list[str]:
    """Bigrams of the padded value: "JON" -> ["_J", "JO", "ON", "N_"]."""
    padded = f"{PAD}{value}{PAD}"
    return [padded[i : i + 2] for i in range(len(padded) - 1)]


class BloomEncoder:
    """Encodes strings into keyed Bloom filters of ``m`` bits (returned as m/8 bytes)."""

    def __init__(self, subkey: bytes, *, m: int = DEFAULT_M, k: int = DEFAULT_K) -> None:
        if m <= 0 or m % 8 or m > 65536:
            raise ValueError(f"m must be a positive multiple of 8 up to 65536, not {m}")
        if not 1 <= k <= 256:
            raise ValueError(f"k must be between 1 and 256, not {k}")
        self._subkey = subkey
        self.m = m
        self.k = k
        self._patterns: dict[str, npt.NDArray[np.uint8]] = {}

    @property
    def nbytes(self) -> int:
        """Length of one filter in bytes."""
        return self.m // 8

    def _pattern(self, bigram: str) -> npt.NDArray[np.uint8]:
        cached = self._patterns.get(bigram)
        if cached is None:
            seed = hmac.digest(self._subkey, bigram.encode("utf-8"), hashlib.sha256)
            # SHAKE-256 of the keyed seed stretches it to k positions of 16 bits each.
            raw = np.frombuffer(hashlib.shake_256(seed).digest(2 * self.k), dtype=">u2")
            bits = np.zeros(self.m, dtype=np.uint8)
            bits[raw.astype(np.int64) % self.m] = 1
            cached = np.packbits(bits)
            self._patterns[bigram] = cached
        return cached

    def encode_array(self, value: str) -> npt.NDArray[np.uint8]:
        """The filter of one non-empty value as a packed uint8 array."""
        patterns = [self._pattern(b) for b in bigrams(value)]
        return np.bitwise_or.reduce(np.stack(patterns), axis=0)

    def encode(self, value: str | None) -> bytes | None:
        """The filter of one value as bytes, or None when the value is missing or empty."""
        if not value:
            return None
        return self.encode_array(value).tobytes()

    def encode_many(
        self, values: Sequence[str | None]
    ) -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.bool_]]:
        """Filters of many values as an (n, m/8) array plus a mask of which were present.

        Vectorised: each value becomes a row of bigram ids (padded with the id of an all-zero
        pattern), and the filters are built by OR-ing one gathered column of patterns at a time,
        on 64-bit words, so the numpy work is (longest value) operations over all values.
        """
        out = np.zeros((len(values), self.nbytes), dtype=np.uint8)
        present = np.fromiter((bool(v) for v in values), dtype=np.bool_, count=len(values))
        if not present.any():
            return out, present
        ids: dict[str, int] = {}
        flat: list[int] = []
        lengths: list[int] = []
        for value in values:
            if value:
                grams = bigrams(value)
                lengths.append(len(grams))
                flat.extend([ids.setdefault(b, len(ids)) for b in grams])
        patterns = [self._pattern(b) for b in ids]
        patterns.append(np.zeros(self.nbytes, dtype=np.uint8))  # padding id = len(ids)
        table = _as_words(np.stack(patterns))
        width = np.asarray(lengths)
        matrix = np.full((len(lengths), int(width.max())), len(ids), dtype=np.int64)
        matrix[np.arange(matrix.shape[1]) < width[:, None]] = flat
        words = np.zeros((len(lengths), table.shape[1]), dtype=table.dtype)
        for column in matrix.T:
            words |= table[column]
        out[present] = words.view(np.uint8)
        return out, present


def _as_words(patterns: npt.NDArray[np.uint8]) -> npt.NDArray[np.unsignedinteger[Any]]:
    """View packed filters as 64-bit words when the width allows, for fewer numpy elements."""
    if patterns.shape[1] % 8 == 0:
        return np.ascontiguousarray(patterns).view(np.uint64)
    return patterns


def popcount(data: bytes) -> int:
    """Number of set bits."""
    return int.from_bytes(data, "big").bit_count()


def dice(a: bytes, b: bytes) -> float:
    """Dice coefficient of two filters: 2|A and B| / (|A| + |B|); 0.0 when both are empty."""
    if len(a) != len(b):
        raise ValueError(f"filters differ in length ({len(a)} and {len(b)} bytes)")
    total = popcount(a) + popcount(b)
    if total == 0:
        return 0.0
    both = (int.from_bytes(a, "big") & int.from_bytes(b, "big")).bit_count()
    return 2 * both / total
