"""The forms of a resource's data preview: adding a filter, building a chart and choosing what
the borough choropleth shows. Each is a GET form whose choices come from the version's schema;
each has a prefix so its parameters never mix with the records query's own (field names)."""

from typing import Any

from django import forms

from interborough.catalogue.query_aggregate import (
    DATE_TYPES,
    FUNCTIONS,
    UNGROUPABLE_TYPES,
    QueryError,
    aggregation_of,
)
from interborough.catalogue.query_params import (
    MAX_VALUE_LENGTH,
    NUMERIC_TYPES,
    Column,
    parse_query,
)

OPERATORS = [
    ("eq", "equals"),
    ("ne", "does not equal"),
    ("gt", "is greater than"),
    ("lt", "is less than"),
    ("contains", "contains (text)"),
]
CHART_TYPES = [("bar", "Bar chart"), ("line", "Line chart")]
BUCKETS = [("", "Each value"), ("month", "Month (dates only)"), ("year", "Year (dates only)")]
MEASURES = {"sum": "Total of", "mean": "Average of"}


def _field_choices(columns: tuple[Column, ...]) -> list[tuple[str, str]]:
    return [(c.name, c.name) for c in columns if c.type not in UNGROUPABLE_TYPES]


def _numeric_choices(columns: tuple[Column, ...]) -> list[tuple[str, str]]:
    return [(c.name, c.name) for c in columns if c.type in NUMERIC_TYPES]


class _SchemaForm(forms.Form):
    def _choices(self, name: str) -> forms.ChoiceField:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - the form's own fields
        return field


class FilterForm(_SchemaForm):
    """One more filter on the preview: field, operator, value."""

    prefix = "filter"
    field = forms.ChoiceField(label="Field")
    op = forms.ChoiceField(label="Condition", choices=OPERATORS)
    value = forms.CharField(label="Value", max_length=MAX_VALUE_LENGTH)

    def __init__(self, *args: Any, columns: tuple[Column, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.columns = columns
        self._choices("field").choices = _field_choices(columns)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        # The engine itself checks the value against the field's type and the operator.
        schema = {"fields": [{"name": c.name, "type": c.type} for c in self.columns]}
        try:
            parse_query([self.param()], schema)
        except QueryError as error:
            for _, message in error.problems:
                self.add_error("value", message)
        return data

    def param(self) -> tuple[str, str]:
        """The filter as a records query parameter (`<field>__<op>`)."""
        data = self.cleaned_data
        return f"{data['field']}__{data['op']}", data["value"]


class ChartForm(_SchemaForm):
    """A chart of the filtered rows: one figure per value (or month, or year) of a field."""

    prefix = "chart"
    x = forms.ChoiceField(label="Group the rows by")
    bucket = forms.ChoiceField(label="Group dates by", choices=BUCKETS, required=False)
    y = forms.ChoiceField(
        label="Show",
        choices=[(k, v) for k, v in FUNCTIONS.items()],
        initial="count",
        required=False,  # a number of rows when left out
    )
    measure = forms.ChoiceField(
        label="Of the field", required=False, help_text="Not needed for a number of rows."
    )
    kind = forms.ChoiceField(label="Chart type", choices=CHART_TYPES, initial="bar")

    def __init__(self, *args: Any, columns: tuple[Column, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.columns = columns
        self._choices("x").choices = _field_choices(columns)
        self._choices("measure").choices = [("", "No field"), *_numeric_choices(columns)]
        self.dates = any(c.type in DATE_TYPES for c in columns)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        try:
            data["aggregation"] = aggregation_of(
                self.columns,
                group=data["x"],
                function=data.get("y") or "count",
                measure=data.get("measure") or "",
                bucket=data.get("bucket") or "",
            )
        except QueryError as error:
            names = {"group": "x", "function": "y", "measure": "measure", "bucket": "bucket"}
            for param, message in error.problems:
                self.add_error(names.get(param), message)
        return data


class ChoroplethForm(_SchemaForm):
    """What shades each borough: its number of rows, or a total or average of a field."""

    prefix = "map"
    measure = forms.ChoiceField(label="Shade each borough by", initial="count")

    def __init__(self, *args: Any, columns: tuple[Column, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        numeric = [name for name, _ in _numeric_choices(columns)]
        self._choices("measure").choices = [("count", "Number of rows")] + [
            (f"{function}:{name}", f"{words} {name}")
            for name in numeric
            for function, words in MEASURES.items()
        ]

    def function_and_measure(self) -> tuple[str, str]:
        """("count", "") or e.g. ("sum", "households")."""
        chosen = "count"
        if self.is_bound and self.is_valid():
            chosen = self.cleaned_data["measure"] or "count"
        function, _, measure = str(chosen).partition(":")
        return function, measure
