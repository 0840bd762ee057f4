"""Templates for common London collaborations: a head start on an agreement, with reasons.

Each template pre-fills the purpose, legal basis, DPIA screening, data items (datasets and their
fields with sensitivity, identifier type, need and transformation), retention, processing
(linkage, permitted operations, disclosure profile), security, rights, exit and the public
summary, and says WHY each value was chosen (`explanations`, keyed by dotted document path), so
an information governance lead can check every choice instead of trusting it. What only the
parties can say (their contacts, dates, DPIA reference, privacy notices and the ethics
checklist) is left for them.

Pure Python (no Django). The content of each template is in its own module.
"""

import copy
import re
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from interborough.sharing.document import blank_document
from interborough.sharing.templates_library import (
    adult_social_care,
    cost_of_living,
    fsm,
    homelessness,
)
from interborough.sharing.templates_library.build import RECIPIENTS_WHY, unwrap

__all__ = ["TEMPLATES", "AgreementTemplate", "explain", "template_document"]


@dataclass(frozen=True)
class AgreementTemplate:
    """A template: what it pre-fills (a document fragment) and why (by dotted path)."""

    key: str
    title: str
    summary: str
    document_fragment: dict[str, Any]
    explanations: dict[str, str]
    article6_basis: str = "public_task"
    # For each dataset in the fragment, which party (by position) provides it; the first party
    # when there are fewer parties.
    providers: tuple[int, ...] = field(default_factory=tuple)
    parties_hint: str = ""


def _build(
    module: ModuleType, *, providers: tuple[int, ...], parties_hint: str
) -> AgreementTemplate:
    explanations: dict[str, str] = {}
    fragment = unwrap(module.FRAGMENT, "", explanations)
    article6 = unwrap(module.ARTICLE6, "parties.*.article6_basis", explanations)
    explanations["processing.recipients"] = RECIPIENTS_WHY
    explanations["data.datasets.*.provided_by"] = (
        "The party that holds the dataset and uploads it; change it if another party does."
    )
    explanations["register.contact"] = (
        "The lead party's data protection officer answers questions from the public about the "
        "agreement; a team mailbox is better than a person's address."
    )
    return AgreementTemplate(
        key=module.KEY,
        title=module.TITLE,
        summary=module.SUMMARY,
        document_fragment=fragment,
        explanations=explanations,
        article6_basis=article6,
        providers=providers,
        parties_hint=parties_hint,
    )


TEMPLATES: dict[str, AgreementTemplate] = {
    t.key: t
    for t in [
        _build(
            homelessness,
            providers=(0,),
            parties_hint="Two or more boroughs that place households in each other's areas.",
        ),
        _build(
            fsm,
            providers=(0, 0),
            parties_hint="A borough, with the partner that runs its benefits or school "
            "admissions service if that is another organisation.",
        ),
        _build(
            cost_of_living,
            providers=(0, 0),
            parties_hint="A borough and the partners who offer support, such as the GLA or a "
            "neighbouring borough.",
        ),
        _build(
            adult_social_care,
            providers=(0, 1),
            parties_hint="A borough first, then its NHS integrated care board (which provides "
            "the hospital discharge data).",
        ),
    ]
}

_INDEX = re.compile(r"(?<=\.)\d+(?=\.|$)")


def explain(key: str, path: str) -> str | None:
    """Why template `key` pre-filled the value at dotted `path` (None when it did not say).

    Party and dataset-provider explanations hold for every list position ("parties.*...").
    """
    explanations = TEMPLATES[key].explanations
    if path in explanations:
        return explanations[path]
    for wildcard in (_INDEX.sub("*", path, count=1), _INDEX.sub("*", path)):
        if wildcard in explanations:
            return explanations[wildcard]
    return None


def _merge(into: dict[str, Any], fragment: dict[str, Any]) -> None:
    """Fill `into` from `fragment`: mappings merge key by key, anything else replaces."""
    for key, value in fragment.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = copy.deepcopy(value)


def template_document(
    key: str, *, reference: str, title: str, parties: list[dict[str, Any]]
) -> dict[str, Any]:
    """A new agreement document from template `key`: a blank document with the template's
    fragment merged in, between `parties` (party entries; the first one leads).

    Datasets are provided by the party the template names (the first party by default) and
    every party receives the outputs. A party with no Article 6 basis gets the template's.
    KeyError for an unknown template.
    """
    if key not in TEMPLATES:
        raise KeyError(f"There is no agreement template {key!r}.")
    template = TEMPLATES[key]
    document = blank_document(reference=reference, title=title)
    _merge(document, template.document_fragment)
    entries = [copy.deepcopy(p) for p in parties if isinstance(p, dict)]
    for entry in entries:
        if not entry.get("article6_basis"):
            entry["article6_basis"] = template.article6_basis
    document["parties"] = entries
    slugs = list(
        dict.fromkeys(p["organisation"] for p in entries if isinstance(p.get("organisation"), str))
    )
    slugs = [s for s in slugs if s]
    for index, dataset in enumerate(document["data"]["datasets"]):
        position = template.providers[index] if index < len(template.providers) else 0
        if slugs:
            dataset["provided_by"] = slugs[position] if position < len(slugs) else slugs[0]
    document["processing"]["recipients"] = slugs
    dpo = entries[0].get("dpo") if entries else None
    if not document["register"]["contact"] and isinstance(dpo, dict):
        document["register"]["contact"] = dpo.get("email") or ""
    return document
