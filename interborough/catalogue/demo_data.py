"""The data store demo's data: small synthetic tables generated at load time (no downloads).

Every table comes from a seeded random.Random, so each run gives the same values. Points fall
inside the real (simplified) borough boundaries; LSOA codes are synthetic but stable (the same
code names the same area in every dataset, so tables join). A generator is told which version
of its dataset it makes: later versions add a period (rows added), revise the provisional
figures of the one before (rows removed and added) and may add a column.

No Django here: the loader passes the boroughs in.
"""

import csv
import io
import json
import math
import random
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any, NamedTuple


class Place(NamedTuple):
    """A borough: its GSS code, name and outer boundary ring of (longitude, latitude)."""

    code: str
    name: str
    ring: list[tuple[float, float]]


class Table(NamedTuple):
    header: list[str]
    rows: list[list[Any]]
    geometries: list[dict[str, Any]] | None = None  # GeoJSON geometries, one per row


class Request(NamedTuple):
    """What a generator is asked for."""

    seed: str  # the same for every version of a dataset, so versions share their rows
    places: Sequence[Place]  # the boroughs the dataset covers
    version: int  # 1-based
    versions: int
    params: dict[str, Any]


def _rng(req: Request, *parts: object) -> random.Random:
    """A generator of its own for one part of a table, so a longer version keeps the rows
    of a shorter one."""
    return random.Random(":".join([req.seed, *map(str, parts)]))  # noqa: S311 - demo data


def places_from_features(features: Sequence[dict[str, Any]]) -> list[Place]:
    """Places from the boundary GeoJSON features (properties code and name, Polygon)."""
    return [
        Place(
            code=f["properties"]["code"],
            name=f["properties"]["name"],
            ring=[(float(x), float(y)) for x, y in f["geometry"]["coordinates"][0]],
        )
        for f in features
    ]


def _inside(ring: list[tuple[float, float]], x: float, y: float) -> bool:
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def point_in(place: Place, rng: random.Random) -> tuple[float, float]:
    """A random (latitude, longitude) inside the borough, to 5 decimal places (about 1 m)."""
    xs = [x for x, _ in place.ring]
    ys = [y for _, y in place.ring]
    for _ in range(1000):
        x, y = rng.uniform(min(xs), max(xs)), rng.uniform(min(ys), max(ys))
        if _inside(place.ring, x, y):
            return round(y, 5), round(x, 5)
    return round(sum(ys) / len(ys), 5), round(sum(xs) / len(xs), 5)


def lsoas(place: Place, index: int) -> list[tuple[str, str]]:
    """The borough's synthetic LSOAs: (code, name), the same on every call."""
    count = 24 + (index * 7) % 17
    return [
        (f"E01{index * 150 + i + 1:06d}", f"{place.name} {i // 4 + 1:03d}{'ABCD'[i % 4]}")
        for i in range(count)
    ]


