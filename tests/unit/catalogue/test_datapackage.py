"""How a stored Table Schema is rewritten for the CSV a Data Package carries (no database)."""

from interborough.catalogue.datapackage import csv_field, csv_schema


def test_csv_field_uk_dates_become_iso_and_lose_source_constraints():
    field = {
        "name": "opened",
        "type": "date",
        "format": "%d/%m/%Y",
        "title": "Opened",
        "constraints": {"required": True, "minimum": "01/01/2020"},
    }

    assert csv_field(field, "opened") == {
        "name": "opened",
        "title": "Opened",
        "type": "date",
        "constraints": {"required": True},
    }


def test_csv_field_iso_dates_keep_their_bounds():
    field = {"name": "d", "type": "date", "constraints": {"minimum": "2020-01-01"}}

    assert csv_field(field, "d")["constraints"] == {"minimum": "2020-01-01"}


def test_csv_field_custom_booleans_and_decimal_commas_are_written_as_defaults():
    boolean = csv_field({"name": "b", "type": "boolean", "trueValues": ["yes"]}, "b")
    number = csv_field({"name": "n", "type": "number", "decimalChar": ","}, "n")

    assert boolean == {"name": "b", "type": "boolean"}
    assert number == {"name": "n", "type": "number"}


def test_csv_field_text_enum_and_pattern_allow_the_formula_apostrophe():
    field = {
        "name": "code",
        "type": "string",
        "format": "default",
        "constraints": {"enum": ["-A", "B"], "pattern": "[-A-Z]+", "maxLength": 3},
    }

    out = csv_field(field, "code")

    assert out["constraints"] == {"enum": ["'-A", "B"], "pattern": "'?(?:[-A-Z]+)", "maxLength": 3}
    assert out["format"] == "default"


def test_csv_schema_follows_the_parquet_columns_and_types_unknown_ones_as_text():
    schema = {"fields": [{"name": "a", "type": "integer"}], "primaryKey": ["a"]}

    out = csv_schema(schema, ["a", "extra"])

    assert out == {
        "fields": [{"name": "a", "type": "integer"}, {"name": "extra", "type": "string"}],
        "missingValues": [""],
        "primaryKey": ["a"],
    }
