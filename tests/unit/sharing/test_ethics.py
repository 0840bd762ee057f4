"""The data ethics checklist (sharing/ethics.py): its questions and when it is complete.
Pure, no database."""

import pytest

from interborough.sharing import ethics
from interborough.sharing.document import blank_document
from interborough.sharing.schema import schema_properties

ANSWERS = {
    "proportionality": "Only keyed encodings leave each borough; names never do.",
    "fairness_and_bias": "Match rates are compared by age group, ethnicity and borough.",
    "transparency": "Residents can read this agreement in the public register.",
    "public_benefit": "Families placed away from home keep their school and GP.",
}


def document(**answers):
    doc = blank_document(reference="DSA-2026-0200", title="Ethics test")
    doc["ethics"].update(answers)
    return doc


def test_questions_cover_the_four_ethics_fields_of_the_document():
    keys = [q.key for q in ethics.QUESTIONS]
    in_schema = [
        path.split(".", 1)[1] for path in schema_properties() if path.startswith("ethics.")
    ]

    assert keys == ["proportionality", "fairness_and_bias", "transparency", "public_benefit"]
    assert sorted(keys) == sorted(in_schema)
    for question in ethics.QUESTIONS:
        assert question.question.endswith("?")
        assert len(question.guidance) > 100, question.key


def test_guidance_draws_on_the_data_ethics_framework():
    guidance = " ".join(q.guidance for q in ethics.QUESTIONS).lower()

    assert "data ethics framework" in guidance
    for principle in ("transparency", "accountab", "fairness"):
        assert principle in guidance


def test_ethics_state_blank_document_lists_every_question():
    complete, missing = ethics.ethics_state(blank_document(reference="DSA-1", title="t"))

    assert not complete
    assert missing == [q.missing for q in ethics.QUESTIONS]


def test_ethics_state_complete_when_every_question_answered():
    assert ethics.ethics_state(document(**ANSWERS)) == (True, [])


def test_ethics_state_names_only_what_is_missing():
    answers = {**ANSWERS, "transparency": "   "}

    complete, missing = ethics.ethics_state(document(**answers))

    assert not complete
    assert missing == ["Say how residents will be told about the sharing"]


@pytest.mark.parametrize("placeholder", ["N/A", "n/a.", "None", "TBC", "-", " . ", "See above"])
def test_ethics_state_placeholder_is_not_an_answer(placeholder):
    complete, missing = ethics.ethics_state(document(**{**ANSWERS, "proportionality": placeholder}))

    assert not complete
    assert missing == ["Explain why sharing this data is proportionate to the purpose"]


def test_ethics_state_short_real_answer_counts():
    assert ethics.is_answered("No names are shared.")


@pytest.mark.parametrize("section", [None, "yes", ["a"], {"proportionality": 3}])
def test_ethics_state_malformed_section_is_incomplete_not_an_error(section):
    complete, missing = ethics.ethics_state({"ethics": section})

    assert not complete
    assert len(missing) >= 3
