"""Benchmark: the borough-side encoder's throughput, and the synthetic data it runs on (issue 6).

Makes London-like synthetic people (interborough.linkage.synthetic: frequency-weighted names,
real postcode districts, typos, nicknames, swapped dates, missing values, duplicates) and times:

- the generator: a population of `--people` people, then the extracts of six East London
  boroughs with their errors;
- the encoder: one borough-sized extract of `--rows` records encoded under one agreement key
  (normalising, ONS-style derived variables, HMAC-SHA256 tokens, keyed Bloom filters) with the
  NHS number and UPRN mapped too, best of three runs after one warm-up.

Prints our figures beside the issue's aim (encoder at least 100,000 records/s) and writes its
section of bench/results.md (between markers, the rest is left alone). No Django.
"""

import argparse
import sys
import time
from pathlib import Path

import pyarrow as pa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import load_average, machine, write_section  # noqa: E402
from interborough.linkage import synthetic  # noqa: E402
from interborough.linkage.encoding.keys import keygen  # noqa: E402
from interborough.linkage.encoding.records import ColumnMapping, Encoder  # noqa: E402

AIM_RECORDS_PER_S = 100_000
# Six East London boroughs, as in the demo's homelessness collaboration.
BOROUGHS = ["E09000012", "E09000025", "E09000030", "E09000031", "E09000026", "E09000002"]


def _timed(action):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = action()
    return result, time.perf_counter() - started


def _one_extract(rows: int, seed: int) -> pa.Table:
    """About `rows` records of one borough, with the default error rates."""
    people = synthetic.population(rows, seed, boroughs=BOROUGHS[:1])
    return synthetic.extracts(people, BOROUGHS[:2], seed=seed)[0].records.slice(0, rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--no-write", action="store_true", help="do not write bench/results.md")
    parser.add_argument("--strict", action="store_true", help="exit 1 when the aim is not met")
    args = parser.parse_args()
    load = load_average()

    people, population_s = _timed(lambda: synthetic.population(args.people, args.seed))
    made, extracts_s = _timed(lambda: synthetic.extracts(people, BOROUGHS, seed=args.seed))
    extract_rows = sum(e.records.num_rows for e in made)

    records = _one_extract(args.rows, args.seed)
    mapping = ColumnMapping(
        forename="forename", surname="surname", dob="dob", sex="sex", postcode="postcode",
        nhs_number="nhs_number", uprn="uprn",
    )  # fmt: skip
    encoder = Encoder(keygen(), "DSA-2026-0001")
    encoder.encode(records.slice(0, 10_000), mapping)  # warm-up: Bloom bigram caches
    runs = []
    for _ in range(3):
        encoded, seconds = _timed(lambda: encoder.encode(records, mapping))
        runs.append(seconds)
    best = min(runs)
    rate = records.num_rows / best
    report = encoded.report
    timings = ", ".join(f"{s:.2f} s" for s in runs)
    met = "met" if rate >= AIM_RECORDS_PER_S else "NOT MET"
    text = f"""## Encoder throughput and synthetic data (issue 6)

Written by `bench/encoder.py` on {time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}.

- Machine: {machine()}; load average {load} when the run started
- Synthetic data: {args.people:,} people in {population_s:.1f} s; extracts of six East London
  boroughs ({extract_rows:,} records, with typos, nicknames, swapped dates, missing values and
  duplicates) in {extracts_s:.1f} s
- Encoder: {records.num_rows:,} records of one borough, forename, surname, date of birth, sex,
  postcode, NHS number and UPRN, one process; best of {len(runs)} runs after a warm-up
  ({timings}); {report.rows_encoded:,} encoded, {report.rows_rejected:,} rejected with reasons

| Step | Ours | Aim |
|---|---:|---|
| Encoder | {rate:,.0f} records/s | at least {AIM_RECORDS_PER_S:,} records/s: {met} |
| Synthetic people | {args.people / population_s:,.0f} people/s | (no aim) |
"""
    print(text)
    if not args.no_write:
        write_section("encoder", text.rstrip())
        print("Written to bench/results.md")
    return 1 if args.strict and rate < AIM_RECORDS_PER_S else 0


if __name__ == "__main__":
    sys.exit(main())
