"""Encode a whole table of people into tokens and Bloom filters, with a report.

Work is done once per *distinct* value of each column (pyarrow dictionary encoding, see
``columns``) and only at the end spread to the rows that are kept, with one vectorised ``take``
per output column: there is no per-row Python work, and rejected rows are never copied. Tokens
are cut from one base64 buffer per batch (``Tokeniser.array``). A row with an impossible value
(a 31st of February, a postcode that cannot exist) is left out of the output and listed in the
report under its reason with its row number; missing values are not errors, they only lower
completeness.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from interborough.linkage.encoding import derive, normalise
from interborough.linkage.encoding.bloom import BloomEncoder
from interborough.linkage.encoding.columns import (
    Column,
    FastPath,
    Flags,
    Normaliser,
    attempt,
    column,
    fast_dobs,
    fast_nhs_numbers,
    fast_uprns,
    flag,
)
from interborough.linkage.encoding.errors import EncoderInputError
from interborough.linkage.encoding.keys import fingerprint, subkey
from interborough.linkage.encoding.tokens import Tokeniser

ENCODER_VERSION = "1"
NAME_BLOOM = {"m": 1024, "k": 20}
# Postcodes are short (about 7 bigrams) like names; addresses have 30-50 bigrams, so a wider
# filter with fewer hashes keeps the share of set bits near a fifth.
ADDRESS_BLOOM = {"m": 2048, "k": 10}

IDENTIFIER_ROLES: tuple[str, ...] = (
    *("forename", "surname", "dob", "sex", "postcode"),
    *("nhs_number", "ni_number", "uprn", "address", "record_id"),
)


@dataclass(frozen=True)
class ColumnMapping:
    """Which input column holds each identifier, plus the attributes the agreement allows."""

    forename: str
    surname: str
    dob: str
    sex: str
    postcode: str
    nhs_number: str | None = None
    ni_number: str | None = None
    uprn: str | None = None
    address: str | None = None
    record_id: str | None = None
    attributes: tuple[str, ...] = ()

    def sources(self) -> dict[str, str]:
        """Identifier name -> input column, for the identifiers that are mapped."""
        return {n: getattr(self, n) for n in IDENTIFIER_ROLES if getattr(self, n) is not None}


@dataclass
class EncodingReport:
    """What happened to the input: counts, rejected rows by reason, completeness per field."""

    rows: int = 0
    rows_encoded: int = 0
    rejected: dict[str, list[int]] = field(default_factory=dict)
    completeness: dict[str, float] = field(default_factory=dict)

    @property
    def rows_rejected(self) -> int:
        """Rows left out of the output (a row with several problems counts once)."""
        return self.rows - self.rows_encoded


@dataclass(frozen=True)
class EncodedTable:
    """The encoded output and its report."""

    table: pa.Table
    report: EncodingReport


class Encoder:
    """Encodes tables under one agreement key; reuse it so Bloom bigram caches stay warm."""

    def __init__(self, key: str, agreement: str, *, today: date | None = None) -> None:
        self.agreement = agreement.strip()
        self.fingerprint = fingerprint(key)
        self._tokeniser = Tokeniser(subkey(key, agreement, "token"))
        self._name_bloom = BloomEncoder(subkey(key, agreement, "bloom:name"), **NAME_BLOOM)
        self._postcode_bloom = BloomEncoder(subkey(key, agreement, "bloom:postcode"), **NAME_BLOOM)
        self._address_bloom = BloomEncoder(subkey(key, agreement, "bloom:address"), **ADDRESS_BLOOM)
        self._today = today

    def encode(
        self,
        data: pa.Table | Mapping[str, Sequence[Any]],
        mapping: ColumnMapping,
        *,
        first_row: int = 1,
    ) -> EncodedTable:
        """Encode ``data``; row numbers in the report start at ``first_row``."""
        table = data if isinstance(data, pa.Table) else pa.table(dict(data))
        _check_mapping(table, mapping)
        n = table.num_rows
        out: _Out = {}
        bad: dict[str, npt.NDArray[np.bool_]] = {}
        out["record_id"] = self._record_ids(table, mapping, n, first_row, bad)
        self._names(table, mapping, out, bad)
        self._dob(column(table[mapping.dob]), out, bad)
        sex = column(table[mapping.sex])
        codes = [normalise.normalise_sex(v) for v in sex.values]
        out["tk_sex"] = self._tokens(sex, "sex", codes)
        self._postcode(column(table[mapping.postcode]), out, bad)
        self._other_ids(table, mapping, out, bad)
        for name in mapping.attributes:
            out[name] = table[name].combine_chunks()
        rejected = np.zeros(n, dtype=np.bool_)
        for mask in bad.values():
            rejected |= mask
        encoded = _assemble(out, rejected)
        report = EncodingReport(
            rows=n,
            rows_encoded=encoded.num_rows,
            rejected={
                r: (np.nonzero(m)[0] + first_row).tolist() for r, m in bad.items() if m.any()
            },
            completeness=_completeness(encoded, mapping),
        )
        return EncodedTable(encoded.replace_schema_metadata(self._metadata()), report)

    def _metadata(self) -> dict[str, str]:
        return {
            "interborough.key_fingerprint": self.fingerprint,
            "interborough.agreement": self.agreement,
            "interborough.linkage.encoding_version": ENCODER_VERSION,
            "interborough.bloom": json.dumps(
                {"name": NAME_BLOOM, "postcode": NAME_BLOOM, "address": ADDRESS_BLOOM}
            ),
        }

    def _record_ids(
        self, table: pa.Table, mapping: ColumnMapping, n: int, first_row: int, bad: _Bad
    ) -> pa.Array:
        if mapping.record_id is None:
            return pc.cast(pa.array(np.arange(first_row, first_row + n)), pa.string())
        ids = pc.utf8_trim_whitespace(pc.cast(table[mapping.record_id], pa.string()))
        ids = pc.if_else(pc.equal(ids, ""), None, ids).combine_chunks()
        flag(bad, "record_id_missing", ids.is_null().to_numpy(zero_copy_only=False))
        return ids

    def _names(self, table: pa.Table, mapping: ColumnMapping, out: _Out, bad: _Bad) -> None:
        for role in ("forename", "surname"):
            col = column(table[getattr(mapping, role)])
            names = [normalise.normalise_name(v) for v in col.values]
            not_latin = [
                n is None and v is not None and any(c.isalnum() for c in v)
                for v, n in zip(col.values, names, strict=True)
            ]
            flag(bad, f"{role}_no_latin_letters", col.rows_where(not_latin))
            out[f"tk_{role}"] = self._tokens(col, "name", names)
            if role == "forename":
                canonical = [normalise.canonical_forename(v) for v in names]
                out["tk_forename_canonical"] = self._tokens(col, "name", canonical)
            parts = [derive.name_parts(v) if v else None for v in names]
            for part in ("initial", "prefix3", "soundex", "metaphone", "nysiis"):
                values = [getattr(p, part) if p else None for p in parts]
                out[f"tk_{role}_{part}"] = self._tokens(col, f"name_{part}", values)
            out[f"bf_{role}"] = self._blooms(col, self._name_bloom, names)

    def _dob(self, col: Column, out: _Out, bad: _Bad) -> None:
        today = self._today or date.today()
        parts = attempt(col, partial(_dob_parts, today=today), bad, partial(fast_dobs, today=today))
        out["tk_dob"] = self._tokens(col, "dob", [p.iso if p else None for p in parts])
        out["tk_dob_swapped"] = self._tokens(col, "dob", [p.swapped if p else None for p in parts])
        for part in ("year", "month", "day"):
            values = [getattr(p, part) if p else None for p in parts]
            out[f"tk_dob_{part}"] = self._tokens(col, f"dob_{part}", values)

    def _postcode(self, col: Column, out: _Out, bad: _Bad) -> None:
        codes = attempt(col, normalise.normalise_postcode, bad)
        parts = [derive.postcode_parts(c) if c else None for c in codes]
        out["tk_postcode"] = self._tokens(col, "postcode", codes)
        out["tk_postcode_sector"] = self._tokens(
            col, "postcode_sector", [p.sector if p else None for p in parts]
        )
        out["tk_postcode_district"] = self._tokens(
            col, "postcode_district", [p.district if p else None for p in parts]
        )
        compact = [c.replace(" ", "") if c else None for c in codes]
        out["bf_postcode"] = self._blooms(col, self._postcode_bloom, compact)

    def _other_ids(self, table: pa.Table, mapping: ColumnMapping, out: _Out, bad: _Bad) -> None:
        normalisers: dict[str, tuple[Normaliser, FastPath | None]] = {
            "nhs_number": (normalise.normalise_nhs_number, fast_nhs_numbers),
            "ni_number": (normalise.normalise_ni_number, None),
            "uprn": (normalise.normalise_uprn, fast_uprns),
        }
        for role, (fn, fast) in normalisers.items():
            source = getattr(mapping, role)
            if source is not None:
                col = column(table[source])
                out[f"tk_{role}"] = self._tokens(col, role, attempt(col, fn, bad, fast))
        if mapping.address is not None:
            col = column(table[mapping.address])
            addresses = [normalise.normalise_address(v) for v in col.values]
            out["bf_address"] = self._blooms(col, self._address_bloom, addresses)

    def _tokens(self, col: Column, kind: str, values: Sequence[str | None]) -> _Spread:
        return self._tokeniser.array(kind, values), col

    def _blooms(self, col: Column, encoder: BloomEncoder, values: Sequence[str | None]) -> _Spread:
        filters, present = encoder.encode_many(values)
        width = encoder.nbytes
        data = pa.py_buffer(filters.tobytes())
        validity = pa.array(present).buffers()[1]
        distinct = pa.FixedSizeBinaryArray.from_buffers(
            pa.binary(width), len(values), [validity, data]
        )
        return distinct, col


_Spread = tuple[pa.Array, Column]  # one result per distinct value, and the column to spread by
_Out = dict[str, pa.Array | _Spread]
_Bad = Flags


def _assemble(out: _Out, rejected: npt.NDArray[np.bool_]) -> pa.Table:
    """Spread per-distinct results to the rows that are kept, with one ``take`` per column."""
    keep = None if not rejected.any() else pa.array(~rejected)
    kept_indices: dict[int, pa.Array] = {}
    columns: dict[str, pa.Array] = {}
    for name, value in out.items():
        if isinstance(value, tuple):
            distinct, col = value
            if id(col) not in kept_indices:
                kept_indices[id(col)] = col.indices if keep is None else col.indices.filter(keep)
            columns[name] = distinct.take(kept_indices[id(col)])
        else:
            columns[name] = value if keep is None else value.filter(keep)
    return pa.table(columns)


def _dob_parts(value: str | None, today: date) -> derive.DobParts | None:
    parsed = normalise.parse_dob(value, today=today)
    return derive.dob_parts(parsed) if parsed else None


def _check_mapping(table: pa.Table, mapping: ColumnMapping) -> None:
    wanted = [*mapping.sources().values(), *mapping.attributes]
    missing = [c for c in wanted if c not in table.column_names]
    if missing:
        raise EncoderInputError(
            "mapping_invalid",
            f"The input has no column(s) {', '.join(map(repr, missing))}; "
            f"its columns are {', '.join(map(repr, table.column_names))}.",
        )
    clashes = [a for a in mapping.attributes if a == "record_id" or a[:3] in ("tk_", "bf_")]
    if clashes:
        raise EncoderInputError(
            "mapping_invalid",
            f"Attribute column(s) {', '.join(map(repr, clashes))} clash with encoder output "
            "names; rename them before encoding.",
        )
    identifiers = set(mapping.sources().values())
    leaks = [a for a in mapping.attributes if a in identifiers]
    if leaks:
        raise EncoderInputError(
            "mapping_invalid",
            f"Column(s) {', '.join(map(repr, leaks))} are identifiers and cannot also be passed "
            "through as attributes.",
        )


_COMPLETENESS_COLUMNS = {
    "forename": "tk_forename",
    "surname": "tk_surname",
    "dob": "tk_dob",
    "sex": "tk_sex",
    "postcode": "tk_postcode",
    "nhs_number": "tk_nhs_number",
    "ni_number": "tk_ni_number",
    "uprn": "tk_uprn",
    "address": "bf_address",
}


def _completeness(table: pa.Table, mapping: ColumnMapping) -> dict[str, float]:
    """Share of encoded rows with a usable value, per mapped identifier."""
    result: dict[str, float] = {}
    for role, output in _COMPLETENESS_COLUMNS.items():
        if getattr(mapping, role) is None:
            continue
        rows = table.num_rows
        result[role] = (rows - table[output].null_count) / rows if rows else 0.0
    return result


def encode_table(
    data: pa.Table | Mapping[str, Sequence[Any]],
    mapping: ColumnMapping,
    *,
    key: str,
    agreement: str,
    today: date | None = None,
) -> EncodedTable:
    """Encode one table under an agreement key (convenience wrapper around :class:`Encoder`)."""
    return Encoder(key, agreement, today=today).encode(data, mapping)
