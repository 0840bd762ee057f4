"""Frictionless Table Schemas over the staging file: infer one, validate against one, and the
typed SQL expression for each field (used again when the Parquet copy is written).

All checks run in DuckDB, so they stream over any number of rows. Values reach SQL only as
staging columns (c0, c1...); names and schema values reach it only as quoted literals.
"""

from pathlib import Path
from typing import Any

import duckdb
from frictionless import FrictionlessException
from frictionless import Schema as FrictionlessSchema

from interborough.catalogue.ingest_problems import IngestError, ProblemLog
from interborough.catalogue.ingest_staging import ROW_COLUMN, Staged

DEFAULT_MISSING = [""]
TRUE_VALUES = ["true", "True", "TRUE", "1"]
FALSE_VALUES = ["false", "False", "FALSE", "0"]
NUMBER_RE = r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|[+-]?(?i:inf|infinity|nan)"
ISO_DATE_RE = r"\d{4}-\d{2}-\d{2}"
ISO_DATETIME_RE = r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?"
UK_DATE = "%d/%m/%Y"
TYPE_NAMES = {
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "date": "a date",
    "datetime": "a date and time",
    "year": "a year",
}
# Frictionless types kept as text in Parquet (checked only against their constraints).
TEXT_TYPES = {"string", "any", "time", "yearmonth", "duration", "geopoint", "geojson"}
TEXT_TYPES |= {"object", "array"}


