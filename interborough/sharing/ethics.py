"""The data ethics checklist that travels with every agreement (the document's `ethics` section).

Four questions, drawing on the UK Government's Data Ethics Framework (its principles of
transparency, accountability and fairness) and on the ICO's data sharing code. The answers are
written for residents as much as for information governance leads: the register publishes them
with the agreement.

Pure Python: no Django.
"""

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class EthicsQuestion:
    """One question of the checklist: the document key, the question, and how to answer it."""

    key: str
    question: str
    guidance: str
    missing: str  # what to do when there is no answer, as an instruction


QUESTIONS: list[EthicsQuestion] = [
    EthicsQuestion(
        key="proportionality",
        question="Is sharing this data proportionate to what you want to achieve?",
        guidance=(
            "Explain why you need each kind of data and why less would not do: could you use "
            "aggregate figures, fewer fields, a shorter period or pseudonymised data instead? "
            "Say what you have left out and why. Sharing only what is needed is the data "
            "minimisation principle (UK GDPR Article 5(1)(c))."
        ),
        missing="Explain why sharing this data is proportionate to the purpose",
    ),
    EthicsQuestion(
        key="fairness_and_bias",
        question="Could the sharing or its results treat some groups of residents unfairly?",
        guidance=(
            "Fairness is a principle of the Data Ethics Framework. Think about who is missing "
            "from the data or recorded less accurately (for example "
            "people with names spelt in different ways, or households not known to a service), "
            "and whether matching or analysis could work less well for them. Say how you will "
            "check for bias, such as comparing match rates by age, ethnicity or borough, and "
            "what you will do if you find it."
        ),
        missing="Say how you will check that the sharing and its results are fair",
    ),
    EthicsQuestion(
        key="transparency",
        question="How will residents know their data is shared, and how can they find out more?",
        guidance=(
            "Transparency and accountability are principles of the Data Ethics Framework. Say "
            "where residents can read about this sharing in plain English: privacy notices, "
            "the public register of agreements, council web pages or letters. Say who is "
            "accountable for the sharing and how a resident can ask a question or object."
        ),
        missing="Say how residents will be told about the sharing",
    ),
    EthicsQuestion(
        key="public_benefit",
        question="What benefit will the public get, and how will you know it was achieved?",
        guidance=(
            "Describe the benefit to residents or public services in concrete terms, such as "
            "families helped sooner or services better planned, and who gets it. Say how you "
            "will measure it and when you will stop sharing if the benefit does not come."
        ),
        missing="Describe the public benefit and how you will know it was achieved",
    ),
]

QUESTIONS_BY_KEY: dict[str, EthicsQuestion] = {q.key: q for q in QUESTIONS}

# Answers that are placeholders, not answers; an ethics question always has something to say.
PLACEHOLDERS = frozenset({"n/a", "na", "none", "no", "nil", "tbc", "tbd", "-", ".", "see above"})


def is_answered(value: object) -> bool:
    """True when `value` is a real answer: text that is neither blank nor a placeholder."""
    if not isinstance(value, str):
        return False
    text = value.strip().strip(".").strip().lower()
    return bool(text) and text not in PLACEHOLDERS


def ethics_state(document: dict[str, Any]) -> tuple[bool, list[str]]:
    """(complete, what is missing in plain English) for the document's ethics checklist."""
    section = document.get("ethics")
    answers = section if isinstance(section, dict) else {}
    missing = [q.missing for q in QUESTIONS if not is_answered(answers.get(q.key))]
    return not missing, missing
