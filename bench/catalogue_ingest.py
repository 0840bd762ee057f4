"""Benchmark 4 (`make bench`): ingest of a 1,000,000-row CSV to Parquet (issue 4).

Generates a realistic CSV (a borough GSS code, a ward code, a date, an integer count, a decimal
rate, a category and free text), then runs it through the data store's ingest exactly as a
version check does: `read_upload` (encoding, delimiter, schema inference, every value checked)
and `write_parquet` (typed columns, written beside its final name and renamed). Prints rows per
second for each step and the whole. The anchor is CKAN's DataStore loading the same file into
PostgreSQL, which comes with the query benchmarks in a later slice; here the figure stands alone.
Writes its section of bench/results.md.
"""

import argparse
import random
import shutil
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
sys.path.insert(0, str(ROOT))

from bench.common import load_average, machine, write_section  # noqa: E402
from interborough.catalogue import ingest  # noqa: E402 - pure: no Django set-up needed

CATEGORIES = ["single adult", "couple", "family with children", "young person", "older person"]
WORDS = [
    "rough",
    "sleeping",
    "outreach",
    "verified",
    "street",
    "count",
    "night",
    "shelter",
    "referral",
]


def generate(path: Path, rows: int, rng: random.Random) -> None:
    start = date(2020, 1, 1)
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("borough_code,ward_code,date,count,rate,category,note\n")
        for i in range(rows):
            day = start + timedelta(days=i % 2000)
            out.write(
                f"E09{rng.randrange(1, 34):06d},E05{rng.randrange(0, 700):06d},{day.isoformat()},"
                f"{rng.randrange(0, 500)},{rng.random() * 100:.3f},{rng.choice(CATEGORIES)},"
                f"{' '.join(rng.sample(WORDS, 3))}\n"
            )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--no-write", action="store_true", help="do not write bench/results.md")
    args = parser.parse_args()
    load_before = load_average()
    folder = Path(tempfile.mkdtemp(prefix="interborough-ingest-"))
    try:
        source = folder / "counts.csv"
        generate(source, args.rows, random.Random(args.seed))
        started = time.perf_counter()
        inspected = ingest.read_upload(source, source.name, max_bytes=2 * 1024**3)
        checked = time.perf_counter()
        written = ingest.write_parquet(source, source.name, inspected, folder / "data.parquet")
        done = time.perf_counter()
    finally:
        size_mb = source.stat().st_size / 1e6 if source.exists() else 0
        shutil.rmtree(folder, ignore_errors=True)
    read_s, write_s, total_s = checked - started, done - checked, done - started
    types = ", ".join(f"{f['name']} {f['type']}" for f in inspected.schema["fields"])
    text = "\n".join(
        [
            "## Ingest of a CSV to Parquet (issue 4)",
            "",
            f"Written by `bench/catalogue_ingest.py` on {datetime.now(UTC):%Y-%m-%d %H:%M UTC}.",
            "",
            f"- Machine: {machine()}; load average {load_before} when the run started",
            f"- File: {args.rows:,} rows, 7 columns, {size_mb:.0f} MB UTF-8; inferred: {types}",
            f"- Problems found: {inspected.problem_count}; rows written: {written.rows:,}",
            "",
            "| Step | Time | Rows per second |",
            "|---|---:|---:|",
            f"| Read, infer the schema, check every value | {read_s:.2f} s | "
            f"{args.rows / read_s:,.0f} |",
            f"| Write typed Parquet | {write_s:.2f} s | {args.rows / write_s:,.0f} |",
            f"| **Whole ingest** | **{total_s:.2f} s** | **{args.rows / total_s:,.0f}** |",
        ]
    )
    print(text)
    if not args.no_write:
        write_section("catalogue_ingest", text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
