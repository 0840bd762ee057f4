"""Hub-side linkage of encoded borough files with Splink on DuckDB (issue 6).

``link(parties)`` takes each party's table as the encoder wrote it (tokens and Bloom filters, no
identifiers), checks they were all made under the same agreement key and hold the encoder's
columns, and then:

1. loads them into an in-memory DuckDB, turning each Bloom filter into a ``BIT`` string with its
   bit count, so Dice is cheap in SQL (see ``linking_model``);
2. trains a Splink model with no labels: the prior from near-certain rules, u by random sampling,
   m by expectation maximisation over two blocking rules;
3. predicts pairs over several token blocking rules and clusters them at a threshold.

The link type is ``link_and_dedupe``, not ``link_only``: boroughs hold duplicate records of one
person, and deduplicating them in the same model lets a duplicate carry a link its twin missed,
and gives each person one id however many records they have in a borough.

Person ids are random (``p_`` and 24 hex digits) per cluster and per run: they are scoped to the
collaboration's job and never derived from record ids, tokens or filters, so they carry nothing
a party could look up. Diagnostics (see ``linking_diagnostics``) reveal no identity.
"""

from __future__ import annotations

import logging
import secrets
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from interborough.linkage import linking_model as model
from interborough.linkage.linking_diagnostics import LinkDiagnostics, diagnose

FINGERPRINT_KEY = b"interborough.key_fingerprint"
ENCODING_KEY = b"interborough.linkage.encoding_version"
BLOOM_KEY = b"interborough.bloom"
REQUIRED_COLUMNS = (
    "record_id",
    *("tk_forename", "tk_forename_canonical", "tk_forename_initial", "tk_forename_soundex"),
    *("tk_surname", "tk_surname_soundex", "bf_forename", "bf_surname"),
    *("tk_dob", "tk_dob_swapped", "tk_dob_year", "tk_dob_month", "tk_dob_day", "tk_sex"),
    *("tk_postcode", "tk_postcode_sector", "tk_postcode_district", "bf_postcode"),
)
OPTIONAL_COLUMNS = ("tk_nhs_number",)
DEFAULT_THRESHOLD = 0.9
# Pairs below this probability are not kept at all; the histogram starts here.
PREDICT_FLOOR = 0.01


class LinkageInputError(ValueError):
    """A party's encoded table cannot be linked; the message says what to fix."""


@dataclass(frozen=True)
class LinkResult:
    """Person ids for every record, and diagnostics that reveal no identity."""

    person_ids: pa.Table  # party, record_id, person_id
    diagnostics: LinkDiagnostics


def link(
    parties: Mapping[str, pa.Table],
    *,
    threshold_probability: float = DEFAULT_THRESHOLD,
    u_max_pairs: float = 2e6,
    seed: int = 1,
) -> LinkResult:
    """Link and deduplicate the encoded tables of two or more parties into pseudonymous people.

    ``parties`` maps each party's name (e.g. a GSS code) to its table as the encoder wrote it.
    Pairs scoring at least ``threshold_probability`` join a cluster. ``u_max_pairs`` random pairs
    estimate the u probabilities; ``seed`` makes that sample repeatable (person ids never are).
    Raises :class:`LinkageInputError` for tables that cannot be linked.
    """
    if not 0.0 < threshold_probability < 1.0:
        raise LinkageInputError(
            f"threshold_probability must be between 0 and 1, not {threshold_probability!r}."
        )
    check_parties(parties)
    # DuckDB spills to ".tmp" under the working directory by default; keep spills with the
    # system's temporary files instead, never beside the application.
    spill = Path(tempfile.gettempdir()) / "interborough-linkage"
    connection = duckdb.connect(config={"temp_directory": str(spill)})
    # Splink warns about rare levels (names entered the wrong way round) that EM did not see in
    # a small collaboration; their default m is fine, so only errors are let through.
    splink_logger = logging.getLogger("splink")
    previous_level = splink_logger.level
    splink_logger.setLevel(logging.ERROR)
    try:
        _load(connection, parties)
        predictions, clusters = _run_splink(
            connection, len(parties), threshold_probability, u_max_pairs, seed
        )
        person_ids = _person_ids(clusters)
        diagnostics = diagnose(predictions, person_ids, threshold_probability)
    finally:
        splink_logger.setLevel(previous_level)
        connection.close()
    return LinkResult(person_ids, diagnostics)


def check_parties(parties: Mapping[str, pa.Table]) -> None:
    """Refuse tables the hub cannot link: too few, empty, other keys, other encodings, missing
    columns or record ids that are missing or repeated."""
    if len(parties) < 2:
        raise LinkageInputError("Linkage needs the encoded files of at least two parties.")
    encodings: dict[str, tuple[str, str]] = {}
    for party, table in parties.items():
        _check_table(party, table)
        metadata = table.schema.metadata or {}
        encodings[party] = (
            metadata[FINGERPRINT_KEY].decode("utf-8"),
            metadata.get(ENCODING_KEY, b"").decode("utf-8")
            + metadata.get(BLOOM_KEY, b"").decode("utf-8"),
        )
    if len({fingerprint for fingerprint, _ in encodings.values()}) > 1:
        listed = ", ".join(f"{p} ({f})" for p, (f, _) in sorted(encodings.items()))
        raise LinkageInputError(
            "The files were encoded with different keys, so they cannot be linked: "
            f"{listed}. Every party must encode with the agreement's key."
        )
    if len({encoding for _, encoding in encodings.values()}) > 1:
        raise LinkageInputError(
            "The files were made by different encoder versions or Bloom filter settings; "
            "every party must encode again with the same version of 'interborough encode'."
        )


