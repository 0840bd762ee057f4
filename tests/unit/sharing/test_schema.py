"""The published JSON Schema: valid, in step with the vocabularies, and worded for people."""

import copy
import json

import pytest
from jsonschema import Draft202012Validator

from interborough.accounts.models import Organisation
from interborough.sharing import vocab
from interborough.sharing.document import blank_document
from interborough.sharing.dpia import CRITERIA
from interborough.sharing.schema import (
    AGREEMENT_SCHEMA,
    SCHEMA_ID,
    SCHEMA_PATH,
    SCHEMA_URL_PATH,
    Problem,
    schema_enum,
    schema_problems,
    schema_properties,
)
from tests.factories.sharing import full_document


def _document():
    parties = [
        Organisation(slug="camden", name="Camden"),
        Organisation(slug="hackney", name="Hackney"),
    ]
    return full_document(parties)


def _problems(document):
    return {(p.path, p.message) for p in schema_problems(document)}


def test_schema_is_valid_draft_2020_12():
    Draft202012Validator.check_schema(AGREEMENT_SCHEMA)
    assert AGREEMENT_SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_schema_id_is_the_stable_url():
    assert SCHEMA_ID == "https://interborough.london/agreements/schema/v1.json"
    assert SCHEMA_ID.endswith(SCHEMA_URL_PATH)
    assert json.loads(SCHEMA_PATH.read_text(encoding="utf-8")) == AGREEMENT_SCHEMA


ENUMS = {
    "parties[].role": vocab.PARTY_ROLES,
    "parties[].article6_basis": vocab.ARTICLE6_BASES,
    "parties[].dspt_status": vocab.DSPT_STATUSES,
    "parties[].cyber_essentials": vocab.CYBER_ESSENTIALS,
    "purpose.dpv_purposes": vocab.DPV_PURPOSES,
    "legal_basis.statutory_gateways[].code": vocab.STATUTORY_GATEWAYS,
    "legal_basis.article9_conditions": vocab.ARTICLE9_CONDITIONS,
    "legal_basis.schedule1_conditions": vocab.SCHEDULE1_CONDITIONS,
    "legal_basis.article10_condition": vocab.ARTICLE10_CONDITIONS,
    "data.datasets[].fields[].sensitivity": vocab.SENSITIVITIES,
    "data.datasets[].fields[].identifier_type": vocab.IDENTIFIER_TYPES,
    "data.datasets[].fields[].transformation": vocab.TRANSFORMATIONS,
    "data.refresh_frequency": vocab.REFRESH_FREQUENCIES,
    "processing.sharing_method": vocab.SHARING_METHODS,
    "processing.linkage.method": vocab.LINKAGE_METHODS,
    "processing.permitted_operations": vocab.OPERATIONS,
    "security.classification": vocab.CLASSIFICATIONS,
    "exit.on_exit": vocab.ON_EXIT,
}


@pytest.mark.parametrize("path", ENUMS)
def test_schema_enums_equal_vocab(path):
    assert schema_enum(path) == list(ENUMS[path])


def test_schema_enums_all_checked():
    """Every enum in the file is in the table above, so none can drift unnoticed."""
    with_enums = {path for path in schema_properties() if schema_enum(path)}
    assert with_enums == set(ENUMS) | {"dpia.screening.criteria"}


def test_schema_screening_criteria_equal_dpia_criteria():
    assert schema_enum("dpia.screening.criteria") == [c.code for c in CRITERIA]


def _objects(schema, path="#"):
    if schema.get("type") in ("object", ["object", "null"]) or "properties" in schema:
        yield path, schema
    for key, sub in schema.get("properties", {}).items():
        yield from _objects(sub, f"{path}/{key}")
    if isinstance(schema.get("items"), dict):
        yield from _objects(schema["items"], f"{path}[]")


def test_schema_objects_closed_and_described():
    objects = list(_objects(AGREEMENT_SCHEMA))
    assert len(objects) > 15
    for path, schema in objects:
        assert schema.get("additionalProperties") is False, path
    for path, sub in schema_properties().items():
        assert sub.get("title"), path
        assert len(sub.get("description", "")) >= 20, path


def test_schema_string_caps():
    props = schema_properties()
    assert props["title"]["maxLength"] == 200
    assert props["data.datasets[].title"]["maxLength"] == 200
    for path in ("purpose.description", "ethics.proportionality", "data.datasets[].fields[].need"):
        assert props[path]["maxLength"] == 5000
    # Every free string is capped (dates by their format, codes by their enum).
    schemas = [*props.values(), *(s["items"] for s in props.values() if "items" in s)]
    free = [
        s
        for s in schemas
        if "string" in (s.get("type") or []) and s.get("format") != "date" and "enum" not in s
    ]
    assert len(free) > 30
    assert all("maxLength" in s for s in free)


def test_schema_full_document_valid():
    assert schema_problems(_document()) == []


