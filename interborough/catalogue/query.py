"""Records queries over one version's Parquet file with DuckDB (pure: no Django models here).

`parse_query` (query_params.py) turns request parameters into a checked `RecordQuery`;
`records_page` runs it for one page with its exact total; `open_rows` streams every matching
row for downloads; `copy_parquet` writes them as Parquet. Each query has a strict time limit:
a timer thread interrupts DuckDB when it passes and `QueryTimeout` says to narrow the query.
Memory is capped as in ingest, spilling to a temporary folder.

Speed: each thread keeps one DuckDB connection (with Parquet metadata cached), counts without
filters come from the Parquet footer, and a page in row order stops reading once it has its
rows. A large version can also have a *query copy*: the same rows in a DuckDB database beside
the Parquet file (`build_query_copy`), which filters and sorts several times faster than
zstd Parquet (measured: bench/catalogue_query.py); when it
exists every query uses it. Versions never change once ready, so nothing cached can go stale.
"""

import hashlib
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.parquet as pq

from interborough.catalogue.query_params import (
    Column,
    QueryError,
    RecordQuery,
    columns_of,
    parse_query,
)
from interborough.catalogue.query_sql import (
    COPY_TABLE,
    Source,
    count_sql,
    literal,
    page_sql,
    row_alias,
    rows_sql,
)

__all__ = [
    "Column",
    "Limits",
    "Page",
    "QueryError",
    "QueryTimeout",
    "RecordQuery",
    "RowStream",
    "build_query_copy",
    "columns_of",
    "copy_parquet",
    "discard_connection",
    "open_rows",
    "parse_query",
    "records_page",
    "source_of",
    "thread_connection",
    "time_limit",
]

TIMEOUT_MESSAGE = (
    "The query took longer than {seconds:g} seconds and was stopped. Narrow it: filter on more "
    "fields, ask for fewer rows, or sort by fewer fields."
)
STREAM_BATCH = 5_000


class QueryTimeout(Exception):
    """The query passed its time limit and was interrupted."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.message = TIMEOUT_MESSAGE.format(seconds=seconds)
        super().__init__(self.message)


@dataclass(frozen=True)
class Limits:
    """What one query may use: seconds before it is stopped, memory, threads, spill folder."""

    seconds: float = 5.0
    memory: str = "512MB"
    threads: int = 2
    temp_directory: str = ""


@dataclass(frozen=True)
class Page:
    fields: tuple[Column, ...]
    rows: list[tuple[Any, ...]]
    total: int
    next: str | None  # the `after` cursor of the following page; None on the last page


# --- connections and the time limit ---------------------------------------------------------

_local = threading.local()


def _connect(limits: Limits) -> duckdb.DuckDBPyConnection:
    config: dict[str, Any] = {"memory_limit": limits.memory, "threads": limits.threads}
    if limits.temp_directory:
        Path(limits.temp_directory).mkdir(parents=True, exist_ok=True)
        config["temp_directory"] = limits.temp_directory
    connection = duckdb.connect(":memory:", config=config)
    connection.execute("SET TimeZone = 'UTC'")
    connection.execute("SET parquet_metadata_cache = true")
    # DuckDB 2.0's late materialisation fails (an internal error) on a Parquet top-N whose
    # filter is `<sort column> IS NULL`, as a cursor past the NULLs gives; it does not speed
    # our pages up (measured), so it is off.
    connection.execute("SET late_materialization_max_rows = 0")
    # Queries read only the files we name: no other files, no extensions, no network.
    connection.execute("SET autoinstall_known_extensions = false")
    connection.execute("SET autoload_known_extensions = false")
    return connection


def thread_connection(limits: Limits) -> duckdb.DuckDBPyConnection:
    """This thread's connection for these limits (made on first use)."""
    pool: dict[Limits, duckdb.DuckDBPyConnection] = _local.__dict__.setdefault("pool", {})
    if limits not in pool:
        pool[limits] = _connect(limits)
    return pool[limits]


def discard_connection(limits: Limits) -> None:
    pool: dict[Limits, duckdb.DuckDBPyConnection] = _local.__dict__.get("pool", {})
    connection = pool.pop(limits, None)
    if connection is not None:
        connection.close()


class _Deadline:
    """Interrupts a connection's running query when the time limit passes."""

    def __init__(self, connection: duckdb.DuckDBPyConnection, seconds: float) -> None:
        self.connection = connection
        self.seconds = seconds
        self.lock = threading.Lock()
        self.active = True
        self.fired = False
        self.timer = threading.Timer(seconds, self._fire)
        self.timer.daemon = True

    def _fire(self) -> None:
        with self.lock:
            if self.active:
                self.fired = True
                self.connection.interrupt()

    def start(self) -> None:
        self.timer.start()

    def stop(self) -> bool:
        """Stop watching; True if the timer interrupted the connection."""
        with self.lock:
            self.active = False
        self.timer.cancel()
        return self.fired


@contextmanager
def time_limit(connection: duckdb.DuckDBPyConnection, seconds: float) -> Iterator[_Deadline]:
    """Raise QueryTimeout if the work inside passes `seconds`: interrupted mid-query, or the
    limit passed as it ended (the interrupt may then still be pending: drop the connection)."""
    deadline = _Deadline(connection, seconds)
    deadline.start()
    try:
        yield deadline
    except duckdb.InterruptException:
        raise QueryTimeout(seconds) from None
    finally:
        fired = deadline.stop()
    if fired:
        raise QueryTimeout(seconds)


