"""What each section of an agreement document still needs before it can be submitted, in plain
English for the person drafting it (the task list's "Incomplete" tags and their reasons).

Pure Python (no Django). Re-exported by `document.py`, which most callers import.
"""

from dataclasses import dataclass, field
from typing import Any

from interborough.sharing.reading import given, items, obj


@dataclass(frozen=True)
class SectionState:
    """Whether a section is complete, and what a person still has to give (plain English)."""

    slug: str
    complete: bool
    missing: list[str] = field(default_factory=list)


def _fields(document: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        f for d in items(obj(document.get("data")).get("datasets")) for f in items(d.get("fields"))
    ]


def sensitivities(document: dict[str, Any]) -> set[str]:
    """Every field sensitivity the document uses."""
    return {f["sensitivity"] for f in _fields(document) if isinstance(f.get("sensitivity"), str)}


def _missing_about(document: dict[str, Any]) -> list[str]:
    dates = obj(document.get("dates"))
    checks = [
        (document.get("title"), "Give the agreement a title"),
        (dates.get("start"), "Give the date the agreement starts"),
        (dates.get("end"), "Give the date the agreement ends"),
        (dates.get("review"), "Give the date the parties will review the agreement"),
    ]
    return [message for value, message in checks if not given(value)]


# (dotted key inside a party, what to ask for when any party lacks it)
_PARTY_NEEDS = [
    ("organisation", "Choose the organisation for each party"),
    ("ico_registration", "Give each party's ICO registration number"),
    ("role", "Say whether each party is a controller, joint controller or processor"),
    ("article6_basis", "Choose each party's UK GDPR Article 6 lawful basis"),
    ("dpo.name", "Name each party's data protection officer"),
    ("dpo.email", "Give each party's data protection officer's email address"),
    ("signatory.name", "Name each party's signatory"),
    ("signatory.job_title", "Give each party's signatory's job title"),
    ("signatory.email", "Give each party's signatory's email address"),
    ("dspt_status", "Give each party's Data Security and Protection Toolkit status"),
    ("cyber_essentials", "Give each party's Cyber Essentials certification"),
]


def _dig(value: dict[str, Any], dotted: str) -> Any:
    for part in dotted.split("."):
        value = obj(value).get(part)  # type: ignore[assignment]
    return value


def _missing_parties(document: dict[str, Any]) -> list[str]:
    parties = items(document.get("parties"))
    missing = [] if len(parties) >= 2 else ["Add at least two parties"]
    for key, message in _PARTY_NEEDS:
        if any(not given(_dig(party, key)) for party in parties):
            missing.append(message)
    return missing


def _missing_purpose(document: dict[str, Any]) -> list[str]:
    purpose = obj(document.get("purpose"))
    checks = [
        ("description", "Describe the purpose of the sharing"),
        ("dpv_purposes", "Choose at least one purpose code"),
        ("public_benefit", "Say what public benefit you expect"),
        ("success_measures", "Say how you will measure success"),
    ]
    return [message for key, message in checks if not given(purpose.get(key))]


def _missing_legal_basis(document: dict[str, Any]) -> list[str]:
    from interborough.sharing.vocab import ARTICLE9_NEEDING_SCHEDULE1

    legal = obj(document.get("legal_basis"))
    gateways = items(legal.get("statutory_gateways"))
    missing = []
    if not gateways:
        missing.append("Name the law that lets the parties share the data (a statutory gateway)")
    elif any(not given(g.get("code")) or not given(g.get("citation")) for g in gateways):
        missing.append("Give the code and the full citation of each statutory gateway")
    used = sensitivities(document)
    article9 = legal.get("article9_conditions")
    if "special_category" in used and not given(article9):
        missing.append("Choose an Article 9 condition, because some fields are special category")
    needs_schedule1 = isinstance(article9, list) and set(article9) & ARTICLE9_NEEDING_SCHEDULE1
    if needs_schedule1 and not given(legal.get("schedule1_conditions")):
        missing.append("Choose a DPA 2018 Schedule 1 condition for the Article 9 condition")
    if "criminal_offence" in used and not given(legal.get("article10_condition")):
        missing.append("Choose an Article 10 condition, because some fields are criminal offence")
    return missing


def _missing_dpia(document: dict[str, Any]) -> list[str]:
    from interborough.sharing.dpia import screen

    dpia = obj(document.get("dpia"))
    screening = obj(dpia.get("screening"))
    if screening.get("answered") is not True and not given(screening.get("criteria")):
        return ["Answer the DPIA screening questions"]
    missing = []
    if screen(document).required:
        if not given(dpia.get("reference")):
            missing.append("Give the reference of the DPIA, because the screening requires one")
        if not given(dpia.get("date")):
            missing.append("Give the date the DPIA was completed")
    return missing


