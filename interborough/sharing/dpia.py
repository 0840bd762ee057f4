"""DPIA screening: does this agreement need a full data protection impact assessment, and why?

UK GDPR Article 35 requires a DPIA for processing "likely to result in a high risk". The ICO's
guidance ("When do we need to do a DPIA?") adopts the nine criteria of the European guidelines
(WP248 rev.01, endorsed by the EDPB) and adds its own list of processing likely to be high risk.
The conclusion here follows that guidance:

- two or more of the nine European criteria met: a DPIA is required (WP248: "in most cases");
- any one item on the ICO's list met: a DPIA is required, except that for innovative
  technology, biometric data, genetic data, invisible processing and tracking the ICO asks for
  one only when a European criterion is met as well.

The person drafting ticks the criteria that apply (`dpia.screening.criteria`); the screening also
infers what the document itself shows (special category fields, record linkage, vulnerable data
subjects) so nobody can screen out a DPIA by leaving a box unticked. Judgements the document
cannot show, such as whether a technique is innovative, are left to the person.

Pure Python: no Django.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

WP248 = "wp248"
ICO = "ico"


@dataclass(frozen=True)
class Criterion:
    """One screening criterion: a question a person can answer, and what it means."""

    code: str
    source: str  # WP248 (the European criteria) or ICO (the ICO's high-risk list)
    title: str
    question: str
    explanation: str
    needs_wp248: bool = False  # ICO items that count only alongside a European criterion


CRITERIA: list[Criterion] = [
    # The nine criteria of the European guidelines (WP248 rev.01), as the ICO adopts them.
    Criterion(
        "evaluation_scoring", WP248, "Evaluation or scoring",
        "Will the data be used to evaluate or score people, for example to predict who is at "
        "risk or to rank households for help?",
        "Profiling and prediction, including of someone's economic situation, health, "
        "reliability or behaviour.",
    ),
    Criterion(
        "automated_decisions", WP248, "Automated decisions with legal or similar effect",
        "Will a computer make decisions about people, without a person deciding, that affect "
        "their legal rights or something equally important such as a benefit or a service?",
        "Decisions made without meaningful human involvement that have legal or similarly "
        "significant effects on people (UK GDPR Article 22).",
    ),
    Criterion(
        "systematic_monitoring", WP248, "Systematic monitoring",
        "Will people be observed, monitored or tracked in a systematic way, including in "
        "publicly accessible places?",
        "Monitoring people may not know about or be able to avoid, such as CCTV, sensors or "
        "tracking how someone uses a service over time.",
    ),
    Criterion(
        "sensitive_data", WP248, "Sensitive or highly personal data",
        "Does the data include special category data (such as health, ethnicity or religion), "
        "criminal offence data, or other highly personal data such as financial hardship?",
        "Special category and criminal offence data (UK GDPR Articles 9 and 10) and data people "
        "would reasonably expect to stay private.",
    ),
    Criterion(
        "large_scale", WP248, "Large scale",
        "Is the processing large scale: many people, a lot of data about each, a long time, or "
        "a wide area such as several boroughs or the whole of London?",
        "Judge it by the number of people, the volume and range of the data, how long the "
        "processing lasts and its geographical extent.",
    ),
    Criterion(
        "matching_datasets", WP248, "Matching or combining datasets",
        "Will datasets from different organisations or collected for different purposes be "
        "matched or combined?",
        "Combining data in a way people would not reasonably expect, for example linking "
        "housing records with benefits or school records.",
    ),
    Criterion(
        "vulnerable_people", WP248, "Vulnerable people",
        "Is the data about people who may be vulnerable, such as children, homeless households, "
        "people receiving care, or people in financial hardship?",
        "People who are less able to consent, object or understand how their data is used, or "
        "where there is a power imbalance between them and the organisation.",
    ),
    Criterion(
        "innovative_technology", WP248, "Innovative technology",
        "Does the sharing use new technology or a new way of organising the work, or use "
        "existing technology in a new way?",
        "New techniques can carry risks nobody yet understands well. Whether a technique is "
        "innovative is a judgement for the people drafting the agreement.",
    ),
    Criterion(
        "prevents_rights", WP248, "Stops people using a right, service or contract",
        "Could the processing itself stop someone using a service, getting a benefit or "
        "exercising a right?",
        "For example, checking records to decide who may have a service or a benefit.",
    ),
    # The ICO's list of processing likely to result in a high risk.
    Criterion(
        "ico_innovative_technology", ICO, "Innovative technology (ICO list)",
        "Does the sharing use innovative technology, or apply existing technology (including "
        "artificial intelligence) in a novel way?",
        "The ICO requires a DPIA for innovative technology when any European criterion is "
        "also met.",
        needs_wp248=True,
    ),
    Criterion(
        "ico_denial_of_service", ICO, "Denial of service",
        "Will decisions about someone's access to a service, opportunity or benefit rest to any "
        "extent on automated decisions or on special category data?",
        "Any such decision, even partly automated, is on the ICO's high-risk list.",
    ),
    Criterion(
        "ico_large_scale_profiling", ICO, "Large-scale profiling",
        "Will people be profiled on a large scale?",
        "Profiling many people, for example scoring every household in several boroughs.",
    ),
    Criterion(
        "ico_biometric", ICO, "Biometric data",
        "Will biometric data (such as fingerprints or facial images) be used to identify people?",
        "The ICO requires a DPIA for biometric identification when any European criterion is "
        "also met.",
        needs_wp248=True,
    ),
    Criterion(
        "ico_genetic", ICO, "Genetic data",
        "Will genetic data be processed (other than by a GP or health professional caring for "
        "that person)?",
        "The ICO requires a DPIA for genetic data when any European criterion is also met.",
        needs_wp248=True,
    ),
    Criterion(
        "ico_data_matching", ICO, "Data matching",
        "Will personal data obtained from more than one source be combined, compared or "
        "matched?",
        "Matching personal data from several sources is on the ICO's high-risk list on its own, "
        "for example to monitor take-up of statutory services or benefits.",
    ),
    Criterion(
        "ico_invisible_processing", ICO, "Invisible processing",
        "Is the data used without telling people directly, because telling each of them "
        "(UK GDPR Article 14) would be impossible or take disproportionate effort?",
        "The ICO requires a DPIA for invisible processing when any European criterion is also "
        "met.",
        needs_wp248=True,
    ),
    Criterion(
        "ico_tracking", ICO, "Tracking",
        "Will people's location or behaviour be tracked, online or offline?",
        "The ICO requires a DPIA for tracking when any European criterion is also met.",
        needs_wp248=True,
    ),
    Criterion(
        "ico_targeting_vulnerable", ICO, "Targeting children or other vulnerable people",
        "Will the data of children or other vulnerable people be used for marketing, profiling "
        "or other automated decisions, or will online services be offered directly to children?",
        "On the ICO's high-risk list on its own.",
    ),
    Criterion(
        "ico_physical_harm", ICO, "Risk of physical harm",
        "Could a breach of this data put someone's physical health or safety at risk, for "
        "example by revealing where a person fleeing domestic abuse lives?",
        "On the ICO's high-risk list on its own.",
    ),
]  # fmt: skip

CRITERIA_BY_CODE: dict[str, Criterion] = {c.code: c for c in CRITERIA}

# Words in the data subjects or dataset titles that show the people may be vulnerable.
VULNERABLE_WORDS = (
    "homeless",
    "temporary accommodation",
    "rough sleep",
    "child",
    "pupil",
    "young people",
    "care leaver",
    "social care",
    "safeguarding",
    "carer",
    "disab",
    "refuge",
    "domestic abuse",
)
NO_LINKAGE = frozenset({"", "none"})
SENSITIVE = frozenset({"special_category", "criminal_offence"})


@dataclass(frozen=True)
class Screening:
    """The conclusion: is a full DPIA required, why (plain English), and which criteria are met."""

    required: bool
    reasons: list[str]
    met: list[str]
    inferred: list[str] = field(default_factory=list)  # met because the document shows it


def _section(document: dict[str, Any], key: str) -> dict[str, Any]:
    value = document.get(key)
    return value if isinstance(value, dict) else {}


def _datasets(document: dict[str, Any]) -> list[dict[str, Any]]:
    datasets = _section(document, "data").get("datasets")
    return [d for d in datasets if isinstance(d, dict)] if isinstance(datasets, list) else []


def _fields(document: dict[str, Any]) -> Iterable[dict[str, Any]]:
    for dataset in _datasets(document):
        fields = dataset.get("fields")
        if isinstance(fields, list):
            yield from (f for f in fields if isinstance(f, dict))


def _has_personal_data(document: dict[str, Any]) -> bool:
    """True unless every field is marked non-personal (no fields yet counts as personal)."""
    sensitivities = [f.get("sensitivity") for f in _fields(document)]
    return not sensitivities or any(s != "non_personal" for s in sensitivities)


def _ticked(document: dict[str, Any]) -> list[str]:
    criteria = _section(_section(document, "dpia"), "screening").get("criteria")
    if not isinstance(criteria, list):
        return []
    return [c for c in criteria if isinstance(c, str) and c in CRITERIA_BY_CODE]


def _vulnerable_evidence(document: dict[str, Any]) -> str | None:
    """The data subject or dataset title that shows vulnerable people, if any."""
    subjects = _section(document, "data").get("data_subjects")
    texts = [s for s in subjects if isinstance(s, str)] if isinstance(subjects, list) else []
    texts += [d["title"] for d in _datasets(document) if isinstance(d.get("title"), str)]
    for text in texts:
        if any(word in text.lower() for word in VULNERABLE_WORDS):
            return text
    return None


def inferred_criteria(document: dict[str, Any]) -> dict[str, str]:
    """The criteria the document itself shows are met, each with the evidence in plain English."""
    found: dict[str, str] = {}
    if not _has_personal_data(document):
        return found
    sensitive = sorted(
        {str(f.get("name")) for f in _fields(document) if f.get("sensitivity") in SENSITIVE}
    )
    if sensitive:
        found["sensitive_data"] = (
            f"it has fields marked special category or criminal offence data "
            f"({', '.join(sensitive)})"
        )
    linkage = _section(_section(document, "processing"), "linkage")
    method = linkage.get("method") or ""
    if isinstance(method, str) and method not in NO_LINKAGE:
        evidence = f"records are linked across datasets ({method.replace('_', ' ')} linkage)"
        found["matching_datasets"] = evidence
        found["ico_data_matching"] = evidence
    vulnerable = _vulnerable_evidence(document)
    if vulnerable:
        found["vulnerable_people"] = f"the data is about {vulnerable[0].lower()}{vulnerable[1:]}"
    return found


def _joined(titles: list[str]) -> str:
    """Titles as a phrase inside a sentence: "a, b and c", each starting lower case."""
    titles = [t[:1].lower() + t[1:] for t in titles]
    if len(titles) <= 1:
        return "".join(titles)
    return f"{', '.join(titles[:-1])} and {titles[-1]}"


def screen(document: dict[str, Any]) -> Screening:
    """Conclude whether a full DPIA is required, from the ticked criteria and the document."""
    ticked = _ticked(document)
    inferred = inferred_criteria(document)
    met_codes = set(ticked) | set(inferred)
    met = [c for c in CRITERIA if c.code in met_codes]
    european = [c for c in met if c.source == WP248]
    high_risk = [c for c in met if c.source == ICO and (european or not c.needs_wp248)]
    waiting = [c for c in met if c.source == ICO and c.needs_wp248 and not european]

    reasons: list[str] = []
    if high_risk:
        reasons.append(
            "A full DPIA is required: the processing is on the ICO's list of processing likely "
            f"to result in a high risk ({_joined([c.title for c in high_risk])})."
        )
    if len(european) >= 2:
        reasons.append(
            f"A full DPIA is required: {len(european)} of the nine European (WP248) criteria "
            f"that the ICO adopts are met ({_joined([c.title for c in european])}); two or "
            "more means a DPIA is needed."
        )
    required = bool(reasons)
    if not required:
        if european:
            reasons.append(
                f"A full DPIA is not required by the screening: only one European criterion is "
                f"met ({european[0].title}) and nothing on the ICO's high-risk list. Record this "
                "screening decision and revisit it if the sharing changes; you may still choose "
                "to carry out a DPIA as good practice."
            )
        elif waiting:
            reasons.append(
                "A full DPIA is not required by the screening: no European criterion is met, and "
                f"the ICO list items that are ({_joined([c.title for c in waiting])}) require one "
                "only together with a European criterion. Record this screening decision and "
                "revisit it if the sharing changes."
            )
        else:
            reasons.append(
                "A full DPIA is not required by the screening: no criterion is met. Record this "
                "screening decision and revisit it if the sharing changes."
            )
    for criterion in waiting:
        reasons.append(
            f"{criterion.title} on its own does not require a DPIA under the ICO's list; it "
            "would with any European criterion as well."
        )
    for criterion in met:
        how = (
            f"shown by the agreement, because {inferred[criterion.code]}"
            if criterion.code in inferred
            else "ticked in the screening"
        )
        reasons.append(f"{criterion.title}: {how}.")
    return Screening(
        required=required,
        reasons=reasons,
        met=[c.code for c in met],
        inferred=[c.code for c in met if c.code in inferred],
    )