def _periods(kind: str, count: int, end: date) -> list[str]:
    if kind == "year":
        return [str(end.year - count + i) for i in range(count)]
    if kind == "month":
        months = [(end.year * 12 + end.month - 1) - count + 1 + i for i in range(count)]
        return [f"{m // 12}-{m % 12 + 1:02d}" for m in months]
    quarters = [(end.year * 4 + (end.month - 1) // 3) - count + 1 + i for i in range(count)]
    return [f"{q // 4}-Q{q % 4 + 1}" for q in quarters]


DATA_END = date(2025, 9, 30)


def borough_series(req: Request) -> Table:
    """A measure for each borough and period; later versions add a period and revise the last."""
    p = req.params
    total = p.get("periods", 8)
    count = total - (req.versions - req.version)  # each later version adds the next period
    periods = _periods(p.get("period", "quarter"), total, DATA_END)[:count]
    measures: list[tuple[str, float, float, int]] = p["measures"]
    added = p.get("adds") if req.version >= req.versions and req.versions > 1 else None
    header = ["borough_code", "borough_name", p.get("period", "quarter"), *[m[0] for m in measures]]
    if added:
        header.append(added)
    rows = []
    for place in req.places:
        rng = _rng(req, place.code)
        bases = [rng.uniform(lo, hi) for _, lo, hi, _ in measures]
        for index, period in enumerate(periods):
            values: list[Any] = []
            for (_, _, _, decimals), base in zip(measures, bases, strict=True):
                drift = 1 + 0.04 * index + rng.uniform(-0.12, 0.12)
                if index == count - 1:
                    drift *= 1.03  # the latest figures are provisional, revised next release
                values.append(_rounded(base * drift, decimals))
            row = [place.code, place.name, period, *values]
            if added:
                row.append(_rounded(values[0] / max(bases[0], 1) * 100, 1))
            rows.append(row)
    return Table(header, rows)


def _rounded(value: float, decimals: int) -> float | int:
    return round(value) if decimals == 0 else round(value, decimals)


def lsoa_table(req: Request) -> Table:
    """A count and a rate for each LSOA of the covered boroughs (with its borough code)."""
    p = req.params
    header = ["lsoa_code", "lsoa_name", "borough_code", p["total"], p["count"], p["rate"]]
    rows = []
    rng = _rng(req)
    for place in req.places:
        for code, name in lsoas(place, int(place.code[-3:]) - 1):
            total = rng.randint(550, 950)
            share = min(0.6, max(0.01, rng.gauss(p.get("mean", 0.12), p.get("sd", 0.04))))
            count = int(total * share)
            rows.append([code, name, place.code, total, count, round(100 * count / total, 1)])
    return Table(header, rows)


TREES = (
    "London plane", "Common lime", "Norway maple", "Silver birch", "Wild cherry", "Hornbeam",
    "Sweetgum", "Rowan", "Field maple", "Maidenhair tree", "Callery pear",
)  # fmt: skip
OPERATORS = ("Kerbside Charge", "VoltStreet", "Lamppost Power", "RapidCharge London")
DIRECTIONS = ("Central", "North", "South", "East", "West", "Park", "Green", "Hill", "Road")
SITE_TYPES = ("Roadside", "Kerbside", "Urban background", "Suburban", "Industrial")


def _tree(rng: random.Random, i: int, place: Place) -> list[Any]:
    return [f"T{int(place.code[-3:]):02d}{i:05d}", rng.choice(TREES), rng.randint(2, 28),
            rng.randint(1960, 2025), rng.choice(["Good", "Fair", "Fair", "Poor"])]  # fmt: skip


def _charger(rng: random.Random, i: int, place: Place) -> list[Any]:
    power = rng.choice([5.5, 7, 7, 22, 50, 150])
    connector = "Type 2" if power < 50 else rng.choice(["CCS", "CCS", "CHAdeMO"])
    return [f"CP-{place.code[-3:]}-{i:04d}", rng.choice(OPERATORS), connector, power,
            rng.choice(["Lamp column", "Kerbside", "Car park", "Petrol station"])]  # fmt: skip


def _library(rng: random.Random, i: int, place: Place) -> list[Any]:
    name = f"{place.name} {DIRECTIONS[i % len(DIRECTIONS)]} Library"
    management = rng.choice(["Council run", "Council run", "Community managed"])
    return [name, management, rng.randint(28, 60), rng.choice(["yes", "no"]),
            rng.randint(8_000, 160_000)]  # fmt: skip


def _monitor(rng: random.Random, i: int, place: Place) -> list[Any]:
    opened = date(1995, 1, 1) + timedelta(days=rng.randint(0, 10_500))
    return [f"{place.name[:2].upper()}{i + 1}", f"{place.name} {rng.choice(DIRECTIONS)} site",
            rng.choice(SITE_TYPES), rng.choice(["NO2", "NO2;PM10", "NO2;PM2.5;PM10", "PM2.5"]),
            opened.isoformat()]  # fmt: skip


def _building(rng: random.Random, i: int, place: Place) -> list[Any]:
    inspected = DATA_END - timedelta(days=rng.randint(10, 900))
    return [f"{place.name} residential block {i + 1}", rng.randint(7, 32),
            rng.choice(["yes", "no", "not needed"]), inspected.isoformat()]  # fmt: skip


def _simple(columns: tuple[str, ...]) -> Callable[[random.Random, int, Place], list[Any]]:
    def row(rng: random.Random, i: int, place: Place) -> list[Any]:
        return [f"{place.name} {columns[0]} {i + 1}", rng.choice(columns[1:])]

    return row


POINT_KINDS: dict[str, tuple[list[str], Callable[[random.Random, int, Place], list[Any]]]] = {
    "tree": (["tree_id", "species", "height_m", "planted_year", "condition"], _tree),
    "charger": (["chargepoint_id", "operator", "connector", "power_kw", "location_type"], _charger),
    "library": (
        ["name", "management", "opening_hours_per_week", "wifi", "visits_last_year"],
        _library,
    ),
    "monitor": (["site_code", "site_name", "site_type", "pollutants", "opened"], _monitor),
    "defibrillator": (
        ["location", "access"],
        _simple(("defibrillator", "24 hours", "Opening hours")),
    ),
    "toilet": (["name", "accessible"], _simple(("public toilet", "yes", "yes", "no"))),
    "hangar": (["name", "status"], _simple(("cycle hangar", "Installed", "Waiting list"))),
    "streetlight": (["column", "lamp"], _simple(("lamp column", "LED", "LED", "Sodium"))),
    "grit_bin": (["name", "filled"], _simple(("grit bin", "yes", "yes", "no"))),
    "building": (["building", "storeys", "cladding_remediated", "last_inspected"], _building),
}


def points(req: Request) -> Table:
    """Things on the map (a table with latitude and longitude, or GeoJSON points)."""
    columns, make = POINT_KINDS[req.params["kind"]]
    per_place = req.params.get("per_place", 40)
    rows: list[list[Any]] = []
    for place in req.places:
        rng = _rng(req, place.code)
        for i in range(per_place + 5 * (req.version - 1)):
            row = make(rng, i, place)
            latitude, longitude = point_in(place, rng)
            if req.version > 1 and i % 17 == 3:
                continue  # removed since the first version (felled, decommissioned, closed)
            rows.append([*row, latitude, longitude, place.code])
    header = [*columns, "latitude", "longitude", "borough_code"]
    if req.params.get("geojson"):
        geometries = [{"type": "Point", "coordinates": [r[-2], r[-3]]} for r in rows]
        return Table([*columns, "borough_code"], [r[:-3] + r[-1:] for r in rows], geometries)
    return Table(header, rows)


def _hexagon(latitude: float, longitude: float, size: float) -> dict[str, Any]:
    scale = 1 / math.cos(math.radians(latitude))
    ring = [
        [round(longitude + size * scale * math.cos(math.radians(a)), 5),
         round(latitude + size * math.sin(math.radians(a)), 5)]
        for a in range(0, 360, 60)
    ]  # fmt: skip
    return {"type": "Polygon", "coordinates": [ring + ring[:1]]}


def areas(req: Request) -> Table:
    """Simple polygons (zones, areas) inside the covered boroughs, as GeoJSON."""
    label = req.params["label"]
    rows, geometries = [], []
    rng = _rng(req)
    for place in req.places:
        for i in range(req.params.get("per_place", 12)):
            latitude, longitude = point_in(place, rng)
            geometries.append(_hexagon(latitude, longitude, rng.uniform(0.002, 0.006)))
            rows.append([f"{place.name[:3].upper()}-{i + 1:02d}", f"{place.name} {label} {i + 1}",
                         place.code, (DATA_END - timedelta(days=rng.randint(90, 7000)))
                         .isoformat()])  # fmt: skip
    return Table(["zone_code", "name", "borough_code", "designated"], rows, geometries)


def boundaries(req: Request) -> Table:
    """The borough boundaries themselves (simplified), with a measure to colour them by."""
    rows, geometries = [], []
    rng = _rng(req)
    for place in req.places:
        rows.append([place.code, place.name, rng.randint(800, 4_000)])
        geometries.append({"type": "Polygon", "coordinates": [[list(p) for p in place.ring]]})
    return Table(["borough_code", "borough_name", "hectares_green_space"], rows, geometries)


def daily_readings(req: Request) -> Table:
    """Daily means at monitoring sites (for JSON uploads)."""
    rows = []
    rng = _rng(req)
    for place in req.places:
        site = f"{place.name[:2].upper()}1"
        level = rng.uniform(18, 45)
        for day in range(req.params.get("days", 28)):
            when = DATA_END - timedelta(days=day)
            rows.append([site, place.code, when.isoformat(),
                         round(level * rng.uniform(0.6, 1.4), 1),
                         round(level / 3 * rng.uniform(0.5, 1.5), 1)])  # fmt: skip
    return Table(["site_code", "borough_code", "date", "no2_ugm3", "pm25_ugm3"], rows)


def cases(req: Request) -> Table:
    """Pseudonymised case records (restricted demo data): one row per synthetic case."""
    outcomes: Sequence[str] = req.params["outcomes"]
    rows = []
    rng = _rng(req)
    for _ in range(req.params.get("rows", 600)):
        place = rng.choice(list(req.places))
        opened = DATA_END - timedelta(days=rng.randint(0, 720))
        reference = f"{req.params['prefix']}-{rng.getrandbits(40):010x}"
        rows.append([reference, place.code, opened.isoformat(), rng.choice(outcomes),
                     rng.randint(1, 6), rng.choice(["yes", "no", "no"])])  # fmt: skip
    header = ["case_reference", "borough_code", "opened", "outcome", "household_size",
              "priority_need"]  # fmt: skip
    return Table(header, rows)


GENERATORS: dict[str, Callable[[Request], Table]] = {
    "borough_series": borough_series,
    "lsoa": lsoa_table,
    "points": points,
    "areas": areas,
    "boundaries": boundaries,
    "daily_readings": daily_readings,
    "cases": cases,
}


def to_csv(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(table.header)
    writer.writerows(table.rows)
    return out.getvalue().encode("utf-8")


def to_xlsx(table: Table) -> bytes:
    import openpyxl  # only a few demo datasets are workbooks

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Data")
    sheet.append(table.header)
    for row in table.rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def to_json(table: Table) -> bytes:
    records = [dict(zip(table.header, row, strict=True)) for row in table.rows]
    return json.dumps(records, ensure_ascii=False).encode("utf-8")


def to_geojson(table: Table) -> bytes:
    features = [
        {"type": "Feature", "properties": dict(zip(table.header, row, strict=True)),
         "geometry": geometry}
        for row, geometry in zip(table.rows, table.geometries or [], strict=True)
    ]  # fmt: skip
    return json.dumps({"type": "FeatureCollection", "features": features}).encode("utf-8")


WRITERS: dict[str, Callable[[Table], bytes]] = {
    "csv": to_csv,
    "xlsx": to_xlsx,
    "json": to_json,
    "geojson": to_geojson,
}
