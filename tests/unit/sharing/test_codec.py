"""Agreement files: YAML and JSON round trips, and clear refusals of anything else."""

import json

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interborough.accounts.models import Organisation
from interborough.sharing.codec import MAX_BYTES, DocumentError, check_plain, dump, load
from tests.factories.sharing import full_document


def _document():
    parties = [
        Organisation(slug="camden", name="Camden"),
        Organisation(slug="hackney", name="Hackney"),
    ]
    return full_document(parties)


def _error(data, fmt=None) -> DocumentError:
    with pytest.raises(DocumentError) as info:
        load(data, fmt)
    return info.value


# Dumping and round trips


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_codec_full_document_round_trip(fmt):
    document = _document()
    assert load(dump(document, fmt), fmt) == document
    assert load(dump(document, fmt)) == document  # sniffed
    assert load(dump(document, fmt).encode("utf-8")) == document


def test_codec_yaml_block_style_in_document_order():
    text = dump(_document(), "yaml")
    top_keys = [line.split(":")[0] for line in text.splitlines() if line[:1].isalpha()]
    assert top_keys == list(_document())
    assert text.startswith("format: interborough-dsa/1\nreference: DSA-2026-0001\n")
    assert "parties:\n- organisation: camden\n" in text
    assert "{" not in text.split("dates:")[1].split("parties:")[0]  # no flow mappings


def test_codec_yaml_keeps_unicode_and_quotes_date_strings():
    document = {"title": "Café \u2013 Tower Hamlets", "start": "2026-04-01", "answer": "no"}
    text = dump(document, "yaml")
    assert "Café \u2013 Tower Hamlets" in text
    assert "start: '2026-04-01'" in text
    assert load(text) == document


def test_codec_json_indented_two_spaces():
    text = dump({"a": {"b": "é"}}, "json")
    assert text == '{\n  "a": {\n    "b": "é"\n  }\n}\n'


def test_codec_dump_unknown_format():
    with pytest.raises(ValueError, match="yaml"):
        dump({}, "docx")


def test_codec_unquoted_yaml_dates_stay_text():
    assert load("dates:\n  start: 2026-04-01\n") == {"dates": {"start": "2026-04-01"}}


def test_codec_byte_order_mark_accepted():
    assert load("\ufefftitle: x\n".encode()) == {"title": "x"}
    assert load(b'\xef\xbb\xbf{"title": "x"}') == {"title": "x"}


# Any storable text: everything but NUL, which PostgreSQL cannot store and load refuses.
STORABLE = st.characters(exclude_characters="\x00", exclude_categories=("Cs",))
json_keys = st.text(STORABLE, max_size=12)
scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(STORABLE, max_size=40)
)
values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(json_keys, children, max_size=4)
    ),
    max_leaves=25,
)
documents = st.dictionaries(json_keys, values, max_size=6)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_codec_round_trip_generated_documents(document):
    for fmt in ("yaml", "json"):
        assert load(dump(document, fmt), fmt) == document


@settings(max_examples=100, deadline=None)
@given(
    title=st.text(STORABLE, max_size=200),
    description=st.text(STORABLE, max_size=500),
    subjects=st.lists(st.text(STORABLE, max_size=50), max_size=5),
)
def test_codec_round_trip_generated_agreements(title, description, subjects):
    document = _document()
    document["title"] = title
    document["purpose"]["description"] = description
    document["data"]["data_subjects"] = subjects
    for fmt in ("yaml", "json"):
        assert load(dump(document, fmt), fmt) == document


# Refusals


def test_codec_malformed_yaml_line_and_column():
    error = _error("title: x\nparties: [camden, hackney\ndates:\n  start: 2026-04-01\n")
    assert error.message.startswith("The YAML is malformed at line")
    assert error.line is not None and error.column is not None
    assert f"line {error.line}, column {error.column}" in error.message


def test_codec_malformed_yaml_indentation():
    error = _error("title: x\n  dates: y\n")
    assert (error.line, error.column) == (2, 8)
    assert "malformed at line 2, column 8" in error.message


def test_codec_malformed_json_line_and_column():
    error = _error('{\n  "title": "x",\n  "dates": }\n')
    assert (error.line, error.column) == (3, 12)
    assert error.message == ("The JSON is malformed at line 3, column 12: Expecting value.")


def test_codec_billion_laughs_refused():
    bomb = "a: &a ['lol','lol','lol','lol','lol','lol','lol','lol','lol']\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},"
        f"*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},"
        f"*{chr(97 + i)}]\n"
        for i in range(8)
    )
    error = _error(bomb)
    assert "Anchors are refused" in error.message
    assert (error.line, error.column) == (1, 4)


