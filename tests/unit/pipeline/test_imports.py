"""The CSV import parser: encodings, delimiters, headers, values, duplicates and junk."""

import codecs
import dataclasses
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interborough.pipeline.import_columns import (
    CONTRACT_SCHEMA,
    PROJECT_SCHEMA,
    parse_bool,
    parse_date,
    template_csv,
)
from interborough.pipeline.imports import ImportFileError, parse
from interborough.pipeline.services.contracts import ContractInput
from interborough.pipeline.services.project_input import ProjectInput

HEADER = "title,summary,themes"


def parse_text(text: str, encoding: str = "utf-8", **kwargs):
    return parse(text.encode(encoding), PROJECT_SCHEMA, **kwargs)


def file_error(content: bytes, schema=PROJECT_SCHEMA, **kwargs) -> ImportFileError:
    with pytest.raises(ImportFileError) as caught:
        parse(content, schema, **kwargs)
    return caught.value


# --- the documented columns ----------------------------------------------------------------


def test_project_columns_are_the_project_input_fields():
    assert PROJECT_SCHEMA.names == [f.name for f in dataclasses.fields(ProjectInput)]


def test_contract_columns_are_the_contract_input_fields():
    assert CONTRACT_SCHEMA.names == [f.name for f in dataclasses.fields(ContractInput)]


def test_template_is_the_header_row_with_a_byte_order_mark():
    template = template_csv(CONTRACT_SCHEMA)

    assert template.startswith("\ufeffproduct,category,supplier_name,supplier,")
    assert template.count("\n") == 1


# --- encodings -----------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["cp1252", "mac_roman"])
def test_parse_reads_excel_single_byte_encodings(encoding):
    text = f"{HEADER}\nCafé crèche bookings,Budget £50k \u2013 “tenants\u2019 needs”,housing\n"

    parsed = parse_text(text, encoding)

    assert parsed.rows[0].values["title"] == "Café crèche bookings"
    assert parsed.rows[0].values["summary"] == "Budget £50k \u2013 “tenants\u2019 needs”"


def test_parse_reads_latin_1():
    parsed = parse_text(f"{HEADER}\nNaïve résumé service,Déjà vu,housing\n", "latin-1")

    assert parsed.rows[0].values["title"] == "Naïve résumé service"


@pytest.mark.parametrize(
    "bom, encoding",
    [
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ],
)
def test_parse_reads_a_byte_order_mark(bom, encoding):
    content = bom + "Title\tSummary\tThemes\nCafé\tÇa va\thousing\n".encode(encoding)

    parsed = parse(content, PROJECT_SCHEMA)

    assert parsed.headers["title"] == "Title"
    assert parsed.rows[0].values == {"title": "Café", "summary": "Ça va", "themes": ("housing",)}


def test_parse_reports_the_encoding_it_used():
    assert parse_text(f"{HEADER}\nA,B,housing\n").encoding == "utf-8"
    assert parse_text(f"{HEADER}\nCafé,B,housing\n", "cp1252").encoding == "cp1252"


# --- delimiters ----------------------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_parse_detects_the_delimiter(delimiter):
    text = delimiter.join(["title", "summary", "themes"]) + "\n"
    text += delimiter.join(["Repairs", '"Book, track and rate repairs"', "housing"]) + "\n"

    parsed = parse_text(text)

    assert parsed.delimiter == delimiter
    assert parsed.rows[0].values["summary"] == "Book, track and rate repairs"


def test_parse_prefers_the_delimiter_that_splits_the_header_into_known_columns():
    # Commas in the values make a sniffer guess wrong; the header decides.
    text = "title;summary;themes\nA, b, c;One, two, three, four;housing\n"

    parsed = parse_text(text)

    assert parsed.delimiter == ";"
    assert parsed.rows[0].values["title"] == "A, b, c"


def test_parse_follows_an_excel_sep_line_and_counts_it():
    parsed = parse_text("sep=;\ntitle;summary;themes\nA;B;housing\n")

    assert parsed.delimiter == ";"
    assert parsed.rows[0].line == 3


# --- headers -------------------------------------------------------------------------------


