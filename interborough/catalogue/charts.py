"""Where the marks of a simple chart go, for a template to draw as inline SVG (pure).

A bar chart of labelled values, or a line chart of one or more series over shared labels. The
result holds coordinates in SVG user units (the SVG scales to the page width) and the text of
each mark's <title>, axis ticks and labels; `catalogue/includes/chart_svg.html` draws it. No
JavaScript and no chart library: every chart comes with a table of the same figures.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

WIDTH, HEIGHT = 720, 320
LEFT, RIGHT, TOP, BOTTOM = 64, 12, 12, 96  # room below for slanted labels
MAX_X_LABELS = 12
LABEL_CHARACTERS = 16
MAX_DOTS = 120  # points of a line chart drawn (with their titles) as dots; more would crowd
BAR_COLOUR = "#1d70b8"
NEGATIVE_COLOUR = "#d4351c"


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str
    title: str  # "<label>: <value>"


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    title: str


@dataclass(frozen=True)
class Line:
    label: str
    colour: str
    dash: str  # SVG stroke-dasharray; "" for solid (series are told apart by dash and colour)
    points: str  # SVG polyline points
    dots: list[Dot]
    total: float


@dataclass(frozen=True)
class Series:
    """A line chart's input: one value per label (None is drawn as 0)."""

    label: str
    values: Sequence[float | int | None]
    colour: str = BAR_COLOUR
    dash: str = ""


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: int
    right: float
    top: int
    baseline: float  # the y of the plot's bottom edge
    zero: float  # the y of the value 0
    y_ticks: list[tuple[float, str]]  # (y, label)
    x_ticks: list[tuple[float, str]]  # (x, label)
    bars: list[Bar] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)

    @property
    def label_y(self) -> float:
        return self.baseline + 18


def format_number(value: float | int | None) -> str:
    """A figure for people: thousands separated, at most two decimals, "—" for none."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def nice_scale(low: float, high: float, steps: int = 4) -> tuple[float, float, float]:
    """Axis bounds around [low, high] (always including 0) and a round step between ticks."""
    low, high = min(low, 0.0), max(high, 0.0)
    if high == low:
        return 0.0, 1.0, 1.0 / steps
    raw = (high - low) / steps
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(f * magnitude for f in (1, 2, 2.5, 5, 10) if f * magnitude >= raw)
    return math.floor(low / step) * step, math.ceil(high / step) * step, step


def short(label: str) -> str:
    return label if len(label) <= LABEL_CHARACTERS else label[: LABEL_CHARACTERS - 1] + "…"


def _frame(values: list[float]) -> tuple[float, float, float, list[float]]:
    low, high, step = nice_scale(min(values, default=0.0), max(values, default=0.0))
    ticks = [low + i * step for i in range(round((high - low) / step) + 1)]
    return low, high, step, ticks


def _x_marks(count: int) -> list[int]:
    """Which of `count` positions get an x-axis label: all, or an even spread of them."""
    if count <= MAX_X_LABELS:
        return list(range(count))
    every = math.ceil(count / MAX_X_LABELS)
    return list(range(0, count, every))


def bar_chart(points: Sequence[tuple[str, float | int | None]]) -> Chart:
    """One bar per (label, value); negative values hang below zero in another colour."""
    values = [float(v) for _, v in points if v is not None and math.isfinite(v)]
    low, high, _, ticks = _frame(values)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def y(value: float) -> float:
        return round(TOP + plot_h - (value - low) / (high - low) * plot_h, 1)

    slot = plot_w / max(len(points), 1)
    gap = slot * 0.2 if slot > 4 else 0.0
    bars = []
    for i, (label, value) in enumerate(points):
        number = float(value) if value is not None and math.isfinite(value) else 0.0
        top, bottom = sorted((y(number), y(0.0)))
        bars.append(
            Bar(
                x=round(LEFT + i * slot + gap / 2, 1),
                y=top,
                width=round(slot - gap, 2),
                height=round(bottom - top, 1),
                colour=NEGATIVE_COLOUR if number < 0 else BAR_COLOUR,
                title=f"{label}: {format_number(value)}",
            )
        )
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        right=WIDTH - RIGHT,
        top=TOP,
        baseline=TOP + plot_h,
        zero=y(0.0),
        y_ticks=[(y(t), format_number(t)) for t in ticks],
        x_ticks=[
            (round(LEFT + (i + 0.5) * slot, 1), short(points[i][0])) for i in _x_marks(len(points))
        ],
        bars=bars,
    )


def line_chart(labels: Sequence[str], series: Sequence[Series]) -> Chart:
    """A line per series over the labels (evenly spaced, in order)."""
    values = [float(v) for s in series for v in s.values if v is not None and math.isfinite(v)]
    low, high, _, ticks = _frame(values)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(labels) - 1, 1)

    def y(value: float) -> float:
        return round(TOP + plot_h - (value - low) / (high - low) * plot_h, 1)

    def x(i: int) -> float:
        return round(LEFT + i * step if len(labels) > 1 else LEFT + plot_w / 2, 1)

    lines = []
    for one in series:
        numbers = [float(v) if v is not None and math.isfinite(v) else 0.0 for v in one.values]
        coordinates = [(x(i), y(v)) for i, v in enumerate(numbers)]
        dots = []
        if len(coordinates) <= MAX_DOTS:
            dots = [
                Dot(cx, cy, f"{labels[i]}: {format_number(one.values[i])}")
                for i, (cx, cy) in enumerate(coordinates)
            ]
        lines.append(
            Line(
                label=one.label,
                colour=one.colour,
                dash=one.dash,
                points=" ".join(f"{cx},{cy}" for cx, cy in coordinates),
                dots=dots,
                total=sum(numbers),
            )
        )
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        right=WIDTH - RIGHT,
        top=TOP,
        baseline=TOP + plot_h,
        zero=y(0.0),
        y_ticks=[(y(t), format_number(t)) for t in ticks],
        x_ticks=[(x(i), short(labels[i])) for i in _x_marks(len(labels))],
        lines=lines,
    )
