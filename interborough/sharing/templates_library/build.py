"""How a template is written: every pre-filled value sits beside the reason it was chosen.

A template's content is a document fragment in which any value may be wrapped in `Why(value,
why)`. `unwrap` turns that into the plain fragment and the explanations keyed by dotted
document path, so a value and its reason can never drift apart.
"""

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Why:
    """A pre-filled value and why the template chose it (plain English, for an IG lead)."""

    value: Any
    why: str


def unwrap(value: Any, path: str = "", explanations: dict[str, str] | None = None) -> Any:
    """The plain value, with each `Why` recorded in `explanations` under its dotted path."""
    if explanations is None:
        explanations = {}
    if isinstance(value, Why):
        explanations[path] = value.why
        return unwrap(value.value, path, explanations)
    if isinstance(value, dict):
        return {
            key: unwrap(item, f"{path}.{key}" if path else key, explanations)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [unwrap(item, f"{path}.{i}", explanations) for i, item in enumerate(value)]
    return value


def field(
    name: str, sensitivity: str, identifier_type: str, transformation: str, need: str, why: str
) -> Why:
    """One field of a dataset: what it is, why it is needed, and why it travels as it does."""
    return Why(
        {
            "name": name,
            "sensitivity": sensitivity,
            "identifier_type": identifier_type,
            "need": need,
            "transformation": transformation,
        },
        why,
    )


def dataset(
    key: str,
    title: str,
    description: str,
    fields: list[Why],
    *,
    months: Why,
    deletion: Why,
    why: str,
) -> Why:
    """One dataset and why the agreement needs it; `provided_by` is filled with a party later."""
    return Why(
        {
            "key": key,
            "title": title,
            "catalogue_dataset": None,
            "description": description,
            "provided_by": "",
            "fields": fields,
            "retention": {"period_months": months, "deletion_method": deletion},
        },
        why,
    )


def gateway(code: str, citation: str, why: str) -> Why:
    """A statutory gateway: the Act and section that give the power to share."""
    return Why({"code": code, "citation": citation}, why)


# Pre-filled the same way in every template: the platform's own set-up and common good practice.
UK_ONLY = Why(
    True,
    "The platform stores data only in the UK, so the sharing involves no restricted transfer "
    "abroad (UK GDPR Chapter V) and stays under UK law.",
)
ENCRYPTION_AT_REST = Why(
    "AES-256 encryption of the platform's storage and of its backups.",
    "Protects the data if storage or backups are lost or stolen (UK GDPR Article 32, security "
    "of processing).",
)
ENCRYPTION_IN_TRANSIT = Why(
    "TLS 1.2 or later for every upload, download and API call.",
    "Protects the data on its way between a party and the platform (UK GDPR Article 32).",
)
BREACH_HOURS = Why(
    24,
    "A party tells the others within 24 hours of finding a breach, so that every controller "
    "can report it to the ICO within the 72 hours UK GDPR Article 33 allows.",
)
PUBLISH = Why(
    True,
    "The ICO's data sharing code expects sharing to be transparent, and the Digital Economy Act "
    "2017 code of practice requires a public register of sharing under that Act; publishing "
    "every agreement meets both and lets residents see how their data is used.",
)
SHARING_METHOD = Why(
    "platform_upload",
    "Each party prepares its extract on its own systems, replacing identifiers with keyed "
    "encodings before upload, so identifiable data never leaves the party that holds it.",
)
RECIPIENTS_WHY = (
    "Every party receives the outputs the agreement allows; no party receives another party's "
    "records."
)
STANDARD_PROFILE = {
    "minimum_cell_count": Why(
        10,
        "Counts below 10 are suppressed, as many public bodies do for small counts about "
        "people: a small count in a small area could point to a household.",
    ),
    "rounding_base": Why(
        5,
        "Counts are rounded to the nearest 5, so that comparing tables cannot reveal a "
        "suppressed count by subtraction.",
    ),
    "dominance_n": Why(
        2,
        "With the next rule: a total (such as nights in accommodation or a sum of payments) is "
        "suppressed when its 2 largest contributors dominate it.",
    ),
    "dominance_percent": Why(
        85,
        "The (2, 85%) dominance rule: when 2 contributors make up more than 85% of a total, "
        "either could work out the other's value.",
    ),
    "secondary_suppression": Why(
        True,
        "Other cells are suppressed too where a suppressed cell could otherwise be worked out "
        "from row and column totals.",
    ),
    "two_person_check": Why(
        True,
        "Two trained people check every output before it leaves the platform (the Five Safes' "
        "'safe outputs'), because automatic rules cannot catch every disclosure.",
    ),
}
