"""What the drafting pages share: loading the draft in the URL for its editor, the choices the
section forms offer, and the template's reasons for what it pre-filled."""

import re
from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect

from interborough.accounts.models import User
from interborough.accounts.viewer import viewer_of
from interborough.catalogue.selectors.fields import published_dataset_choices
from interborough.sharing import permissions, selectors
from interborough.sharing.document import FIELD_TITLES, Section
from interborough.sharing.forms import Choices
from interborough.sharing.models import DataSharingAgreement
from interborough.sharing.templates_library import TEMPLATES

SEPARATOR = " \u203a "  # a right-pointing angle quotation mark, as breadcrumbs write a path
_INDEX = re.compile(r"^(\d+|\*)$")


class NotEditable(Exception):
    """The viewer may read this version but not change it: send them to its page."""

    def __init__(self, agreement: DataSharingAgreement) -> None:
        super().__init__(agreement.reference)
        self.agreement = agreement

    def response(self) -> HttpResponseRedirect:
        return redirect(
            "sharing:version-detail",
            reference=self.agreement.reference,
            version=self.agreement.version,
        )


def draft_for(
    request: HttpRequest, reference: str, version: int
) -> tuple[User, DataSharingAgreement]:
    """The version in the URL and its editor; 404 for those who may not read it, NotEditable
    for those who may read it but not change it (a party's member, or a submitted version)."""
    viewer = viewer_of(request)
    agreement = selectors.agreement_version_for(viewer=viewer, reference=reference, version=version)
    if agreement is None:
        raise Http404
    if not permissions.can_edit(viewer, agreement):
        raise NotEditable(agreement)
    return viewer, agreement


def section_choices(*, datasets_of: DataSharingAgreement | None = None) -> Choices:
    """The organisations a party may be, with their ICO numbers; for the data page, the
    published datasets of the agreement's parties (only a dataset's publisher may share it)."""
    organisations = list(selectors.party_choices())
    return Choices(
        organisations=[(o.slug, o.name) for o in organisations],
        ico_numbers={o.slug: o.ico_registration for o in organisations if o.ico_registration},
        catalogue_datasets=(
            published_dataset_choices(
                publisher_ids=[p.organisation_id for p in datasets_of.parties.all()]
            )
            if datasets_of is not None
            else []
        ),
    )


# --- why the template pre-filled what it did --------------------------------------------------


@dataclass(frozen=True)
class Explanation:
    label: str
    why: str


def _item_name(item: Any) -> str:
    if isinstance(item, dict):
        for key in ("name", "key", "code", "organisation"):
            if isinstance(item.get(key), str) and item[key]:
                return item[key]
    return ""


def place_label(path: str, fragment: dict[str, Any]) -> str:
    """A plain-English place for a dotted path, e.g. Datasets “placements”, then Fields “surname”,
    joined by a right-pointing angle quotation mark."""
    parts = path.split(".")
    words: list[str] = []
    node: Any = fragment
    normalised: list[str] = []
    for part in parts:
        if _INDEX.match(part):
            normalised[-1] += "[]"
            item = (
                node[int(part)]
                if part != "*" and isinstance(node, list) and int(part) < len(node)
                else None
            )
            name = _item_name(item)
            if name and words:
                words[-1] = f"{words[-1]} “{name}”"
            node = item
            continue
        normalised.append(part)
        node = node.get(part) if isinstance(node, dict) else None
        title = FIELD_TITLES.get(".".join(normalised), part.replace("_", " ").capitalize())
        words.append(title)
    return SEPARATOR.join(words[1:] if len(words) > 1 else words)


def explanations_for(
    agreement: DataSharingAgreement, section: Section, *, dataset: str | None = None
) -> list[Explanation]:
    """Why the agreement's template pre-filled each value of this section (or of one dataset's
    fields, when `dataset` names it); none for an agreement not drafted from a template."""
    template = TEMPLATES.get(agreement.template)
    if template is None:
        return []
    fragment = template.document_fragment
    datasets = (fragment.get("data") or {}).get("datasets") or []
    found = []
    for path, why in template.explanations.items():
        parts = path.split(".")
        if parts[0] not in section.keys:
            continue
        in_fields = len(parts) > 3 and parts[:2] == ["data", "datasets"] and parts[3] == "fields"
        if dataset is None and in_fields:
            continue  # shown on that dataset's own page
        if dataset is not None:
            index = parts[2] if len(parts) > 2 else ""
            if not in_fields or not index.isdigit() or int(index) >= len(datasets):
                continue
            if datasets[int(index)].get("key") != dataset:
                continue
            if len(parts) == 5:
                continue  # a whole field: field_explanations shows it beside the field
        found.append(Explanation(place_label(path, fragment), why))
    return found


def field_explanations(agreement: DataSharingAgreement, dataset: str) -> dict[str, str]:
    """Why the template listed each field of a dataset (by field name), to show beside it."""
    template = TEMPLATES.get(agreement.template)
    if template is None:
        return {}
    datasets = (template.document_fragment.get("data") or {}).get("datasets") or []
    found = {}
    for path, why in template.explanations.items():
        parts = path.split(".")
        if len(parts) != 5 or parts[:2] != ["data", "datasets"] or parts[3] != "fields":
            continue
        if not (parts[2].isdigit() and parts[4].isdigit()) or int(parts[2]) >= len(datasets):
            continue
        entry = datasets[int(parts[2])]
        fields = entry.get("fields") or []
        if entry.get("key") == dataset and int(parts[4]) < len(fields):
            found[str(fields[int(parts[4])].get("name"))] = why
    return found
