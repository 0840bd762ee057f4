"""Command line for borough analysts: ``interborough encode`` and ``interborough encode keygen``.

The key is read from a file (or the INTERBOROUGH_ENCODER_KEY environment variable), never from
the command line, where it would show in shell history and process lists.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from interborough.linkage.encoding.errors import EncoderInputError
from interborough.linkage.encoding.files import ParquetOutput, open_source
from interborough.linkage.encoding.keys import fingerprint, keygen
from interborough.linkage.encoding.records import ColumnMapping, Encoder, EncodingReport

KEY_ENV = "INTERBOROUGH_ENCODER_KEY"
_ROLES = ("forename", "surname", "dob", "sex", "postcode")
_OPTIONAL = ("nhs_number", "ni_number", "uprn", "address", "record_id")


def main(argv: Sequence[str] | None = None, *, console: Console | None = None) -> int:
    """Run the encoder command line; returns the process exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    out = console or Console(stderr=True)
    try:
        if args[:1] == ["keygen"]:
            return _keygen(args[1:], out)
        return _encode(args, out)
    except EncoderInputError as error:
        out.print(f"[red]Error:[/red] {error}")
        return 2


def _keygen(argv: list[str], out: Console) -> int:
    parser = argparse.ArgumentParser(
        prog="interborough encode keygen",
        description="Make a new key for one data sharing agreement. Share it with the other "
        "boroughs by a secure route; never send it to the hub.",
    )
    parser.add_argument("--out", type=Path, required=True, help="file to write the key to")
    args = parser.parse_args(argv)
    if args.out.exists():
        raise EncoderInputError("key_exists", f"{args.out} already exists; not overwriting it.")
    key = keygen()
    descriptor = os.open(args.out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(key + "\n")
    out.print(f"Key written to {args.out} (fingerprint {fingerprint(key)}).")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="interborough encode",
        description="Encode a file of people into tokens and Bloom filters for linkage.",
    )
    parser.add_argument("input", type=Path, help="a .csv, .xlsx or .parquet file")
    parser.add_argument("--out", type=Path, required=True, help="the .parquet file to write")
    parser.add_argument("--agreement", required=True, help="the data sharing agreement reference")
    parser.add_argument("--key-file", type=Path, help=f"the agreement key (or set {KEY_ENV})")
    parser.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="ROLE=COLUMN",
        help=f"input column for a role: {', '.join(_ROLES + _OPTIONAL)}",
    )
    parser.add_argument(
        "--attribute", action="append", default=[], help="a column the agreement allows"
    )
    parser.add_argument("--report", type=Path, help="also write the report as JSON here")
    return parser


def _mapping(pairs: list[str], attributes: list[str]) -> ColumnMapping:
    roles: dict[str, str] = {}
    for pair in pairs:
        role, sep, column = pair.partition("=")
        if not sep or role not in _ROLES + _OPTIONAL or not column:
            raise EncoderInputError(
                "mapping_invalid",
                f"--map {pair!r} should look like ROLE=COLUMN with ROLE one of "
                f"{', '.join(_ROLES + _OPTIONAL)}.",
            )
        roles[role] = column
    missing = [r for r in _ROLES if r not in roles]
    if missing:
        raise EncoderInputError(
            "mapping_invalid", f"Map the column(s) for {', '.join(missing)} with --map ROLE=COLUMN."
        )
    return ColumnMapping(**roles, attributes=tuple(attributes))


def _read_key(path: Path | None) -> str:
    if path is not None:
        if not path.is_file():
            raise EncoderInputError("key_missing", f"There is no key file at {path}.")
        return path.read_text(encoding="ascii").strip()
    if os.environ.get(KEY_ENV):
        return os.environ[KEY_ENV].strip()
    raise EncoderInputError("key_missing", f"Give the agreement key with --key-file or {KEY_ENV}.")


def _encode(argv: list[str], out: Console) -> int:
    args = _parser().parse_args(argv)
    mapping = _mapping(args.map, args.attribute)
    encoder = Encoder(_read_key(args.key_file), args.agreement)
    source = open_source(args.input)
    total = EncodingReport()
    filled: dict[str, float] = {}
    output = ParquetOutput(args.out)
    columns = (TextColumn("Encoding"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=out) as progress:
        task = progress.add_task("encode", total=source.total_rows)
        for batch in source.batches:
            result = encoder.encode(batch, mapping, first_row=total.rows + 1)
            output.write(result.table)
            _merge(total, filled, result.report)
            progress.advance(task, batch.num_rows)
    output.close()
    total.completeness = {k: v / total.rows_encoded for k, v in filled.items()} if filled else {}
    _summary(out, total, args.out, encoder.fingerprint)
    if args.report:
        args.report.write_text(json.dumps(_report_dict(total), indent=2), encoding="utf-8")
    return 0


def _merge(total: EncodingReport, filled: dict[str, float], part: EncodingReport) -> None:
    total.rows += part.rows
    total.rows_encoded += part.rows_encoded
    for reason, rows in part.rejected.items():
        total.rejected.setdefault(reason, []).extend(rows)
    for field, share in part.completeness.items():
        filled[field] = filled.get(field, 0.0) + share * part.rows_encoded


def _report_dict(report: EncodingReport) -> dict[str, object]:
    return {
        "rows": report.rows,
        "rows_encoded": report.rows_encoded,
        "rows_rejected": report.rows_rejected,
        "rejected": report.rejected,
        "completeness": report.completeness,
    }


def _summary(out: Console, report: EncodingReport, path: Path, key_fingerprint: str) -> None:
    out.print(
        f"Encoded {report.rows_encoded:,} of {report.rows:,} rows into {path} "
        f"(key fingerprint {key_fingerprint})."
    )
    if report.rejected:
        table = Table("Reason", "Rows", "First row numbers", title="Rejected rows")
        for reason, rows in sorted(report.rejected.items()):
            table.add_row(reason, f"{len(rows):,}", ", ".join(map(str, rows[:10])))
        out.print(table)
    completeness = Table("Field", "Complete", title="Completeness")
    for field, share in report.completeness.items():
        completeness.add_row(field, f"{share:.1%}")
    out.print(completeness)
