"""The document core: sections, field help, blank documents, completeness and the approved text."""

import copy
import hashlib
import json
from datetime import date

import pytest

from interborough.accounts.models import Organisation
from interborough.sharing.document import (
    FIELD_HELP,
    FIELD_TITLES,
    FORMAT,
    SECTIONS,
    Problem,
    blank_document,
    canonical_text,
    copied_columns,
    document_problems,
    section_for,
    section_state,
    text_hash,
)
from interborough.sharing.dpia import screen
from interborough.sharing.schema import schema_problems
from tests.factories.sharing import full_document


def _document(**kwargs):
    parties = [
        Organisation(slug="camden", name="Camden"),
        Organisation(slug="hackney", name="Hackney"),
    ]
    return full_document(parties, **kwargs)


def _blank():
    return blank_document(reference="DSA-2026-0042", title="Free school meals")


def _missing(document, slug):
    return section_state(document, slug).missing


def _low_risk(document):
    """The document changed so that the DPIA screening does not require a DPIA."""
    document["processing"]["linkage"] = {"method": "none", "keys": []}
    for entry in document["data"]["datasets"]:
        entry["title"] = "Council tax bands"
        for field in entry["fields"]:
            field["transformation"] = "clear"
    document["data"]["data_subjects"] = ["Council tax payers"]
    document["dpia"] = {
        "reference": "",
        "date": None,
        "screening": {"answered": True, "criteria": []},
    }
    return document


# Sections


def test_sections_order_and_slugs():
    assert [s.slug for s in SECTIONS] == [
        "about", "parties", "purpose", "legal-basis", "dpia", "data",
        "processing", "security", "rights", "exit", "register", "ethics",
    ]  # fmt: skip
    assert all(s.title and s.hint.endswith(".") for s in SECTIONS)


def test_sections_own_every_document_key_once():
    owned = [key for section in SECTIONS for key in section.keys]
    assert len(owned) == len(set(owned))
    assert set(owned) | {"format", "reference", "version"} == set(_blank())


def test_section_for_known_and_unknown():
    assert section_for("legal-basis").keys == ("legal_basis",)
    with pytest.raises(KeyError):
        section_for("appendix")


# Field help


@pytest.mark.parametrize(
    "path",
    [
        "title",
        "dates.start",
        "dates.end",
        "dates.review",
        "parties[].ico_registration",
        "parties[].role",
        "parties[].article6_basis",
        "parties[].dpo.email",
        "parties[].signatory.job_title",
        "parties[].dspt_status",
        "parties[].cyber_essentials",
        "purpose.description",
        "purpose.dpv_purposes",
        "legal_basis.statutory_gateways[].citation",
        "legal_basis.article9_conditions",
        "legal_basis.schedule1_conditions",
        "legal_basis.article10_condition",
        "dpia.reference",
        "dpia.screening.criteria",
        "data.datasets[].key",
        "data.datasets[].fields[].sensitivity",
        "data.datasets[].fields[].identifier_type",
        "data.datasets[].fields[].need",
        "data.datasets[].fields[].transformation",
        "data.datasets[].retention.period_months",
        "data.data_subjects",
        "processing.linkage.keys",
        "processing.output_disclosure_profile.minimum_cell_count",
        "security.uk_only_storage",
        "rights.breach_notification_hours",
        "exit.on_exit",
        "register.public_summary",
        "ethics.fairness_and_bias",
    ],
)
def test_field_help_explains_each_field(path):
    assert len(FIELD_HELP[path]) >= 40
    assert FIELD_HELP[path][0].isupper() and FIELD_HELP[path].endswith(".")
    assert FIELD_TITLES[path]


def test_field_help_cites_the_ico_code_where_it_asks():
    citing = [path for path, text in FIELD_HELP.items() if "Data Sharing Code" in text]
    assert len(citing) >= 8


# Blank documents


def test_blank_document_shape():
    document = _blank()
    assert document["format"] == FORMAT == "interborough-dsa/1"
    assert (document["reference"], document["version"]) == ("DSA-2026-0042", 1)
    assert document["title"] == "Free school meals"
    assert document["dates"] == {"start": None, "end": None, "review": None}
    assert schema_problems(document) == []


def test_blank_document_has_every_key_of_full_document():
    def keys(value, path=""):
        if isinstance(value, dict):
            for key, item in value.items():
                yield f"{path}.{key}"
                yield from keys(item, f"{path}.{key}")

    full = set(keys(_document()))
    blank = set(keys(_blank()))
    list_items = {"parties", "datasets", "statutory_gateways"}
    expected = {
        p for p in full
        if not any(f".{name}." in p for name in list_items)
        and not p.startswith(".processing.output_disclosure_profile.")
    }  # fmt: skip
    assert expected <= blank
    assert blank - full == {".dpia.screening.answered"}