def connect(workdir: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with bounded memory that spills to workdir."""
    spill = workdir / "duckdb"
    spill.mkdir(exist_ok=True)
    connection = duckdb.connect(
        ":memory:",
        config={"memory_limit": "512MB", "threads": 4, "temp_directory": str(spill)},
    )
    connection.execute("SET TimeZone = 'UTC'")
    return connection


def open_staging(connection: duckdb.DuckDBPyConnection, staged: Staged) -> None:
    connection.read_parquet(str(staged.path)).create_view("staging")


def literal(value: Any) -> str:
    """A SQL string literal."""
    return "'" + str(value).replace("'", "''") + "'"


def _literals(values: list[Any]) -> str:
    return ", ".join(literal(value) for value in values)


def raw_value(index: int, field: dict[str, Any], missing: list[str]) -> str:
    """The field's text value, NULL when missing; trimmed unless the field is text."""
    column = f"c{index}"
    value = column if _kind(field) in TEXT_TYPES else f"trim({column})"
    missing_values = [m for m in missing if m != ""]
    if missing_values:
        value = f"CASE WHEN {value} IN ({_literals(missing_values)}) THEN NULL ELSE {value} END"
    return f"NULLIF({value}, '')" if "" in missing else value


def _kind(field: dict[str, Any]) -> str:
    kind = field.get("type") or "any"
    return kind if isinstance(kind, str) else "any"


def _numeric_text(field: dict[str, Any], value: str) -> str:
    group = field.get("groupChar")
    decimal = field.get("decimalChar")
    if isinstance(group, str) and group:
        value = f"replace({value}, {literal(group)}, '')"
    if isinstance(decimal, str) and decimal and decimal != ".":
        value = f"replace({value}, {literal(decimal)}, '.')"
    return value


def _format(field: dict[str, Any]) -> str:
    form = field.get("format")
    return form if isinstance(form, str) and form not in {"", "default"} else "default"


def check_sql(field: dict[str, Any], value: str) -> str:
    """SQL true when the (non-NULL) value is valid for the field's type."""
    kind = _kind(field)
    if kind == "integer":
        text = _numeric_text(field, value)
        return (
            rf"(regexp_full_match({text}, '[+-]?\d+') AND TRY_CAST({text} AS BIGINT) IS NOT NULL)"
        )
    if kind == "number":
        text = _numeric_text(field, value)
        return (
            f"(regexp_full_match({text}, {literal(NUMBER_RE)}) "
            f"AND TRY_CAST({text} AS DOUBLE) IS NOT NULL)"
        )
    if kind == "year":
        return rf"regexp_full_match({value}, '[+-]?\d{{1,4}}')"
    if kind == "boolean":
        return f"({value} IN ({_literals(_true(field) + _false(field))}))"
    if kind in {"date", "datetime"}:
        return f"({typed_sql(field, value, strict=False)} IS NOT NULL)"
    return "TRUE"


def typed_sql(field: dict[str, Any], value: str, *, strict: bool) -> str:
    """The value as its Parquet type; strict raises on a bad value, otherwise NULL."""
    cast = "CAST" if strict else "TRY_CAST"
    kind = _kind(field)
    form = _format(field)
    if kind == "integer":
        return f"{cast}({_numeric_text(field, value)} AS BIGINT)"
    if kind == "number":
        return f"{cast}({_numeric_text(field, value)} AS DOUBLE)"
    if kind == "year":
        return f"{cast}({value} AS INTEGER)"
    if kind == "boolean":
        return (
            f"CASE WHEN {value} IS NULL THEN NULL "
            f"WHEN {value} IN ({_literals(_true(field))}) THEN TRUE "
            f"WHEN {value} IN ({_literals(_false(field))}) THEN FALSE "
            + ("ELSE error('not a boolean') END" if strict else "END")
        )
    parse = "strptime" if strict else "try_strptime"
    if kind == "date":
        if form == "default":
            guard = f"regexp_full_match({value}, {literal(ISO_DATE_RE)})"
            return _guarded(value, guard, f"{cast}({value} AS DATE)", strict)
        if form == "any":
            return (
                f"COALESCE(TRY_CAST({value} AS DATE), "
                f"CAST(try_strptime({value}, {literal(UK_DATE)}) AS DATE))"
            )
        return f"CAST({parse}({value}, {literal(form)}) AS DATE)"
    if kind == "datetime":
        if form in {"default", "any"}:
            guard = f"regexp_full_match({value}, {literal(ISO_DATETIME_RE)})"
            return _guarded(
                value, guard, f"CAST({cast}({value} AS TIMESTAMPTZ) AS TIMESTAMP)", strict
            )
        return f"CAST({parse}({value}, {literal(form)}) AS TIMESTAMP)"
    return value


def _guarded(value: str, guard: str, expression: str, strict: bool) -> str:
    otherwise = "error('value does not match the format')" if strict else "NULL"
    return (
        f"CASE WHEN {value} IS NULL THEN NULL WHEN {guard} THEN {expression} ELSE {otherwise} END"
    )


def _true(field: dict[str, Any]) -> list[str]:
    values = field.get("trueValues")
    return [str(v) for v in values] if isinstance(values, list) else TRUE_VALUES


def _false(field: dict[str, Any]) -> list[str]:
    values = field.get("falseValues")
    return [str(v) for v in values] if isinstance(values, list) else FALSE_VALUES


def missing_values(schema: dict[str, Any]) -> list[str]:
    values = schema.get("missingValues")
    return [str(v) for v in values] if isinstance(values, list) else DEFAULT_MISSING


# --- Inference ------------------------------------------------------------------------------


def _candidates(delimiter: str) -> list[tuple[dict[str, Any], str]]:
    """Types tried in order, with the stricter check inference uses: codes with a leading
    zero (GSS codes, phone numbers) stay text."""
    candidates: list[tuple[dict[str, Any], str]] = [
        (
            {"type": "integer"},
            r"(regexp_full_match({v}, '[+-]?(0|[1-9]\d{{0,17}})') "
            r"AND TRY_CAST({v} AS BIGINT) IS NOT NULL)",
        ),
        (
            {"type": "number"},
            r"(regexp_full_match({v}, '[+-]?((0|[1-9]\d*)(\.\d+)?|\.\d+)([eE][+-]?\d+)?') "
            r"AND TRY_CAST({v} AS DOUBLE) IS NOT NULL)",
        ),
    ]
    if delimiter == ";":
        # Semicolon CSVs usually come from spreadsheets that write decimals as 3,5.
        candidates.append(
            (
                {"type": "number", "decimalChar": ","},
                r"regexp_full_match({v}, '[+-]?(0|[1-9]\d*)(,\d+)?')",
            )
        )
    candidates += [
        ({"type": "boolean"}, "({v} IN ('true', 'True', 'TRUE', 'false', 'False', 'FALSE'))"),
        ({"type": "date"}, ""),
        ({"type": "date", "format": UK_DATE}, ""),
        ({"type": "datetime"}, ""),
    ]
    return candidates


def infer_schema(connection: duckdb.DuckDBPyConnection, staged: Staged) -> dict[str, Any]:
    """A Frictionless Table Schema: each column gets the narrowest type all its values fit."""
    candidates = _candidates(staged.delimiter)
    aggregates: list[str] = []
    for index in range(len(staged.columns)):
        value = f"NULLIF(trim(c{index}), '')"
        aggregates.append(f"count({value})")
        for candidate, template in candidates:
            check = template.format(v=value) if template else check_sql(candidate, value)
            aggregates.append(f"count(*) FILTER (WHERE {value} IS NOT NULL AND NOT {check})")
    sql = f"SELECT {', '.join(aggregates)} FROM staging"  # noqa: S608
    counts = connection.execute(sql).fetchall()[0]  # an aggregate always returns one row
    step = 1 + len(candidates)
    fields: list[dict[str, Any]] = []
    for index, name in enumerate(staged.columns):
        present, *failures = counts[index * step : (index + 1) * step]
        field: dict[str, Any] = {"type": "string"}
        if name == staged.geometry_column:
            field = {"type": "geojson"}
        elif name in staged.declared_types:
            field = {"type": staged.declared_types[name]}
        elif present:
            fitting = [c for (c, _), bad in zip(candidates, failures, strict=True) if bad == 0]
            field = dict(fitting[0]) if fitting else field
        fields.append({"name": name, **field})
    return {"fields": fields, "missingValues": list(DEFAULT_MISSING)}


# --- Validation -----------------------------------------------------------------------------


def check_descriptor(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """The schema's fields, once Frictionless agrees the descriptor is a valid Table Schema."""
    if not isinstance(schema, dict):
        raise IngestError("The schema must be a JSON object (a Frictionless Table Schema).")
    try:
        FrictionlessSchema.from_descriptor(schema)
    except FrictionlessException as error:
        raise IngestError(f"The schema is not a valid Table Schema: {error.error.note}") from None
    fields = schema.get("fields")
    if not isinstance(fields, list):
        raise IngestError("The schema has no list of fields.")
    return [f for f in fields if isinstance(f, dict)]


def validate(
    connection: duckdb.DuckDBPyConnection, staged: Staged, schema: dict[str, Any]
) -> ProblemLog:
    """Every problem with the data against the schema, each with its row and column."""
    fields = check_descriptor(schema)
    log = ProblemLog()
    by_name = {str(f.get("name")): f for f in fields}
    for name in by_name:
        if name not in staged.columns:
            log.add(0, name, "The schema lists this column but the file does not have it.")
    for name in staged.columns:
        if name not in by_name:
            log.add(0, name, "This column is not in the schema.")
    missing = missing_values(schema)
    _check_formats(connection, fields)
    checks: list[str] = []
    for index, name in enumerate(staged.columns):
        if name in by_name:
            checks += _field_checks(index, by_name[name], missing)
    checks += _primary_key_checks(schema, staged.columns, by_name, missing)
    if not checks:
        return log
    union = " UNION ALL ".join(checks)
    connection.execute(f"CREATE OR REPLACE TEMP TABLE problems AS {union}")
    total = int(connection.execute("SELECT count(*) FROM problems").fetchall()[0][0])
    first = connection.execute(
        f"SELECT row, col, message FROM problems ORDER BY row, col LIMIT {1000}"  # noqa: S608
    ).fetchall()
    for row, col, message in first:
        log.add(int(row), staged.columns[int(col)] if col >= 0 else "", str(message))
    log.count += total - len(first)
    return log


def _check_formats(connection: duckdb.DuckDBPyConnection, fields: list[dict[str, Any]]) -> None:
    """A bad date format or pattern is the schema's fault: say so before checking data."""
    for field in fields:
        form = _format(field)
        name = field.get("name")
        try:
            if _kind(field) in {"date", "datetime"} and form not in {"default", "any"}:
                connection.execute(f"SELECT try_strptime('2000-01-01', {literal(form)})")
            pattern = (field.get("constraints") or {}).get("pattern")
            if pattern is not None:
                connection.execute(f"SELECT regexp_full_match('', {literal(pattern)})")
        except duckdb.Error:
            raise IngestError(
                f'The schema\'s format or pattern for "{name}" is not understood.'
            ) from None


def _problem(index: int, condition: str, message: str, source: str = "staging") -> str:
    return (
        f"SELECT {ROW_COLUMN} AS row, {index} AS col, {message} AS message "  # noqa: S608
        f"FROM {source} WHERE {condition}"
    )


def _shown(value: str) -> str:
    return f"'\"' || left({value}, 60) || '\"'"


def _field_checks(index: int, field: dict[str, Any], missing: list[str]) -> list[str]:
    kind = _kind(field)
    value = raw_value(index, field, missing)
    valid = check_sql(field, value)
    typed = typed_sql(field, value, strict=False)
    checks: list[str] = []
    if kind in TYPE_NAMES:
        form = _format(field)
        expected = TYPE_NAMES[kind] + ("" if form in {"default", "any"} else f" ({form})")
        checks.append(
            _problem(
                index,
                f"{value} IS NOT NULL AND NOT {valid}",
                f"{_shown(value)} || {literal(' is not ' + expected + '.')}",
            )
        )
    constraints = field.get("constraints") or {}
    if not isinstance(constraints, dict):
        return checks
    ok = f"{value} IS NOT NULL AND {valid}"
    if constraints.get("required"):
        checks.append(_problem(index, f"{value} IS NULL", "'A value is required.'"))
    if "enum" in constraints and isinstance(constraints["enum"], list):
        allowed = [str(item) for item in constraints["enum"]]
        options = ", ".join(allowed)[:200]
        members = ", ".join(typed_sql(field, literal(item), strict=False) for item in allowed)
        checks.append(
            _problem(
                index,
                f"{ok} AND {typed} NOT IN ({members})",
                f"{_shown(value)} || {literal(' is not one of the allowed values: ' + options)}",
            )
        )
    for key, operator, words in (("minimum", "<", "below"), ("maximum", ">", "above")):
        if key in constraints and kind in {"integer", "number", "year", "date", "datetime"}:
            limit = typed_sql(field, literal(constraints[key]), strict=False)
            limit_text = constraints[key]
            checks.append(
                _problem(
                    index,
                    f"{ok} AND {typed} {operator} {limit}",
                    f"{_shown(value)} || {literal(f' is {words} the {key} of {limit_text}.')}",
                )
            )
    for key, operator in (("minLength", "<"), ("maxLength", ">")):
        if isinstance(constraints.get(key), int):
            words = "shorter" if operator == "<" else "longer"
            checks.append(
                _problem(
                    index,
                    f"{value} IS NOT NULL AND length({value}) {operator} {constraints[key]}",
                    literal(f"This value is {words} than {constraints[key]} characters."),
                )
            )
    if isinstance(constraints.get("pattern"), str):
        checks.append(
            _problem(
                index,
                f"{value} IS NOT NULL AND NOT regexp_full_match({value}, "
                f"{literal(constraints['pattern'])})",
                f"{_shown(value)} || {literal(' does not match the pattern the schema sets.')}",
            )
        )
    if constraints.get("unique"):
        checks.append(_duplicate_check(index, [typed]))
    return checks


def _duplicate_check(index: int, keys: list[str]) -> str:
    partition = ", ".join(keys)
    present = " AND ".join(f"{key} IS NOT NULL" for key in keys)
    source = (
        f"(SELECT {ROW_COLUMN}, min({ROW_COLUMN}) OVER (PARTITION BY {partition}) AS first "  # noqa: S608
        f"FROM staging WHERE {present})"
    )
    return _problem(
        index,
        f"{ROW_COLUMN} <> first",
        "'This value must be unique but is already in row ' || first || '.'",
        source,
    )


def _primary_key_checks(
    schema: dict[str, Any],
    columns: list[str],
    by_name: dict[str, dict[str, Any]],
    missing: list[str],
) -> list[str]:
    key = schema.get("primaryKey")
    names = [key] if isinstance(key, str) else key if isinstance(key, list) else []
    names = [n for n in names if n in columns and n in by_name]
    if not names:
        return []
    checks: list[str] = []
    typed: list[str] = []
    for name in names:
        index = columns.index(name)
        field = by_name[name]
        value = raw_value(index, field, missing)
        checks.append(_problem(index, f"{value} IS NULL", "'The primary key needs a value.'"))
        typed.append(typed_sql(field, value, strict=False))
    checks.append(_duplicate_check(columns.index(names[0]), typed))
    return checks
