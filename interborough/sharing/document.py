"""The agreement document (format "interborough-dsa/1"): its sections, what each field means,
what a section still needs, and the canonical text every party approves.

The agreement IS this JSON document (ADR 0009); the model's columns only copy out what the
platform queries. Pure Python (no Django), so drafting, import, the API and tests share one
definition.

A blank document has every key present: free text is "", lists are [], and everything else
(dates, codes, numbers, yes/no answers) is null until someone answers it, so "not answered yet"
is never confused with "no" or 0. The DPIA screening records `dpia.screening.answered: true`
once the person has gone through the criteria: ticking none is an answer, and without the flag
an empty list could not be told from a question nobody looked at. A document that ticks any
criterion has answered it too, so the flag is optional.
"""

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from interborough.sharing.completeness import SectionState, section_state
from interborough.sharing.contradictions import contradictions
from interborough.sharing.reading import iso_date, obj
from interborough.sharing.schema import Problem, schema_problems, schema_properties

FORMAT = "interborough-dsa/1"

__all__ = [
    "FIELD_HELP",
    "FIELD_TITLES",
    "FORMAT",
    "SECTIONS",
    "Problem",
    "Section",
    "SectionState",
    "blank_document",
    "canonical_text",
    "copied_columns",
    "document_problems",
    "section_for",
    "section_state",
    "text_hash",
]

# Plain-English help and short labels for every field, by dotted path with [] for list items
# ("data.datasets[].fields[].transformation"): the schema's descriptions and titles, written
# for an IG lead (what it is, why the ICO's Data Sharing Code asks, an example).
FIELD_HELP: dict[str, str] = {
    path: sub["description"] for path, sub in schema_properties().items() if "description" in sub
}
FIELD_TITLES: dict[str, str] = {
    path: sub["title"] for path, sub in schema_properties().items() if "title" in sub
}


@dataclass(frozen=True)
class Section:
    """One section of the drafting task list and the document keys it owns."""

    slug: str
    title: str
    keys: tuple[str, ...]
    hint: str


# fmt: off
SECTIONS: list[Section] = [
    Section("about", "About the agreement", ("title", "dates", "supersedes"),
            "Its title, when it starts and ends, and when the parties will review it."),
    Section("parties", "Parties", ("parties",),
            "Who shares and receives the data, their roles, lawful basis and contacts."),
    Section("purpose", "Purpose and benefits", ("purpose",),
            "Why the data is shared, the public benefit and how you will measure success."),
    Section("legal-basis", "Legal basis", ("legal_basis",),
            "The law that lets you share, and the conditions for sensitive data."),
    Section("dpia", "Data protection impact assessment", ("dpia",),
            "Screening against the ICO's criteria, and the DPIA if one is needed."),
    Section("data", "Data", ("data",),
            "The datasets and fields, why each is needed, how it travels and how long it is kept."),
    Section("processing", "Processing and linkage", ("processing",),
            "How data moves, how records are linked, who receives it and what they may do."),
    Section("security", "Security", ("security",),
            "Where the data is stored, its classification and how it is encrypted."),
    Section("rights", "Rights and transparency", ("rights",),
            "Privacy notices, how people use their rights, and how breaches are reported."),
    Section("exit", "Ending the agreement", ("exit",),
            "How a party can leave and what happens to the data at the end."),
    Section("register", "Public register", ("register",),
            "Whether the agreement appears in the public register, and its plain-English summary."),
    Section("ethics", "Data ethics", ("ethics",),
            "Proportionality, fairness and bias, transparency to residents and public benefit."),
]
# fmt: on

_SECTIONS_BY_SLUG = {section.slug: section for section in SECTIONS}


def section_for(slug: str) -> Section:
    """The section with this slug; KeyError for an unknown one."""
    return _SECTIONS_BY_SLUG[slug]


def blank_document(*, reference: str, title: str) -> dict[str, Any]:
    """A new agreement: every section key present, nothing answered yet."""
    return {
        "format": FORMAT,
        "reference": reference,
        "version": 1,
        "title": title,
        "supersedes": None,
        "dates": {"start": None, "end": None, "review": None},
        "parties": [],
        "purpose": {
            "description": "",
            "dpv_purposes": [],
            "public_benefit": "",
            "success_measures": "",
        },
        "legal_basis": {
            "statutory_gateways": [],
            "article9_conditions": [],
            "schedule1_conditions": [],
            "article10_condition": None,
        },
        "dpia": {
            "reference": "",
            "date": None,
            "screening": {"answered": False, "criteria": []},
        },
        "data": {"datasets": [], "data_subjects": [], "refresh_frequency": None},
        "processing": {
            "sharing_method": None,
            "linkage": {"method": None, "keys": []},
            "recipients": [],
            "permitted_operations": [],
            "output_disclosure_profile": None,
        },
        "security": {
            "uk_only_storage": None,
            "classification": None,
            "encryption_at_rest": "",
            "encryption_in_transit": "",
        },
        "rights": {
            "privacy_notices": [],
            "subject_access_route": "",
            "objections_route": "",
            "breach_notification_hours": None,
        },
        "exit": {"termination_terms": "", "on_exit": None, "deletion_method": ""},
        "register": {"publish": None, "public_summary": "", "contact": ""},
        "ethics": {
            "proportionality": "",
            "fairness_and_bias": "",
            "transparency": "",
            "public_benefit": "",
        },
    }


def document_problems(document: Any) -> list[Problem]:
    """Everything wrong with a document: schema problems, then contradictions."""
    problems = schema_problems(document)
    if isinstance(document, dict):
        problems += contradictions(document)
    return problems


def canonical_text(document: dict[str, Any]) -> bytes:
    """The exact bytes every party approves: JSON with sorted keys, no spaces, UTF-8."""
    return json.dumps(
        document, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def text_hash(document: dict[str, Any]) -> str:
    """SHA-256 (hex) of the canonical text: what each approval records."""
    return hashlib.sha256(canonical_text(document)).hexdigest()


def copied_columns(document: dict[str, Any]) -> dict[str, Any]:
    """What the services copy from the document into the agreement's columns."""
    dates = obj(document.get("dates"))
    register = obj(document.get("register"))
    title = document.get("title")
    summary = register.get("public_summary")
    return {
        "title": title if isinstance(title, str) else "",
        "start_date": iso_date(dates.get("start")),
        "end_date": iso_date(dates.get("end")),
        "review_date": iso_date(dates.get("review")),
        "in_register": register.get("publish") is True,
        "public_summary": summary if isinstance(summary, str) else "",
    }