def test_blank_documents_independent():
    first, second = _blank(), _blank()
    first["parties"].append({"organisation": "camden"})
    assert second["parties"] == []


# Completeness


def test_section_state_full_document_complete():
    document = _document()
    for section in SECTIONS:
        state = section_state(document, section.slug)
        assert (state.slug, state.complete, state.missing) == (section.slug, True, [])


def test_section_state_blank_document_incomplete_everywhere():
    document = _blank()
    for section in SECTIONS:
        state = section_state(document, section.slug)
        assert not state.complete and state.missing, section.slug


@pytest.mark.parametrize(
    ("slug", "expected"),
    [
        (
            "about",
            [
                "Give the date the agreement starts",
                "Give the date the agreement ends",
                "Give the date the parties will review the agreement",
            ],
        ),
        ("parties", ["Add at least two parties"]),
        ("dpia", ["Answer the DPIA screening questions"]),
        ("register", ["Say whether the agreement appears in the public register"]),
    ],
)
def test_section_state_blank_messages(slug, expected):
    assert _missing(_blank(), slug) == expected


def test_section_state_about_needs_title():
    document = _document()
    document["title"] = "  "
    assert _missing(document, "about") == ["Give the agreement a title"]


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("organisation", "", "Choose the organisation for each party"),
        ("ico_registration", "", "Give each party's ICO registration number"),
        ("role", None, "Say whether each party is a controller, joint controller or processor"),
        ("article6_basis", None, "Choose each party's UK GDPR Article 6 lawful basis"),
        (
            "dpo",
            {"name": "", "email": "dpo@x.example"},
            "Name each party's data protection officer",
        ),
        (
            "signatory",
            {"name": "A", "job_title": "SIRO", "email": ""},
            "Give each party's signatory's email address",
        ),
        ("dspt_status", None, "Give each party's Data Security and Protection Toolkit status"),
        ("cyber_essentials", None, "Give each party's Cyber Essentials certification"),
    ],
)
def test_section_state_parties_each_detail(key, value, message):
    document = _document()
    document["parties"][1][key] = value
    assert _missing(document, "parties") == [message]


def test_section_state_parties_one_message_for_many_parties():
    document = _document()
    for party in document["parties"]:
        party["ico_registration"] = ""
    assert _missing(document, "parties") == ["Give each party's ICO registration number"]


def test_section_state_parties_fewer_than_two():
    document = _document()
    document["parties"].pop()
    assert _missing(document, "parties") == ["Add at least two parties"]


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("description", "Describe the purpose of the sharing"),
        ("dpv_purposes", "Choose at least one purpose code"),
        ("public_benefit", "Say what public benefit you expect"),
        ("success_measures", "Say how you will measure success"),
    ],
)
def test_section_state_purpose_each_answer(key, message):
    document = _document()
    document["purpose"][key] = [] if key == "dpv_purposes" else ""
    assert _missing(document, "purpose") == [message]


def test_section_state_legal_basis_needs_gateway_and_citation():
    document = _document()
    document["legal_basis"]["statutory_gateways"][0]["citation"] = ""
    assert _missing(document, "legal-basis") == [
        "Give the code and the full citation of each statutory gateway"
    ]
    document["legal_basis"]["statutory_gateways"] = []
    assert _missing(document, "legal-basis") == [
        "Name the law that lets the parties share the data (a statutory gateway)"
    ]


def test_section_state_legal_basis_article9_only_for_special_category():
    document = _document()
    assert _missing(document, "legal-basis") == []
    document["data"]["datasets"][0]["fields"][2]["sensitivity"] = "special_category"
    assert _missing(document, "legal-basis") == [
        "Choose an Article 9 condition, because some fields are special category"
    ]
    document["legal_basis"]["article9_conditions"] = ["art9_2_g"]
    assert _missing(document, "legal-basis") == [
        "Choose a DPA 2018 Schedule 1 condition for the Article 9 condition"
    ]
    document["legal_basis"]["schedule1_conditions"] = ["sch1_para6"]
    assert section_state(document, "legal-basis").complete


def test_section_state_legal_basis_article9_without_schedule1_need():
    document = _document()
    document["data"]["datasets"][0]["fields"][2]["sensitivity"] = "special_category"
    document["legal_basis"]["article9_conditions"] = ["art9_2_a"]  # explicit consent
    assert section_state(document, "legal-basis").complete


