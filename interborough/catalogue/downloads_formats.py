"""Writers for filtered downloads and API records (pure): CSV, JSON, GeoJSON and XLSX.

Every writer takes the projected columns and an iterable of row tuples and streams its output
(XLSX is written to a file first: the format is a zip). Text that a spreadsheet would run as a
formula is neutralised in CSV and XLSX (core/csv_export.safe_cell); JSON keeps values as they are.
"""

import datetime as dt
import json
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from interborough.catalogue.query_params import Column
from interborough.core.csv_export import csv_lines, safe_cell

LATITUDE_NAMES = frozenset({"latitude", "lat"})
LONGITUDE_NAMES = frozenset({"longitude", "lon", "lng", "long"})
XLSX_MAX_ROWS = 1_048_575  # a sheet's rows, less the header
XLSX_MAX_CELL = 32_767
JSON_BATCH = 500


def plain(value: Any) -> Any:
    """A value as JSON has it: ISO dates, None for NaN and infinities."""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def record_objects(fields: tuple[Column, ...], rows: Iterable[tuple[Any, ...]]) -> list[dict]:
    names = [c.name for c in fields]
    return [dict(zip(names, map(plain, row), strict=True)) for row in rows]


def record_lists(rows: Iterable[tuple[Any, ...]]) -> list[list[Any]]:
    return [[plain(v) for v in row] for row in rows]


def _csv_value(value: Any) -> Any:
    """Booleans as true/false (as uploads write them) and ISO dates, before safe_cell."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return plain(value)


def csv_chunks(
    fields: tuple[Column, ...], rows: Iterable[tuple[Any, ...]], *, header: bool = True
) -> Iterator[str]:
    """CSV text with every cell formula-safe; a BOM and header row first unless header=False."""
    lines = csv_lines([c.name for c in fields], ([_csv_value(v) for v in row] for row in rows))
    if not header:
        next(lines)
    yield from lines


def json_chunks(fields: tuple[Column, ...], rows: Iterable[tuple[Any, ...]]) -> Iterator[str]:
    """A JSON array of objects, streamed a batch at a time."""
    names = [c.name for c in fields]
    yield "["
    first = True
    batch: list[str] = []
    for row in rows:
        item = json.dumps(dict(zip(names, map(plain, row), strict=True)), ensure_ascii=False)
        batch.append(item if first else "," + item)
        first = False
        if len(batch) >= JSON_BATCH:
            yield "\n".join(batch)
            batch = []
    if batch:
        yield "\n".join(batch)
    yield "]\n"


@dataclass(frozen=True)
class Geometry:
    """Where a table keeps its places: a GeoJSON column, or latitude and longitude columns."""

    geojson: Column | None = None
    latitude: Column | None = None
    longitude: Column | None = None


def geometry_of(columns: Iterable[Column]) -> Geometry | None:
    """The table's geometry, if it has one (a GeoJSON upload's column wins)."""
    columns = list(columns)
    for column in columns:
        if column.type == "geojson":
            return Geometry(geojson=column)
    numeric = [c for c in columns if c.type in {"number", "integer"}]
    latitude = next((c for c in numeric if c.name.casefold() in LATITUDE_NAMES), None)
    longitude = next((c for c in numeric if c.name.casefold() in LONGITUDE_NAMES), None)
    if latitude and longitude:
        return Geometry(latitude=latitude, longitude=longitude)
    return None


def geojson_chunks(
    fields: tuple[Column, ...], rows: Iterable[tuple[Any, ...]], geometry: Geometry
) -> Iterator[str]:
    """A GeoJSON FeatureCollection: one Feature per row, the other fields as properties.

    `fields` must include the geometry's columns (downloads add them to the projection).
    """
    index = {c.name: i for i, c in enumerate(fields)}
    place = {
        c.name for c in (geometry.geojson, geometry.latitude, geometry.longitude) if c is not None
    }
    shown = [(c.name, i) for i, c in enumerate(fields) if c.name not in place]
    yield '{"type": "FeatureCollection", "features": ['
    first = True
    for row in rows:
        feature = {
            "type": "Feature",
            "geometry": _geometry(row, index, geometry),
            "properties": {name: plain(row[i]) for name, i in shown},
        }
        yield ("" if first else ",\n") + json.dumps(feature, ensure_ascii=False)
        first = False
    yield "]}\n"


def _geometry(row: tuple[Any, ...], index: dict[str, int], geometry: Geometry) -> Any:
    if geometry.geojson is not None:
        text = row[index[geometry.geojson.name]]
        try:
            return json.loads(text) if text else None
        except ValueError:
            return None  # ingest checked it; an unreadable one is left out, not guessed
    if geometry.latitude is None or geometry.longitude is None:
        return None
    lat, lon = row[index[geometry.latitude.name]], row[index[geometry.longitude.name]]
    if lat is None or lon is None or not (math.isfinite(lat) and math.isfinite(lon)):
        return None
    return {"type": "Point", "coordinates": [lon, lat]}


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, bool | int | float | dt.date | dt.datetime):
        if isinstance(value, float) and not math.isfinite(value):
            return None
        return value
    if value is None:
        return None
    text = ILLEGAL_CHARACTERS_RE.sub("", safe_cell(value))
    return text[:XLSX_MAX_CELL]


def write_xlsx(
    fields: tuple[Column, ...], rows: Iterable[tuple[Any, ...]], dest: Path, title: str
) -> None:
    """An XLSX workbook of one sheet (openpyxl's write-only mode keeps memory flat)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(title))
    sheet.append([_xlsx_value(c.name) for c in fields])
    for row in rows:
        sheet.append([_xlsx_value(v) for v in row])
    workbook.save(str(dest))


def _sheet_title(title: str) -> str:
    clean = "".join(ch for ch in title if ch not in "[]:*?/\\").strip()
    return clean[:31] or "data"
