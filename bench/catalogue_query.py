"""Benchmark (`make bench`): the query API's engine on a 10,000,000-row resource, beside the same
queries in PostgreSQL as CKAN's DataStore would run them (issue 4).

1. Generates 10M synthetic rows deterministically (id, borough_code E09..., ward, category,
   amount, date, latitude, longitude) straight to Parquet with DuckDB, as a version's
   `data.parquet` would hold them. Not through the upload path: ingest has its own benchmark
   (bench/catalogue_ingest.py). Then builds the version's query copy (query.build_query_copy).
2. Loads the same rows into PostgreSQL (database `test`, table bench_catalogue_query.records_10m)
   with COPY, the way the DataStore stores a resource: `_id` bigint primary key, plus btree
   indexes on the filter and sort columns used (borough_code, amount, date).
3. Times N repeats of (a) the unfiltered first page of 100 with its exact total and (b) a
   filtered and sorted page (borough_code = X and amount > Y, newest date first, 100 rows)
   with its exact total: through our engine (`records_page`, as the API calls it) on the
   Parquet file alone and with the query copy, and the equivalent SQL on PostgreSQL.

Generated files are cached outside the repository ($INTERBOROUGH_BENCH_CACHE, else the
temporary folder) and the PostgreSQL table is kept, so reruns only time the queries. Writes
its section of bench/results.md.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
sys.path.insert(0, str(ROOT))

from bench.common import load_average, machine, write_section  # noqa: E402

# Outside the repository (hundreds of MB): INTERBOROUGH_BENCH_CACHE or the temporary folder.
CACHE = (
    Path(os.environ.get("INTERBOROUGH_BENCH_CACHE") or tempfile.gettempdir())
    / "interborough-bench"
    / "catalogue-query"
)
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/test")
PG_TABLE = "bench_catalogue_query.records_10m"
GENERATOR = 1  # bump when the generated rows change, so cached files are rebuilt
SCHEMA = {
    "fields": [
        {"name": "id", "type": "integer"},
        {"name": "borough_code", "type": "string"},
        {"name": "ward", "type": "string"},
        {"name": "category", "type": "string"},
        {"name": "amount", "type": "number"},
        {"name": "date", "type": "date"},
        {"name": "latitude", "type": "number"},
        {"name": "longitude", "type": "number"},
    ]
}
BOROUGH, AMOUNT = "E09000007", 5000
FILTERED = [("borough_code", BOROUGH), ("amount__gt", str(AMOUNT)), ("sort", "-date")]
PG_UNFILTERED = [
    f"SELECT * FROM {PG_TABLE} ORDER BY _id LIMIT 100",  # noqa: S608
    f"SELECT count(*) FROM {PG_TABLE}",  # noqa: S608
]
PG_FILTERED = [
    f"SELECT * FROM {PG_TABLE} WHERE borough_code = %s AND amount > %s "  # noqa: S608
    "ORDER BY date DESC, _id LIMIT 100",
    f"SELECT count(*) FROM {PG_TABLE} WHERE borough_code = %s AND amount > %s",  # noqa: S608
]


def _mix(column: int) -> str:
    """A deterministic pseudo-random 32-bit number per row (Knuth's multiplicative hash)."""
    return (
        f"((((i::HUGEINT * 2654435761 + {column * 40503}) % 4294967296) * 2246822519 "
        "% 4294967296)::BIGINT)"
    )


def generate(path: Path, rows: int) -> None:
    import duckdb

    temporary = path.with_name(path.name + ".tmp")
    connection = duckdb.connect()
    connection.execute(
        f"""COPY (SELECT i + 1 AS id,
          'E09' || lpad((({_mix(1)} % 33) + 1)::VARCHAR, 6, '0') AS borough_code,
          'E05' || lpad(({_mix(2)} % 700)::VARCHAR, 6, '0') AS ward,
          (['single adult', 'couple', 'family with children', 'young person',
            'older person'])[({_mix(3)} % 5 + 1)::BIGINT] AS category,
          round(({_mix(4)} % 1000000) / 100.0, 2)::DOUBLE AS amount,
          DATE '2015-01-01' + ({_mix(5)} % 3650)::INTEGER AS date,
          round(51.28 + ({_mix(6)} % 100000) / 250000.0, 6)::DOUBLE AS latitude,
          round(-0.51 + ({_mix(7)} % 100000) / 125000.0, 6)::DOUBLE AS longitude
        FROM range({rows}) t(i))
        TO '{temporary}' (FORMAT parquet, COMPRESSION zstd)"""  # noqa: S608 - our own SQL
    )
    connection.close()
    temporary.rename(path)


def load_postgres(path: Path, rows: int) -> float | None:
    """Load the rows into PostgreSQL unless the table already holds them; seconds taken."""
    import duckdb
    import psycopg

    with psycopg.connect(PG_URL, autocommit=True) as pg:
        marker = f"generator {GENERATOR}, {rows} rows"
        found = pg.execute(
            "SELECT obj_description(to_regclass(%s), 'pg_class')", [PG_TABLE]
        ).fetchone()
        if found and found[0] == marker:
            return None
        started = time.perf_counter()
        pg.execute("CREATE SCHEMA IF NOT EXISTS bench_catalogue_query")
        pg.execute(f"DROP TABLE IF EXISTS {PG_TABLE}")
        pg.execute(
            f"CREATE TABLE {PG_TABLE} (_id bigint PRIMARY KEY, id bigint, borough_code text, "
            "ward text, category text, amount double precision, date date, "
            "latitude double precision, longitude double precision)"
        )
        csv_path = path.with_suffix(".csv")
        duckdb.connect().execute(
            f"COPY (SELECT id AS _id, * FROM read_parquet('{path}')) "  # noqa: S608
            f"TO '{csv_path}' (HEADER false)"
        )
        load = f"COPY {PG_TABLE} FROM STDIN (FORMAT csv)"
        with pg.cursor() as cursor, cursor.copy(load) as copy, csv_path.open("rb") as source:
            while chunk := source.read(1024 * 1024):
                copy.write(chunk)
        csv_path.unlink()
        for column in ("borough_code", "amount", "date"):
            pg.execute(f"CREATE INDEX ON {PG_TABLE} ({column})")
        pg.execute(f"ANALYZE {PG_TABLE}")
        pg.execute(f"COMMENT ON TABLE {PG_TABLE} IS '{marker}'")
        return time.perf_counter() - started


def serve_resource(folder: Path, parquet: Path) -> str:
    """A published open dataset whose resource's ready version is the generated file (its
    Parquet and query copy linked into the storage folder; records made directly, not through
    the upload path). Returns the resource id."""
    from interborough.accounts.models import Organisation
    from interborough.catalogue import query, storage
    from interborough.catalogue.models import (
        Dataset,
        DatasetStatus,
        Resource,
        ResourceVersion,
        VersionStatus,
    )

    organisation = Organisation.objects.create(name="Bench Borough", slug="bench-borough")
    dataset = Dataset.objects.create(
        publisher=organisation,
        title="Ten million rows",
        slug="ten-million-rows",
        status=DatasetStatus.PUBLISHED,
    )
    resource = Resource.objects.create(dataset=dataset, name="Rows")
    version = ResourceVersion.objects.create(
        resource=resource,
        number=1,
        status=VersionStatus.READY,
        filename="data.parquet",
        format="parquet",
        sha256="0" * 64,
        size=parquet.stat().st_size,
        rows=query.file_rows(parquet),
        schema=SCHEMA,
        schema_confirmed=True,
    )
    Resource.objects.filter(pk=resource.pk).update(latest=version)
    target = storage.parquet_path(version)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.symlink_to(parquet)
    query.query_copy_path(target).symlink_to(query.query_copy_path(parquet))
    return str(resource.pk)


def http_timings(folder: Path, resource_id: str, repeats: int) -> dict[str, list[float]]:
    """The two cases through the records API on gunicorn (production settings, loopback)."""
    import subprocess
    import urllib.request

    from bench.run import free_port, wait_until_up
    from interborough.core.demo import demo_environment

    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(demo_environment(port=port))
    env["INTERBOROUGH_DATA_DIR"] = str(folder)
    base = f"http://127.0.0.1:{port}/api/v1/resources/{resource_id}/records"
    log = (folder / "gunicorn.log").open("wb")
    cli = [sys.executable, "-m", "interborough.cli", "serve"]
    server = subprocess.Popen(cli, env=env, cwd=ROOT, stdout=log, stderr=log)
    try:
        wait_until_up(f"http://127.0.0.1:{port}", server)

        def get(url: str) -> None:
            with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 - loopback
                if response.status != 200:
                    raise RuntimeError(f"{url} answered {response.status}")
                response.read()

        filtered = base + f"?borough_code={BOROUGH}&amount__gt={AMOUNT}&sort=-date"
        return {
            # Warm-up calls reach every worker (each opens its DuckDB connection once).
            "unfiltered": timed(lambda: get(base), repeats, warmup=10),
            "filtered": timed(lambda: get(filtered), repeats, warmup=10),
        }
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def timed(action: Callable[[], object], repeats: int, warmup: int = 1) -> list[float]:
    for _ in range(warmup):  # warm caches, as a serving process would be
        action()
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return times


def p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20, method="inclusive")[-1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--repeats", type=int, default=50)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-http", action="store_true", help="skip the gunicorn run")
    parser.add_argument("--no-write", action="store_true", help="do not write bench/results.md")
    args = parser.parse_args()
    from bench.common import setup_django

    site = Path(tempfile.mkdtemp(prefix="interborough-query-bench-"))
    setup_django(site)  # a throwaway SQLite site; cursors are signed with its key
    from interborough.catalogue import query

    load_before = load_average()
    CACHE.mkdir(parents=True, exist_ok=True)
    folder = CACHE / f"g{GENERATOR}-{args.rows}"
    folder.mkdir(exist_ok=True)
    parquet = folder / "data.parquet"
    notes = []
    if not parquet.exists():
        started = time.perf_counter()
        generate(parquet, args.rows)
        notes.append(f"generated in {time.perf_counter() - started:.1f} s")
    copy = query.query_copy_path(parquet)
    limits = query.Limits(seconds=60, threads=2)
    if not copy.exists():
        started = time.perf_counter()
        query.build_query_copy(parquet, limits)
        notes.append(f"query copy built in {time.perf_counter() - started:.1f} s")
    pg_load = None if args.no_postgres else load_postgres(parquet, args.rows)
    if pg_load is not None:
        notes.append(f"PostgreSQL loaded and indexed in {pg_load:.1f} s")

    unfiltered = query.parse_query([], SCHEMA, scope="bench")
    filtered = query.parse_query(FILTERED, SCHEMA, scope="bench")
    results: dict[str, dict[str, list[float]]] = {"unfiltered": {}, "filtered": {}}
    # The Parquet file alone: a link to it in a folder without the copy (the engine uses a
    # version's copy whenever one lies beside its Parquet file).
    alone = folder / "parquet-only" / parquet.name
    alone.parent.mkdir(exist_ok=True)
    if not alone.exists():
        alone.symlink_to(parquet)
    for name, parsed in (("unfiltered", unfiltered), ("filtered", filtered)):
        results[name]["engine, Parquet only"] = timed(
            lambda p=parsed: query.records_page(alone, p, limits), args.repeats
        )
    for name, parsed in (("unfiltered", unfiltered), ("filtered", filtered)):
        results[name]["engine, with the query copy"] = timed(
            lambda p=parsed: query.records_page(parquet, p, limits), args.repeats
        )
    total = query.records_page(parquet, filtered, limits).total
    if not args.no_postgres:
        import psycopg

        with psycopg.connect(PG_URL, autocommit=True) as pg:

            def run(statements: list[str], params: list[object]) -> None:
                for sql in statements:
                    pg.execute(sql, params).fetchall()

            results["unfiltered"]["PostgreSQL (CKAN DataStore)"] = timed(
                lambda: run(PG_UNFILTERED, []), args.repeats
            )
            results["filtered"]["PostgreSQL (CKAN DataStore)"] = timed(
                lambda: run(PG_FILTERED, [BOROUGH, AMOUNT]), args.repeats
            )

    if not args.no_http:
        resource_id = serve_resource(site, parquet)
        for name, times in http_timings(site, resource_id, args.repeats).items():
            results[name]["records API over HTTP (gunicorn, with the copy)"] = times
    import shutil

    shutil.rmtree(site, ignore_errors=True)
    aims = {"unfiltered": 100, "filtered": 300}
    titles = {
        "unfiltered": "Unfiltered first page of 100 + exact total",
        "filtered": f"borough_code = {BOROUGH} and amount > {AMOUNT}, newest first, 100 + total "
        f"({total:,} rows match)",
    }
    lines = [
        "## Query API on a 10M-row resource (issue 4)",
        "",
        f"Written by `bench/catalogue_query.py` on {datetime.now(UTC):%Y-%m-%d %H:%M UTC}.",
        "",
        f"- Machine: {machine()}; load average {load_before} when the run started",
        f"- Data: {args.rows:,} synthetic rows, 8 columns, generated straight to Parquet "
        f"({parquet.stat().st_size / 1e6:.0f} MB zstd), not through the upload path; "
        f"query copy {copy.stat().st_size / 1e6:.0f} MB"
        + (f"; {'; '.join(notes)}" if notes else ""),
        "- PostgreSQL: the same rows in one table, `_id` bigint primary key, btree indexes on "
        "borough_code, amount and date (the filter and sort columns); each case runs the page "
        "query and a count(*) as CKAN's datastore_search does",
        f"- {args.repeats} repeats of each case after one warm-up, one at a time; the engine "
        "in this process, the API through `interborough serve` (gunicorn, DEBUG off) on "
        "loopback with the JSON body read in full",
        "",
        "| Case | Engine | p50 | p95 | Aim (p95) |",
        "|---|---|---:|---:|---:|",
    ]
    for name, by_engine in results.items():
        for engine, times in by_engine.items():
            lines.append(
                f"| {titles[name]} | {engine} | {statistics.median(times):.1f} ms | "
                f"{p95(times):.1f} ms | {aims[name]} ms |"
            )
    text = "\n".join(lines)
    print(text)
    if not args.no_write:
        write_section("catalogue-query", text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