def test_section_state_legal_basis_article10_only_for_criminal_offence():
    document = _document()
    document["data"]["datasets"][0]["fields"][2]["sensitivity"] = "criminal_offence"
    assert _missing(document, "legal-basis") == [
        "Choose an Article 10 condition, because some fields are criminal offence"
    ]
    document["legal_basis"]["article10_condition"] = "official_authority"
    assert section_state(document, "legal-basis").complete


def test_section_state_dpia_screening_must_be_answered():
    document = _low_risk(_document())
    assert not screen(document).required
    assert section_state(document, "dpia").complete  # answered, nothing applies
    document["dpia"]["screening"]["answered"] = False
    assert _missing(document, "dpia") == ["Answer the DPIA screening questions"]
    del document["dpia"]["screening"]["answered"]
    assert _missing(document, "dpia") == ["Answer the DPIA screening questions"]


def test_section_state_dpia_reference_when_screening_requires_one():
    document = _document()
    assert screen(document).required
    document["dpia"]["reference"] = ""
    document["dpia"]["date"] = None
    assert _missing(document, "dpia") == [
        "Give the reference of the DPIA, because the screening requires one",
        "Give the date the DPIA was completed",
    ]


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d["data"].update(datasets=[]), "Add at least one dataset"),
        (lambda d: d["data"]["datasets"][0].update(key=""), "Give each dataset a short key"),
        (lambda d: d["data"]["datasets"][0].update(title=""), "Give each dataset a title"),
        (lambda d: d["data"]["datasets"][0].update(description=""), "Describe each dataset"),
        (
            lambda d: d["data"]["datasets"][0].update(provided_by=""),
            "Say which party provides each dataset",
        ),
        (lambda d: d["data"]["datasets"][0].update(fields=[]), "List the fields of each dataset"),
        (
            lambda d: d["data"]["datasets"][0]["retention"].update(period_months=None),
            "Say how many months each dataset is kept",
        ),
        (
            lambda d: d["data"]["datasets"][0]["retention"].update(deletion_method=""),
            "Say how each dataset is deleted at the end",
        ),
        (lambda d: d["data"]["datasets"][0]["fields"][0].update(name=""), "Name each field"),
        (
            lambda d: d["data"]["datasets"][0]["fields"][0].update(sensitivity=None),
            "Give each field's sensitivity",
        ),
        (
            lambda d: d["data"]["datasets"][0]["fields"][0].update(identifier_type=None),
            "Say whether each field is a direct identifier, quasi-identifier or attribute",
        ),
        (
            lambda d: d["data"]["datasets"][0]["fields"][3].update(need=" "),
            "Say why each field is needed",
        ),
        (
            lambda d: d["data"]["datasets"][0]["fields"][0].update(transformation=None),
            "Say how each field is shared (in the clear, hashed, or dropped)",
        ),
        (
            lambda d: d["data"].update(data_subjects=[]),
            "Say whose data it is (the categories of data subject)",
        ),
        (lambda d: d["data"].update(refresh_frequency=None), "Say how often the data is refreshed"),
    ],
)
def test_section_state_data_each_answer(mutate, message):
    document = _document()
    mutate(document)
    assert _missing(document, "data") == [message]


def test_section_state_processing_linkage_keys_only_when_linking():
    document = _document()
    document["processing"]["linkage"]["keys"] = []
    assert _missing(document, "processing") == ["Choose the fields records are linked on"]
    document["processing"]["linkage"]["method"] = "none"
    assert section_state(document, "processing").complete


def test_section_state_processing_profile_only_when_releasing():
    document = _document()
    document["processing"]["output_disclosure_profile"] = None
    assert section_state(document, "processing").complete
    document["processing"]["permitted_operations"].append("release")
    assert _missing(document, "processing") == [
        "Set the output disclosure profile, because outputs may be released"
    ]


def test_section_state_processing_profile_every_rule():
    document = _document()
    document["processing"]["output_disclosure_profile"]["two_person_check"] = None
    assert _missing(document, "processing") == [
        "Complete every rule of the output disclosure profile"
    ]


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("sharing_method", "Say how the data is shared"),
        ("recipients", "Say which parties receive the data"),
        ("permitted_operations", "Choose what the parties may do with the data"),
    ],
)
def test_section_state_processing_each_answer(key, message):
    document = _document()
    document["processing"][key] = None if key == "sharing_method" else []
    assert _missing(document, "processing") == [message]