# --- where the rows are read from -----------------------------------------------------------


def query_copy_path(parquet: Path) -> Path:
    return parquet.with_name(parquet.stem + ".duckdb")


def build_query_copy(parquet: Path, limits: Limits) -> Path:
    """Write the version's query copy beside its Parquet file (atomically) and return it."""
    dest = query_copy_path(parquet)
    temporary = dest.with_name(dest.name + ".tmp")
    temporary.unlink(missing_ok=True)
    names = tuple(Column(name, "any") for name in pq.read_schema(str(parquet)).names)
    source = Source.of(parquet, names)
    config: dict[str, Any] = {"memory_limit": limits.memory, "threads": limits.threads}
    if limits.temp_directory:
        config["temp_directory"] = limits.temp_directory
    connection = duckdb.connect(str(temporary), config=config)
    try:
        connection.execute(
            f"CREATE TABLE {COPY_TABLE} AS SELECT *, {source.row} AS {row_alias(names)} "  # noqa: S608
            f"FROM {source.relation}"
        )
        connection.execute("CHECKPOINT")
    finally:
        connection.close()
    os.replace(temporary, dest)
    return dest


def source_of(connection: duckdb.DuckDBPyConnection, path: Path, query: RecordQuery) -> Source:
    """The query copy when the version has one, otherwise the Parquet file."""
    copy = query_copy_path(path)
    if not copy.exists():
        return Source.of(path, query.columns)
    name = "copy_" + hashlib.sha256(str(copy).encode()).hexdigest()[:20]
    connection.execute(f"ATTACH IF NOT EXISTS {literal(str(copy))} AS {name} (READ_ONLY)")
    return Source.attached(name, query.columns)


# --- pages ------------------------------------------------------------------------------------


@lru_cache(maxsize=512)
def _file_rows(path: str, mtime_ns: int, size: int) -> int:
    return int(pq.read_metadata(path).num_rows)


def file_rows(path: Path) -> int:
    """Rows in a Parquet file, from its footer (cached: versions never change)."""
    stat = path.stat()
    return _file_rows(str(path), stat.st_mtime_ns, stat.st_size)


def records_page(path: Path, query: RecordQuery, limits: Limits) -> Page:
    """One page of records with the exact total of rows matching the filters."""
    connection = thread_connection(limits)
    try:
        source = source_of(connection, path, query)
        with time_limit(connection, limits.seconds):
            if query.filtered:
                count = count_sql(query, source)
                total = int(connection.execute(count.sql, count.params).fetchall()[0][0])
            else:
                total = file_rows(path)
            page = page_sql(query, source)
            rows = connection.execute(page.sql, page.params).fetchall()
    except QueryTimeout:
        discard_connection(limits)
        raise
    except duckdb.Error:
        discard_connection(limits)
        raise
    width = len(query.fields)
    following = None
    if rows and query.limit and len(rows) == query.limit:
        last = rows[-1]
        following = query.cursor_after(tuple(last[width:-1]), int(last[-1]))
    return Page(query.fields, [row[:width] for row in rows], total, following)


# --- downloads --------------------------------------------------------------------------------


class RowStream:
    """Every row a query matches, fetched in batches; `close()` frees its connection.

    The time limit covers the query up to its first batch (filtering and sorting happen
    there), so a query that is too slow fails before any response is sent.
    """

    def __init__(self, path: Path, query: RecordQuery, limits: Limits) -> None:
        self.fields = query.fields
        self.connection = _connect(limits)
        try:
            statement = rows_sql(query, source_of(self.connection, path, query))
            with time_limit(self.connection, limits.seconds):
                self.connection.execute(statement.sql, statement.params)
                self.first = self.connection.fetchmany(STREAM_BATCH)
        except BaseException:
            self.connection.close()
            raise

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        try:
            batch = self.first
            while batch:
                yield from batch
                batch = self.connection.fetchmany(STREAM_BATCH)
        finally:
            self.close()

    def close(self) -> None:
        self.connection.close()


def open_rows(path: Path, query: RecordQuery, limits: Limits) -> RowStream:
    """Stream the rows of a query (no page limit unless the query sets one)."""
    return RowStream(path, query, limits)


def count_rows(path: Path, query: RecordQuery, limits: Limits) -> int:
    """How many rows match the query's filters."""
    if not query.filtered:
        return file_rows(path)
    connection = thread_connection(limits)
    try:
        statement = count_sql(query, source_of(connection, path, query))
        with time_limit(connection, limits.seconds):
            total = int(connection.execute(statement.sql, statement.params).fetchall()[0][0])
    except (QueryTimeout, duckdb.Error):
        discard_connection(limits)
        raise
    return total


def copy_parquet(path: Path, query: RecordQuery, limits: Limits, dest: Path) -> None:
    """Write the query's rows to dest as Parquet (zstd), within the time limit."""
    connection = _connect(limits)
    try:
        statement = rows_sql(query, source_of(connection, path, query))
        with time_limit(connection, limits.seconds):
            target = literal(str(dest))
            connection.execute(
                f"COPY ({statement.sql}) TO {target} (FORMAT parquet, COMPRESSION zstd)",
                statement.params,
            )
    finally:
        connection.close()
