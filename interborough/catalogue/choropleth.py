"""The borough choropleth drawn on the server (pure): London's boundaries as SVG paths, each
shaded by its borough's figure, with a legend of the shade classes.

Boundaries come as a GeoJSON FeatureCollection whose features carry `code` (GSS) and `name`
(accounts' borough_feature_collection). They are projected with a flat projection (longitude
scaled by the cosine of London's latitude: at city scale the error is invisible) and points
closer than half a unit to the one before are dropped, which keeps the SVG small. The drawing
needs no JavaScript and no tiles; the page puts a table of the same figures beside it.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from interborough.catalogue.charts import format_number

# Light to dark GOV.UK blues, as the projects map; no figure is a pale grey so "none" reads so.
SHADES = ("#d2e2f1", "#9dc0e4", "#5694ca", "#1d70b8", "#0b3a6e")
NO_DATA = "#f3f2f1"
LONDON_LATITUDE = 51.5
MIN_STEP = 0.5  # SVG units: finer detail than this is not drawn


@dataclass(frozen=True)
class Shape:
    code: str
    name: str
    path: str  # SVG path data


@dataclass(frozen=True)
class Outline:
    width: int
    height: int
    shapes: list[Shape]


@dataclass(frozen=True)
class ShadeClass:
    low: float
    high: float
    colour: str

    @property
    def label(self) -> str:
        if self.low == self.high:
            return format_number(self.low)
        return f"{format_number(self.low)} to {format_number(self.high)}"


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    path: str
    value: float | int | None
    colour: str

    @property
    def title(self) -> str:
        return f"{self.name}: {format_number(self.value)}"


def _rings(geometry: dict[str, Any]) -> Iterable[list[list[float]]]:
    kind, coordinates = geometry.get("type"), geometry.get("coordinates") or []
    if kind == "Polygon":
        yield from coordinates
    elif kind == "MultiPolygon":
        for polygon in coordinates:
            yield from polygon


def outline(collection: dict[str, Any], width: int = 600) -> Outline:
    """The features of a boundary collection as SVG paths fitted to `width`."""
    features = [
        f
        for f in collection.get("features", [])
        if isinstance(f, dict) and isinstance(f.get("geometry"), dict)
    ]
    squash = math.cos(math.radians(LONDON_LATITUDE))
    points = [
        (lon * squash, -lat)
        for f in features
        for ring in _rings(f["geometry"])
        for lon, lat, *_ in ring
    ]
    if not points:
        return Outline(width, 0, [])
    left, top = min(x for x, _ in points), min(y for _, y in points)
    span_x = max(x for x, _ in points) - left or 1.0
    span_y = max(y for _, y in points) - top or 1.0
    scale = width / span_x
    shapes = []
    for feature in features:
        parts = []
        for ring in _rings(feature["geometry"]):
            projected = [
                ((lon * squash - left) * scale, (-lat - top) * scale) for lon, lat, *_ in ring
            ]
            parts.append(_ring_path(projected))
        properties = feature.get("properties") or {}
        shapes.append(
            Shape(str(properties.get("code", "")), str(properties.get("name", "")), " ".join(parts))
        )
    return Outline(width, math.ceil(span_y * scale), shapes)


def _ring_path(points: list[tuple[float, float]]) -> str:
    kept: list[tuple[float, float]] = []
    for x, y in points:
        if kept and abs(x - kept[-1][0]) < MIN_STEP and abs(y - kept[-1][1]) < MIN_STEP:
            continue
        kept.append((x, y))
    return "M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in kept) + "Z"


def shade_classes(values: Iterable[float | int | None]) -> list[ShadeClass]:
    """Up to five equal steps from the lowest figure to the highest (fewer if they are few)."""
    present = sorted({float(v) for v in values if v is not None and math.isfinite(v)})
    if not present:
        return []
    low, high = present[0], present[-1]
    steps = min(len(SHADES), len(present))
    if steps == 1:
        return [ShadeClass(low, high, SHADES[-1])]
    size = (high - low) / steps
    classes = []
    for i in range(steps):
        start = low + i * size
        end = high if i == steps - 1 else low + (i + 1) * size
        classes.append(ShadeClass(_round(start), _round(end), SHADES[len(SHADES) - steps + i]))
    return classes


def _round(value: float) -> float:
    return round(value, 2)


def colour_of(value: float | int | None, classes: list[ShadeClass]) -> str:
    if value is None or not classes or not math.isfinite(value):
        return NO_DATA
    for shade in classes:
        if value <= shade.high:
            return shade.colour
    return classes[-1].colour


def shaded(shape_outline: Outline, figures: dict[str, float | int | None]) -> list[Area]:
    """Each borough with its figure (None when the table has no row for it) and shade."""
    classes = shade_classes(figures.values())
    return [
        Area(s.code, s.name, s.path, figures.get(s.code), colour_of(figures.get(s.code), classes))
        for s in shape_outline.shapes
    ]
