"""The download writers (downloads_formats.py): formula-safe CSV and XLSX, JSON, GeoJSON."""

import csv
import datetime as dt
import io
import json

import openpyxl

from interborough.catalogue.downloads_formats import (
    csv_chunks,
    geojson_chunks,
    geometry_of,
    json_chunks,
    write_xlsx,
)
from interborough.catalogue.query_params import Column

FIELDS = (
    Column("name", "string"),
    Column("n", "number"),
    Column("on", "date"),
    Column("ok", "boolean"),
)
ROWS = [("=1+1", -2.5, dt.date(2024, 3, 1), True), ("@SUM(A1)", float("nan"), None, False)]


def test_csv_neutralises_formulas_and_keeps_numbers():
    text = "".join(csv_chunks(FIELDS, ROWS)).lstrip("\ufeff")

    assert list(csv.reader(io.StringIO(text))) == [
        ["name", "n", "on", "ok"],
        ["'=1+1", "-2.5", "2024-03-01", "true"],
        ["'@SUM(A1)", "", "", "false"],
    ]


def test_json_is_valid_with_nan_as_null():
    data = json.loads("".join(json_chunks(FIELDS, ROWS)))

    assert data[1] == {"name": "@SUM(A1)", "n": None, "on": None, "ok": False}


def test_xlsx_strings_are_not_formulas(tmp_path):
    dest = tmp_path / "x.xlsx"

    write_xlsx(FIELDS, [("=cmd|' /C calc'!A0\x07", 3, None, True)], dest, "A [bad]: title?")

    sheet = openpyxl.load_workbook(dest).active
    assert sheet.title == "A bad title"
    assert sheet["A2"].data_type == "s"
    assert sheet["A2"].value == "'=cmd|' /C calc'!A0"
    assert sheet["B2"].value == 3


def test_geometry_found_by_latitude_longitude_names_or_geojson_column():
    lat_lon = [Column("Lat", "number"), Column("lng", "number"), Column("x", "string")]

    assert geometry_of(lat_lon).latitude.name == "Lat"
    assert geometry_of([Column("geometry", "geojson")]).geojson.name == "geometry"
    assert geometry_of([Column("lat", "string"), Column("lon", "number")]) is None


def test_geojson_points_and_missing_coordinates():
    fields = (Column("ward", "string"), Column("latitude", "number"), Column("longitude", "number"))
    geometry = geometry_of(fields)

    data = json.loads(
        "".join(geojson_chunks(fields, [("A", 51.5, -0.1), ("B", None, 0.2)], geometry))
    )

    assert data["features"][0]["geometry"] == {"type": "Point", "coordinates": [-0.1, 51.5]}
    assert data["features"][0]["properties"] == {"ward": "A"}
    assert data["features"][1]["geometry"] is None