@pytest.mark.parametrize(
    ("slug", "section", "key", "value", "message"),
    [
        (
            "security",
            "security",
            "uk_only_storage",
            None,
            "Say whether the data is stored only in the UK",
        ),
        ("security", "security", "classification", None, "Give the security classification"),
        ("security", "security", "encryption_at_rest", "", "Say how stored data is encrypted"),
        (
            "security",
            "security",
            "encryption_in_transit",
            "",
            "Say how data is encrypted when it moves",
        ),
        ("rights", "rights", "privacy_notices", [], "Link to at least one privacy notice"),
        (
            "rights",
            "rights",
            "subject_access_route",
            "",
            "Say how people ask for their data (subject access)",
        ),
        ("rights", "rights", "objections_route", "", "Say how people object to the sharing"),
        (
            "rights",
            "rights",
            "breach_notification_hours",
            None,
            "Say within how many hours parties report a breach",
        ),
        ("exit", "exit", "termination_terms", "", "Say how a party can end or leave the agreement"),
        ("exit", "exit", "on_exit", None, "Say whether data is deleted or returned at the end"),
        ("exit", "exit", "deletion_method", "", "Say how the data is deleted"),
        (
            "register",
            "register",
            "public_summary",
            "",
            "Write a plain-English summary for the public register",
        ),
        ("register", "register", "contact", "", "Give a contact for questions from the public"),
        (
            "ethics",
            "ethics",
            "proportionality",
            "n/a",
            "Explain why sharing this data is proportionate to the purpose",
        ),
    ],
)
def test_section_state_each_answer(slug, section, key, value, message):
    document = _document()
    document[section][key] = value
    assert _missing(document, slug) == [message]


def test_section_state_security_false_is_an_answer():
    document = _document()
    document["security"]["uk_only_storage"] = False
    assert section_state(document, "security").complete


def test_section_state_register_unpublished_needs_no_summary():
    document = _document()
    document["register"] = {"publish": False, "public_summary": "", "contact": ""}
    assert section_state(document, "register").complete


@pytest.mark.parametrize("junk", [{}, {"parties": "camden", "data": [1], "dpia": 3}, []])
def test_section_state_survives_malformed_documents(junk):
    for section in SECTIONS:
        assert not section_state(junk, section.slug).complete


def test_section_state_unknown_slug():
    with pytest.raises(KeyError):
        section_state(_document(), "appendix")


# Problems


def test_document_problems_full_document_none():
    assert document_problems(_document()) == []


def test_document_problems_schema_then_contradictions():
    document = _document()
    document["exit"]["on_exit"] = "shred"
    document["dates"]["end"] = "2000-01-01"
    problems = document_problems(document)
    assert [p.path for p in problems][:1] == ["exit.on_exit"]
    assert Problem("dates.end", "The end date must be after the start date.") in problems


def test_document_problems_not_a_mapping():
    assert [p.path for p in document_problems(["not", "an", "agreement"])] == [""]


# The approved text


def test_canonical_text_sorted_compact_utf8():
    text = canonical_text({"b": 1, "a": {"d": "é", "c": [1, 2]}})
    assert text == '{"a":{"c":[1,2],"d":"é"},"b":1}'.encode()


def test_text_hash_is_sha256_of_canonical_text():
    document = _document()
    assert text_hash(document) == hashlib.sha256(canonical_text(document)).hexdigest()
    assert len(text_hash(document)) == 64


def test_text_hash_ignores_key_order_and_survives_json_round_trip():
    document = _document()
    reordered = dict(reversed(list(document.items())))
    assert text_hash(reordered) == text_hash(document)
    assert text_hash(json.loads(json.dumps(document))) == text_hash(document)


def test_text_hash_changes_with_any_value():
    document = _document()
    changed = copy.deepcopy(document)
    changed["data"]["datasets"][0]["fields"][1]["transformation"] = "keyed_hash"
    assert text_hash(changed) != text_hash(document)


# Copied columns


def test_copied_columns_full_document():
    document = _document(start=date(2026, 4, 1), end=date(2028, 3, 31))
    assert copied_columns(document) == {
        "title": "Cross-borough temporary accommodation placements",
        "start_date": date(2026, 4, 1),
        "end_date": date(2028, 3, 31),
        "review_date": date(2027, 4, 1),
        "in_register": True,
        "public_summary": "Boroughs count families placed in each other's areas.",
    }


def test_copied_columns_blank_and_malformed():
    assert copied_columns(_blank()) == {
        "title": "Free school meals",
        "start_date": None,
        "end_date": None,
        "review_date": None,
        "in_register": False,
        "public_summary": "",
    }
    columns = copied_columns({"dates": {"start": "1 April"}, "register": {"publish": "yes"}})
    assert columns["start_date"] is None and columns["in_register"] is False