def test_codec_alias_refused():
    error = _error("a: 1\nb: *x\n")
    assert "alias" in error.message or "malformed" in error.message


@pytest.mark.parametrize(
    "text",
    [
        "a: !!python/object/apply:os.system ['echo pwned']\n",
        "a: !!binary aGVsbG8=\n",
        "a: !!set {x, y}\n",
        "a: !custom thing\n",
    ],
)
def test_codec_tags_refused(text):
    error = _error(text)
    assert "Tags are refused" in error.message
    assert error.line == 1


def test_codec_two_megabytes_refused():
    error = _error(b"a: " + b"x" * (2 * 1024 * 1024))
    assert error.message == "The file is 2.0 MB; an agreement file must be at most 1 MB."


def test_codec_size_cap_counts_bytes_not_characters():
    text = "a: " + "é" * (MAX_BYTES // 2)  # under the cap in characters, over it in bytes
    assert "at most 1 MB" in _error(text).message
    assert load("a: " + "x" * (MAX_BYTES - 10)) == {"a": "x" * (MAX_BYTES - 10)}


@pytest.mark.parametrize(
    "data",
    [bytes(range(256)), b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", b"\xc3\x28 invalid"],
)
def test_codec_binary_garbage_refused(data):
    assert "not UTF-8" in _error(data).message


def test_codec_nul_bytes_refused():
    assert "binary data" in _error(b"title: x\x00\x00\n").message


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ("- camden\n- hackney\n", "holds a list"),
        ("[1, 2]", "holds a list"),
        ('["a"]', "holds a list"),
        ("just some words\n", "holds a single value"),
        ("42", "holds a single value"),
        ("# only a comment\n", "only comments"),
    ],
)
def test_codec_top_level_not_mapping(data, words):
    assert words in _error(data).message


@pytest.mark.parametrize("data", ["", "   \n\n", b""])
def test_codec_empty_file(data):
    assert _error(data).message.startswith("The file is empty")


def test_codec_duplicate_keys_refused():
    assert "key 'title' twice" in _error("title: a\ntitle: b\n").message
    assert "key 'title' twice" in _error('{"title": "a", "title": "b"}').message


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ("1: x\n", "must be text"),
        ("? [a, b]\n: c\n", "keys must be text"),
        ("a: .nan\n", "not a number"),
        ('{"a": Infinity}', "not a number"),
        ('{"a": NaN}', "not a number"),
    ],
)
def test_codec_non_json_values_refused(data, words):
    assert words in _error(data).message


@pytest.mark.parametrize(
    "data",
    [
        "a: " + "[" * 2_000 + "]" * 2_000,
        "[" * 100_000,
        '{"a":' * 5_000 + "1" + "}" * 5_000,
        '{"a":' * 50 + "1" + "}" * 50,
    ],
    ids=["yaml", "json-list", "json-object", "json-past-depth-cap"],
)
def test_codec_deep_nesting_refused(data):
    assert "nested too deeply" in _error(data).message


@pytest.mark.parametrize("data", ['{"title": "\\ud800"}', '{"\\udfff": 1}'])
def test_codec_lone_surrogates_refused(data):
    assert "not valid Unicode" in _error(data).message


def test_codec_load_unknown_format():
    with pytest.raises(ValueError, match="Unknown format"):
        load("a: 1", "xml")


def test_codec_explicit_format_wins_over_sniffing():
    assert "JSON is malformed" in _error("title: x\n", "json").message
    assert load('{"title": "x"}', "yaml") == {"title": "x"}  # JSON is YAML


def test_codec_loader_does_not_change_pyyaml():
    """Removing the timestamp resolver is local to the codec's loader."""
    assert yaml.safe_load("d: 2026-04-01")["d"].isoformat() == "2026-04-01"
    assert json.loads(dump({"d": "2026-04-01"}, "json")) == {"d": "2026-04-01"}


@pytest.mark.parametrize(
    "data",
    [
        '{"title": "a\\u0000b"}',
        '{"a\\u0000": 1}',
        'title: "a\\0b"\n',
        '{"data": {"datasets": [{"key": "x\\u0000"}]}}',
    ],
    ids=["json text", "json key", "yaml escape", "nested"],
)
def test_load_refuses_escaped_nul_characters_which_postgresql_cannot_store(data):
    error = _error(data)
    assert "NUL character" in error.message


def test_check_plain_names_where_the_problem_is():
    with pytest.raises(DocumentError) as caught:
        check_plain({"data": {"datasets": [{"key": "x", "rows": float("nan")}]}})
    assert caught.value.path == "data.datasets.0.rows"
    assert "data.datasets.0.rows" in caught.value.message
