"""Reading a JSON upload (a list of flat objects) or GeoJSON (a FeatureCollection: its
properties become columns, its geometry a GeoJSON text column)."""

import json
from pathlib import Path
from typing import Any

from interborough.catalogue.ingest_problems import IngestError
from interborough.catalogue.ingest_staging import (
    Staged,
    StagingWriter,
    clean_header,
)

GEOMETRY_TYPES = {
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
    "GeometryCollection",
}


def stage_json(path: Path, staging: Path, fmt: str, workdir: Path) -> Staged:
    try:
        document = json.loads(path.read_bytes())
    except json.JSONDecodeError as error:
        raise IngestError(
            f"This is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}."
        ) from None
    except RecursionError:
        raise IngestError(
            "This JSON is nested too deeply to be read as a table. Give a list of flat records."
        ) from None
    except (UnicodeDecodeError, ValueError):
        raise IngestError(
            "This is not valid JSON: it could not be decoded as UTF-8 text."
        ) from None
    if isinstance(document, dict) and document.get("type") == "FeatureCollection":
        return _stage_features(document, staging)
    if fmt == "geojson":
        raise IngestError(
            'GeoJSON uploads must be a FeatureCollection ("type": "FeatureCollection").'
        )
    if not isinstance(document, list):
        raise IngestError(
            "JSON uploads must be a list of objects, one per row: [{...}, {...}]. "
            "This file holds a single " + _json_kind(document) + "."
        )
    if not document:
        raise IngestError("The JSON list is empty: there are no rows.")
    for index, item in enumerate(document):
        if not isinstance(item, dict):
            raise IngestError(
                f"Item {index + 1} of the list is a {_json_kind(item)}, not an object. "
                "Each row must be an object."
            )
    staged = Staged(format="json", path=staging, columns=[])
    _stage_records(document, staged)
    return staged


def _stage_features(document: dict[str, Any], staging: Path) -> Staged:
    features = document.get("features")
    if not isinstance(features, list) or not features:
        raise IngestError("The FeatureCollection has no features.")
    records: list[dict[str, Any]] = []
    geometries: list[Any] = []
    staged = Staged(format="geojson", path=staging, columns=[])
    for index, feature in enumerate(features):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            raise IngestError(f"Item {index + 1} of the features list is not a Feature.")
        properties = feature.get("properties") or {}
        if not isinstance(properties, dict):
            raise IngestError(f"Feature {index + 1} has properties that are not an object.")
        geometry = feature.get("geometry")
        if geometry is not None and not _valid_geometry(geometry):
            staged.log.add(index + 2, "", "This feature's geometry is not valid GeoJSON.")
        records.append(properties)
        geometries.append(geometry)
    keys = _keys(records)
    geometry_column = "geometry"
    while geometry_column.casefold() in {key.casefold() for key in keys}:
        geometry_column = "_" + geometry_column
    staged.geometry_column = geometry_column
    rows = [
        {**record, geometry_column: geometry}
        for record, geometry in zip(records, geometries, strict=True)
    ]
    _stage_records(rows, staged, keys=[*keys, geometry_column])
    return staged


def _valid_geometry(geometry: Any) -> bool:
    if not isinstance(geometry, dict) or geometry.get("type") not in GEOMETRY_TYPES:
        return False
    if geometry["type"] == "GeometryCollection":
        return isinstance(geometry.get("geometries"), list)
    return isinstance(geometry.get("coordinates"), list)


def _keys(records: list[dict[str, Any]]) -> list[str]:
    keys: dict[str, None] = {}
    for record in records:
        for key in record:
            keys.setdefault(str(key), None)
    return list(keys)


def _stage_records(
    records: list[dict[str, Any]], staged: Staged, keys: list[str] | None = None
) -> None:
    keys = keys if keys is not None else _keys(records)
    staged.columns = clean_header(keys)
    writer = StagingWriter(staged.path, staged.columns)
    for index, record in enumerate(records):
        writer.add(index + 2, [_json_text(record.get(key)) for key in keys])
    writer.close()
    staged.rows = writer.rows


def _json_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    text = str(value)
    return text if text != "" else None


def _json_kind(value: Any) -> str:
    kinds = {dict: "object", list: "list", str: "string", bool: "true/false value"}
    return kinds.get(type(value), "number" if isinstance(value, int | float) else "null")