def test_schema_blank_document_valid():
    assert schema_problems(blank_document(reference="DSA-2026-0001", title="")) == []


def test_schema_problem_enum_names_the_codes():
    document = _document()
    document["parties"][1]["role"] = "owner"
    assert _problems(document) == {
        ("parties.1.role", "'owner' is not one of controller, joint_controller, processor or empty")
    }
    assert str(schema_problems(document)[0]).startswith("parties.1.role: 'owner' is not one of")


def test_schema_problem_long_enum_summarised():
    document = _document()
    document["legal_basis"]["statutory_gateways"][0]["code"] = "magna-carta"
    [problem] = schema_problems(document)
    assert problem.path == "legal_basis.statutory_gateways.0.code"
    assert "'magna-carta' is not one of the" in problem.message
    assert "housing-act-1996-part-7" in problem.message


@pytest.mark.parametrize(
    ("mutate", "path", "words"),
    [
        (lambda d: d["dates"].update(start="2026-13-01"), "dates.start", "not a date in the form"),
        (lambda d: d["dates"].update(end="1 April 2027"), "dates.end", "YYYY-MM-DD"),
        (
            lambda d: d["parties"][0]["dpo"].update(email="nobody"),
            "parties.0.dpo.email",
            "not an email address",
        ),
        (lambda d: d.update(title="x" * 201), "title", "at most 200 characters (it has 201)"),
        (
            lambda d: d["purpose"].update(description="x" * 5001),
            "purpose.description",
            "at most 5,000 characters",
        ),
        (lambda d: d.update(version="2"), "version", "should be a whole number"),
        (
            lambda d: d["security"].update(uk_only_storage="yes"),
            "security.uk_only_storage",
            "should be true or false or empty",
        ),
        (
            lambda d: d["purpose"].update(dpv_purposes=["dpv:ServiceProvision"] * 2),
            "purpose.dpv_purposes",
            "more than once",
        ),
        (
            lambda d: d["rights"].update(privacy_notices=["ftp://x.example"]),
            "rights.privacy_notices.0",
            "starting with https://",
        ),
        (lambda d: d.update(reference="DSA 2026/1"), "reference", "letters, digits and hyphens"),
        (
            lambda d: d["data"]["datasets"][0].update(key="Placements!"),
            "data.datasets.0.key",
            "lower-case letters",
        ),
        (lambda d: d.update(format="word-document"), "format", "must be 'interborough-dsa/1'"),
        (
            lambda d: d["dpia"]["screening"].update(criteria=["astrology"]),
            "dpia.screening.criteria.0",
            "'astrology' is not one of",
        ),
        (
            lambda d: d["processing"].update(output_disclosure_profile="strict"),
            "processing.output_disclosure_profile",
            "should be a set of named values",
        ),
        (lambda d: d.update(parties={"camden": {}}), "parties", "should be a list"),
    ],
)
def test_schema_problem_messages(mutate, path, words):
    document = _document()
    mutate(document)
    problems = schema_problems(document)
    assert [p.path for p in problems] == [path], problems
    assert words in problems[0].message


def test_schema_problem_missing_and_unknown_keys():
    document = _document()
    del document["dates"]["review"]
    document["purpose"]["colour"] = "blue"
    problems = _problems(document)
    assert ("dates.review", "is missing: add it (it may be empty)") in problems
    [unknown] = [p for p in problems if p[0] == "purpose.colour"]
    assert "remove it" in unknown[1] and "description" in unknown[1]
    assert len(problems) == 2


def test_schema_problem_empty_email_allowed_while_drafting():
    document = _document()
    document["parties"][0]["signatory"]["email"] = ""
    assert schema_problems(document) == []


def test_schema_problem_screening_answered_optional():
    document = _document()
    assert "answered" not in document["dpia"]["screening"]
    assert schema_problems(document) == []
    document["dpia"]["screening"]["answered"] = "yes"
    assert [p.path for p in schema_problems(document)] == ["dpia.screening.answered"]


def test_schema_problem_lone_surrogate():
    document = _document()
    document["purpose"]["description"] = "Count \ud800 households"
    assert _problems(document) == {
        ("purpose.description", "contains a character that is not valid Unicode: retype the text")
    }


@pytest.mark.parametrize("value", [[], "agreement", 3, None])
def test_schema_problem_top_level_not_mapping(value):
    assert schema_problems(value) == [
        Problem("", "The agreement must be a mapping of sections, not a list or a value.")
    ]


def test_schema_problem_every_error_reported():
    document = copy.deepcopy(_document())
    document["parties"][0]["role"] = "boss"
    document["data"]["datasets"][0]["fields"][2]["sensitivity"] = "secret"
    document["exit"]["on_exit"] = "burn"
    paths = [p.path for p in schema_problems(document)]
    assert sorted(paths) == sorted(
        ["parties.0.role", "data.datasets.0.fields.2.sensitivity", "exit.on_exit"]
    )