def test_parse_maps_headers_whatever_their_case_and_spacing():
    parsed = parse_text(" TITLE ,Summary,Themes,Start Date,user-needs\nA,B,housing,2025-01-02,X\n")

    assert parsed.rows[0].values["start_date"] == date(2025, 1, 2)
    assert parsed.rows[0].values["user_needs"] == "X"
    assert parsed.headers["start_date"] == "Start Date"


def test_parse_reports_extra_columns_on_the_header_line_and_ignores_them():
    parsed = parse_text(f"{HEADER},Colour\nA,B,housing,blue\n")

    assert [(p.line, p.column) for p in parsed.problems] == [(1, "Colour")]
    assert "no column called “Colour”" in parsed.problems[0].message
    assert "colour" not in parsed.rows[0].values


def test_parse_ignores_the_columns_its_own_export_adds():
    parsed = parse_text(f"id,url,status,{HEADER}\n7,https://x.example,draft,A,B,housing\n")

    assert parsed.problems == []


def test_parse_refuses_a_file_without_required_columns():
    error = file_error(b"title,summary\nA,B\n")

    assert error.problems[0].line == 1
    assert "“themes”" in error.problems[0].message


def test_parse_refuses_a_column_given_twice():
    error = file_error(b"title,summary,themes,Title\nA,B,housing,C\n")

    assert "appears twice (columns 1 and 4)" in error.problems[0].message


def test_parse_reports_values_under_an_unnamed_column():
    parsed = parse_text(f"{HEADER},\nA,B,housing,stray\n")

    assert parsed.problems[0].message.startswith("Column 4 has no name")


# --- values --------------------------------------------------------------------------------


def test_parse_types_lists_booleans_dates_and_choices():
    text = (
        "title,summary,themes,tags,collaboration_wanted,is_public,start_date,end_date,phase,"
        "budget_band\n"
        'A,B,housing; net-zero ;,repairs;;Tenants,Yes,n,31/03/2025,2026-4-1,Alpha,"Under £50,000"\n'
    )

    values = parse_text(text).rows[0].values

    assert values["themes"] == ("housing", "net-zero")
    assert values["tags"] == ("repairs", "Tenants")
    assert values["collaboration_wanted"] is True
    assert values["is_public"] is False
    assert values["start_date"] == date(2025, 3, 31)
    assert values["end_date"] == date(2026, 4, 1)
    assert values["phase"] == "alpha"
    assert values["budget_band"] == "under_50k"


def test_parse_passes_an_unknown_choice_on_for_the_field_check():
    values = parse_text("title,summary,themes,phase\nA,B,housing,Prototype\n").rows[0].values

    assert values["phase"] == "Prototype"


def test_parse_leaves_blank_optional_values_to_their_defaults():
    values = parse_text("title,summary,themes,start_date,is_public,phase\nA,B,housing,,,\n")

    assert values.rows[0].values == {"title": "A", "summary": "B", "themes": ("housing",)}


@pytest.mark.parametrize(
    "cell, message",
    [
        ("31/02/2025", "“31/02/2025” is not a real date."),
        ("March 2025", "Enter the date as YYYY-MM-DD or DD/MM/YYYY, like 2025-03-31."),
        ("2025-13-01", "“2025-13-01” is not a real date."),
    ],
)
def test_parse_reports_a_bad_date_on_its_line_and_column(cell, message):
    parsed = parse_text(
        f"{HEADER},Start date\nA,B,housing,ok\nC,D,housing,{cell}\n".replace(",ok", ",2025-01-01")
    )

    assert [(p.line, p.column, p.message) for p in parsed.rows[1].problems] == [
        (3, "Start date", message)
    ]
    assert "start_date" not in parsed.rows[1].values


def test_parse_reports_a_bad_yes_no():
    parsed = parse_text(f"{HEADER},is_public\nA,B,housing,maybe\n")

    assert parsed.rows[0].problems[0].message == "Enter yes or no."


@pytest.mark.parametrize("text", ["yes", "Y", "TRUE", "1", " yes "])
def test_parse_bool_true(text):
    assert parse_bool(text) is True


@pytest.mark.parametrize("text", ["no", "N", "false", "0"])
def test_parse_bool_false(text):
    assert parse_bool(text) is False


