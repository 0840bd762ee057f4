"""Chart layouts for inline SVG (catalogue/charts.py) and the borough choropleth's drawing
(catalogue/choropleth.py): pure, no database."""

import pytest

from interborough.catalogue import charts, choropleth


def test_format_number_for_people():
    assert charts.format_number(1234567) == "1,234,567"
    assert charts.format_number(2.5) == "2.5"
    assert charts.format_number(3.14159) == "3.14"
    assert charts.format_number(4.0) == "4"
    assert charts.format_number(None) == "—"
    assert charts.format_number(float("nan")) == "—"


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        (0, 7, (0, 8, 2)),
        (0, 95, (0, 100, 25)),
        (-3, 10, (-5, 10, 5)),
        (0, 0, (0, 1, 0.25)),
        (5, 5, (0, 6, 2)),
    ],
)
def test_nice_scale_includes_zero_and_round_steps(low, high, expected):
    assert charts.nice_scale(low, high) == pytest.approx(expected)


def test_bar_chart_one_bar_per_point_scaled_to_the_top():
    chart = charts.bar_chart([("Camden", 10), ("Hackney", 5), ("Empty", None)])

    assert [bar.title for bar in chart.bars] == ["Camden: 10", "Hackney: 5", "Empty: —"]
    tallest, half, empty = (bar.height for bar in chart.bars)
    assert tallest == pytest.approx(2 * half, abs=0.2)
    assert empty == 0
    assert chart.bars[0].y == chart.top  # 10 is the axis maximum
    assert chart.bars[0].x < chart.bars[1].x < chart.bars[2].x
    assert [label for _, label in chart.x_ticks] == ["Camden", "Hackney", "Empty"]


def test_bar_chart_negative_values_hang_below_zero():
    chart = charts.bar_chart([("up", 4), ("down", -2)])

    up, down = chart.bars
    assert up.y + up.height == pytest.approx(chart.zero)
    assert down.y == pytest.approx(chart.zero)
    assert down.colour == charts.NEGATIVE_COLOUR


def test_bar_chart_many_points_label_only_some_and_shorten_them():
    chart = charts.bar_chart([(f"A rather long label {i}", i) for i in range(100)])

    assert len(chart.bars) == 100
    assert len(chart.x_ticks) <= charts.MAX_X_LABELS
    assert all(len(label) <= charts.LABEL_CHARACTERS for _, label in chart.x_ticks)


def test_bar_chart_without_points_is_empty_but_drawable():
    chart = charts.bar_chart([])

    assert chart.bars == [] and chart.y_ticks


def test_line_chart_points_dots_and_totals():
    chart = charts.line_chart(
        ["Jan", "Feb", "Mar"],
        [charts.Series("Views", [1, 3, 2]), charts.Series("Downloads", [0, 1, None], dash="4 2")],
    )

    views, downloads = chart.lines
    assert len(views.points.split()) == 3
    assert [dot.title for dot in views.dots] == ["Jan: 1", "Feb: 3", "Mar: 2"]
    assert views.total == 6 and downloads.total == 1
    assert downloads.dash == "4 2"
    xs = [float(p.split(",")[0]) for p in views.points.split()]
    assert xs[0] == chart.left and xs[-1] == chart.right


def test_line_chart_leaves_out_dots_when_crowded():
    chart = charts.line_chart([str(i) for i in range(500)], [charts.Series("n", list(range(500)))])

    assert chart.lines[0].dots == []


SQUARES = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"code": "E09000001", "name": "West"},
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[0, 51], [0.1, 51], [0.1, 51.1], [0, 51.1], [0, 51]]],
            },
        },
        {
            "type": "Feature",
            "properties": {"code": "E09000002", "name": "East"},
            "geometry": {
                "type": "MultiPolygon",
                "coordinates": [[[[0.1, 51], [0.2, 51], [0.2, 51.1], [0.1, 51.1], [0.1, 51]]]],
            },
        },
    ],
}


def test_outline_fits_the_boundaries_to_the_width():
    drawn = choropleth.outline(SQUARES, width=200)

    assert [s.code for s in drawn.shapes] == ["E09000001", "E09000002"]
    assert drawn.shapes[0].path.startswith("M0.0,")
    assert "200.0," in drawn.shapes[1].path
    assert 0 < drawn.height < 200  # squares are narrower than tall once longitude is scaled


def test_shade_classes_five_steps_at_most_from_low_to_high():
    classes = choropleth.shade_classes([1, 2, 3, 4, 5, 6, 100, None])

    assert len(classes) == 5
    assert classes[0].low == 1 and classes[-1].high == 100
    assert [c.colour for c in classes] == list(choropleth.SHADES)


def test_shade_classes_few_values_use_the_darker_shades():
    classes = choropleth.shade_classes([3, 7])

    assert [c.colour for c in classes] == list(choropleth.SHADES[-2:])
    assert choropleth.shade_classes([None]) == []


def test_shaded_gives_missing_boroughs_no_data():
    areas = choropleth.shaded(choropleth.outline(SQUARES), {"E09000001": 4})

    west, east = areas
    assert west.value == 4 and west.colour == choropleth.SHADES[-1]
    assert west.title == "West: 4"
    assert east.value is None and east.colour == choropleth.NO_DATA