# (key inside a dataset entry, what to ask for when any dataset lacks it)
_DATASET_NEEDS = [
    ("key", "Give each dataset a short key"),
    ("title", "Give each dataset a title"),
    ("description", "Describe each dataset"),
    ("provided_by", "Say which party provides each dataset"),
    ("fields", "List the fields of each dataset"),
    ("retention.period_months", "Say how many months each dataset is kept"),
    ("retention.deletion_method", "Say how each dataset is deleted at the end"),
]
_FIELD_NEEDS = [
    ("name", "Name each field"),
    ("sensitivity", "Give each field's sensitivity"),
    (
        "identifier_type",
        "Say whether each field is a direct identifier, quasi-identifier or attribute",
    ),
    ("need", "Say why each field is needed"),
    ("transformation", "Say how each field is shared (in the clear, hashed, or dropped)"),
]


def _missing_data(document: dict[str, Any]) -> list[str]:
    data = obj(document.get("data"))
    datasets = items(data.get("datasets"))
    missing = [] if datasets else ["Add at least one dataset"]
    for key, message in _DATASET_NEEDS:
        if any(not given(_dig(dataset, key)) for dataset in datasets):
            missing.append(message)
    fields = _fields(document)
    for key, message in _FIELD_NEEDS:
        if any(not given(f.get(key)) for f in fields):
            missing.append(message)
    if not given(data.get("data_subjects")):
        missing.append("Say whose data it is (the categories of data subject)")
    if not given(data.get("refresh_frequency")):
        missing.append("Say how often the data is refreshed")
    return missing


_PROFILE_KEYS = (
    "minimum_cell_count",
    "rounding_base",
    "dominance_n",
    "dominance_percent",
    "secondary_suppression",
    "two_person_check",
)


def _missing_processing(document: dict[str, Any]) -> list[str]:
    processing = obj(document.get("processing"))
    linkage = obj(processing.get("linkage"))
    missing = []
    if not given(processing.get("sharing_method")):
        missing.append("Say how the data is shared")
    method = linkage.get("method")
    if not given(method):
        missing.append("Say whether and how records are linked")
    elif method != "none" and not given(linkage.get("keys")):
        missing.append("Choose the fields records are linked on")
    if not given(processing.get("recipients")):
        missing.append("Say which parties receive the data")
    operations = processing.get("permitted_operations")
    if not given(operations):
        missing.append("Choose what the parties may do with the data")
    profile = processing.get("output_disclosure_profile")
    if isinstance(operations, list) and "release" in operations and not isinstance(profile, dict):
        missing.append("Set the output disclosure profile, because outputs may be released")
    if isinstance(profile, dict) and any(profile.get(k) is None for k in _PROFILE_KEYS):
        missing.append("Complete every rule of the output disclosure profile")
    return missing


def _missing_security(document: dict[str, Any]) -> list[str]:
    security = obj(document.get("security"))
    checks = [
        ("uk_only_storage", "Say whether the data is stored only in the UK"),
        ("classification", "Give the security classification"),
        ("encryption_at_rest", "Say how stored data is encrypted"),
        ("encryption_in_transit", "Say how data is encrypted when it moves"),
    ]
    return [message for key, message in checks if not given(security.get(key))]


def _missing_rights(document: dict[str, Any]) -> list[str]:
    rights = obj(document.get("rights"))
    checks = [
        ("privacy_notices", "Link to at least one privacy notice"),
        ("subject_access_route", "Say how people ask for their data (subject access)"),
        ("objections_route", "Say how people object to the sharing"),
        ("breach_notification_hours", "Say within how many hours parties report a breach"),
    ]
    return [message for key, message in checks if not given(rights.get(key))]


def _missing_exit(document: dict[str, Any]) -> list[str]:
    exit_ = obj(document.get("exit"))
    checks = [
        ("termination_terms", "Say how a party can end or leave the agreement"),
        ("on_exit", "Say whether data is deleted or returned at the end"),
        ("deletion_method", "Say how the data is deleted"),
    ]
    return [message for key, message in checks if not given(exit_.get(key))]


def _missing_register(document: dict[str, Any]) -> list[str]:
    register = obj(document.get("register"))
    if not isinstance(register.get("publish"), bool):
        return ["Say whether the agreement appears in the public register"]
    missing = []
    if register["publish"] and not given(register.get("public_summary")):
        missing.append("Write a plain-English summary for the public register")
    if register["publish"] and not given(register.get("contact")):
        missing.append("Give a contact for questions from the public")
    return missing


def _missing_ethics(document: dict[str, Any]) -> list[str]:
    from interborough.sharing.ethics import ethics_state

    return ethics_state(document)[1]


_MISSING = {
    "about": _missing_about,
    "parties": _missing_parties,
    "purpose": _missing_purpose,
    "legal-basis": _missing_legal_basis,
    "dpia": _missing_dpia,
    "data": _missing_data,
    "processing": _missing_processing,
    "security": _missing_security,
    "rights": _missing_rights,
    "exit": _missing_exit,
    "register": _missing_register,
    "ethics": _missing_ethics,
}


def section_state(document: dict[str, Any], slug: str) -> SectionState:
    """Is this section complete, and if not, what does a person still have to give?"""
    missing = _MISSING[slug](obj(document))  # an unknown slug: KeyError, loudly
    return SectionState(slug=slug, complete=not missing, missing=missing)