def _check_table(party: str, table: pa.Table) -> None:
    if not party.strip():
        raise LinkageInputError("Every party needs a non-empty name.")
    missing = [c for c in REQUIRED_COLUMNS if c not in table.column_names]
    if missing:
        raise LinkageInputError(
            f"The file of {party} lacks the encoder's column(s) {', '.join(missing)}; "
            "encode it again with 'interborough encode'."
        )
    if table.num_rows == 0:
        raise LinkageInputError(f"The file of {party} has no records.")
    if FINGERPRINT_KEY not in (table.schema.metadata or {}):
        raise LinkageInputError(
            f"The file of {party} has no key fingerprint; it was not made by the encoder."
        )
    ids = table["record_id"]
    if ids.null_count or pc.count_distinct(ids).as_py() != table.num_rows:
        raise LinkageInputError(
            f"The file of {party} has missing or repeated record ids; each record needs its "
            "own id so results can be matched back to it."
        )


def _load(connection: duckdb.DuckDBPyConnection, parties: Mapping[str, pa.Table]) -> None:
    """Every party's records in table ``records`` (and ``records_<n>`` per party), with each
    Bloom filter also as a BIT string and its bit count, and a numeric ``unique_id``."""
    names = (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)
    parts = []
    for party, table in parties.items():
        columns = {c: table[c] for c in names if c in table.column_names}
        for optional in OPTIONAL_COLUMNS:
            columns.setdefault(optional, pa.nulls(table.num_rows, pa.string()))
        columns["record_id"] = table["record_id"].cast(pa.string())
        columns["source_dataset"] = pa.array([party] * table.num_rows, pa.string())
        parts.append(pa.table(columns).select([*names, "source_dataset"]))
    connection.register("encoded", pa.concat_tables(parts))
    tokens = ", ".join(c for c in names if not c.startswith("bf_"))
    blooms = ", ".join(
        f"{c}::BIT AS {c}_bits, bit_count({c}::BIT) AS {c}_n" for c in model.BLOOM_COLUMNS
    )
    connection.execute(
        "CREATE TABLE records AS SELECT row_number() OVER () AS unique_id, source_dataset, "  # noqa: S608 - fixed column names
        f"{tokens}, {blooms} FROM encoded"
    )
    connection.unregister("encoded")
    for index, party in enumerate(parties):
        connection.execute(
            f"CREATE TABLE records_{index} AS SELECT * FROM records WHERE source_dataset = $party",  # noqa: S608
            {"party": party},
        )


def _run_splink(
    connection: duckdb.DuckDBPyConnection,
    parties: int,
    threshold: float,
    u_max_pairs: float,
    seed: int,
) -> tuple[pa.Table, pa.Table]:
    """Train, predict and cluster; returns scored pairs and each record's cluster."""
    from splink import DuckDBAPI, Linker

    db_api = DuckDBAPI(connection=connection)
    inputs = [db_api.register(f"records_{i}") for i in range(parties)]
    linker = Linker(inputs, model.settings(), log_level=None)
    training = linker.training
    training.estimate_probability_two_random_records_match(
        list(model.DETERMINISTIC_RULES), recall=model.DETERMINISTIC_RECALL
    )
    training.estimate_u_using_random_sampling(max_pairs=u_max_pairs, seed=seed)
    for rule in model.TRAINING_BLOCKING_RULES:
        training.estimate_parameters_using_expectation_maximisation(
            rule, record_sample_proportion=1.0
        )
    predictions = linker.inference.predict(threshold_match_probability=PREDICT_FLOOR)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=threshold
    )
    # Table names below are Splink's own, never input.
    scored = connection.sql(
        "SELECT match_weight, match_probability, source_dataset_l, source_dataset_r "  # noqa: S608
        f"FROM {predictions.physical_name}"
    ).to_arrow_table()
    clustered = connection.sql(
        "SELECT r.source_dataset AS party, r.record_id, c.cluster_id "  # noqa: S608
        f"FROM {clusters.physical_name} AS c JOIN records AS r USING (unique_id)"
    ).to_arrow_table()
    return scored, clustered


def _person_ids(clusters: pa.Table) -> pa.Table:
    """Replace each cluster id (a record's id) with a random person id, one per cluster."""
    cluster = clusters["cluster_id"].combine_chunks().dictionary_encode()
    distinct = len(cluster.dictionary)
    fresh = pa.array([f"p_{secrets.token_hex(12)}" for _ in range(distinct)], pa.string())
    return pa.table(
        {
            "party": clusters["party"],
            "record_id": clusters["record_id"],
            "person_id": fresh.take(cluster.indices),
        }
    ).sort_by([("party", "ascending"), ("record_id", "ascending")])