def test_parse_date_refuses_other_formats():
    with pytest.raises(ValueError):
        parse_date("2025/03/31")


# --- line numbers --------------------------------------------------------------------------


def test_line_numbers_are_spreadsheet_rows_despite_blank_lines_and_line_breaks_in_cells():
    text = f'{HEADER}\nA,"Two\nlines",housing\n\nB,C,housing\n'

    parsed = parse_text(text)

    assert [row.line for row in parsed.rows] == [2, 4]


def test_parse_reports_a_row_with_more_cells_than_the_header():
    parsed = parse_text(f"{HEADER}\nA,B,housing,extra\n")

    assert "more cells (4) than the header has columns (3)" in parsed.rows[0].problems[0].message


# --- duplicates ----------------------------------------------------------------------------


def test_parse_reports_a_repeated_title_with_both_line_numbers():
    parsed = parse_text(
        f"{HEADER}\nRepairs app,B,housing\nOther,C,housing\n repairs  APP ,D,housing\n"
    )

    assert parsed.rows[0].problems == []
    problem = parsed.rows[2].problems[0]
    assert (problem.line, problem.column) == (4, "title")
    assert "repeats line 2" in problem.message


def test_parse_reports_a_repeated_contract_by_product_and_supplier():
    content = b"product,supplier_name\nCRM,Acme\nCRM,Other Ltd\ncrm,ACME\n"

    parsed = parse(content, CONTRACT_SCHEMA)

    assert [bool(r.problems) for r in parsed.rows] == [False, False, True]
    assert "repeats line 2 (the same product and supplier)" in parsed.rows[2].problems[0].message


# --- files that cannot be used -------------------------------------------------------------


@pytest.mark.parametrize(
    "content, words",
    [
        (b"", "empty"),
        (b"  \n", "empty"),
        (b"title,summary,themes\n", "no rows"),
        (b"\n\ntitle,summary,themes\nA,B,housing\n", "first line must name the columns"),
        (b"title,summary,themes\nA\x00,B,housing\n", "NUL"),
        (b"PK\x03\x04\x14\x00\x06\x00", "spreadsheet workbook"),
        (bytes(range(256)) * 20, "NUL"),
        (bytes(range(1, 32)) * 50, "does not look like CSV"),
        (bytes(range(1, 32)) * 50 + b"\xff\xfe", "not text we can read"),
        (codecs.BOM_UTF16_LE + b"t\x00i\x00\x00\xd8", "is not"),
    ],
    ids=[
        "empty",
        "blank",
        "header only",
        "blank first line",
        "NUL byte",
        "xlsx",
        "all bytes",
        "control characters",
        "undecodable",
        "bad UTF-16",
    ],
)
def test_parse_refuses_unusable_files_with_a_clear_message(content, words):
    error = file_error(content)

    assert words in error.problems[0].message


def test_parse_refuses_a_file_over_the_size_limit():
    error = file_error(f"{HEADER}\n".encode() + b"A,B,housing\n" * 100, max_bytes=1000)

    assert "larger than" in error.problems[0].message


def test_parse_refuses_a_file_over_the_row_limit():
    error = file_error(f"{HEADER}\n".encode() + b"A,B,housing\n" * 11, max_rows=10)

    assert "more than 10 rows" in error.problems[0].message


def test_parse_reports_a_runaway_cell_as_a_file_problem():
    error = file_error(f'{HEADER}\nA,"{"x" * 200_000}\n'.encode())

    assert error.problems[0].line == 2


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_parse_never_raises_anything_but_its_own_error_on_arbitrary_bytes(content):
    try:
        parsed = parse(content, PROJECT_SCHEMA)
    except ImportFileError as exc:
        assert exc.problems
    else:
        assert all(row.line >= 2 for row in parsed.rows)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.text(max_size=30), max_size=6), max_size=8))
def test_parse_never_raises_anything_but_its_own_error_on_arbitrary_cells(rows):
    text = HEADER + "\n" + "\n".join(",".join(cells) for cells in rows)
    try:
        parse(text.encode("utf-8", "surrogatepass"), PROJECT_SCHEMA)
    except ImportFileError as exc:
        assert exc.problems
