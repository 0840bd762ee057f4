"""The processing section: how the data moves, how records are linked, who receives it, what
they may do with it, and the output disclosure profile released tables must pass."""

from decimal import Decimal
from typing import Any, ClassVar

from django.core.exceptions import ValidationError

from interborough.sharing import vocab
from interborough.sharing.forms import fields as f
from interborough.sharing.forms.base import OneFormEditor, SectionForm

PROFILE_KEYS = (
    "minimum_cell_count",
    "rounding_base",
    "dominance_n",
    "dominance_percent",
    "secondary_suppression",
    "two_person_check",
)
YES_NO_KEYS = frozenset({"secondary_suppression", "two_person_check"})
_PROFILE = "processing.output_disclosure_profile"


def _number(value: Decimal | int | None) -> int | float | None:
    """A form number as JSON: whole numbers as integers."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


class ProcessingForm(SectionForm):
    section = "processing"
    paths: ClassVar[dict[str, str]] = {
        "sharing_method": "processing.sharing_method",
        "linkage_method": "processing.linkage.method",
        "linkage_keys": "processing.linkage.keys",
        "recipients": "processing.recipients",
        "permitted_operations": "processing.permitted_operations",
        "minimum_cell_count": f"{_PROFILE}.minimum_cell_count",
        "rounding_base": f"{_PROFILE}.rounding_base",
        "dominance_n": f"{_PROFILE}.dominance_n",
        "dominance_percent": f"{_PROFILE}.dominance_percent",
        "secondary_suppression": f"{_PROFILE}.secondary_suppression",
        "two_person_check": f"{_PROFILE}.two_person_check",
    }

    sharing_method = f.choice("processing.sharing_method", vocab.SHARING_METHODS, radios=True)
    linkage_method = f.choice("processing.linkage.method", vocab.LINKAGE_METHODS, radios=True)
    linkage_keys = f.text(
        "processing.linkage.keys",
        bound=2100,
        help_text=f.help_of("processing.linkage.keys")
        + " Separate them with commas. Leave it blank when records are not linked.",
    )
    recipients = f.several("processing.recipients", [])
    permitted_operations = f.several("processing.permitted_operations", vocab.OPERATIONS.items())
    minimum_cell_count = f.whole_number(f"{_PROFILE}.minimum_cell_count", minimum=1, maximum=1000)
    rounding_base = f.whole_number(f"{_PROFILE}.rounding_base", minimum=1, maximum=1000)
    dominance_n = f.whole_number(f"{_PROFILE}.dominance_n", minimum=1, maximum=100)
    dominance_percent = f.whole_number(
        f"{_PROFILE}.dominance_percent", minimum=1, maximum=100, decimal=True
    )
    secondary_suppression = f.yes_no(f"{_PROFILE}.secondary_suppression")
    two_person_check = f.yes_no(f"{_PROFILE}.two_person_check")

    def __init__(self, *args: Any, parties: list[tuple[str, str]] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["recipients"].choices = parties or []  # type: ignore[attr-defined]

    @classmethod
    def initial_for(cls, document: dict[str, Any]) -> dict[str, Any]:
        processing = f.obj(document.get("processing"))
        linkage = f.obj(processing.get("linkage"))
        profile = f.obj(processing.get("output_disclosure_profile"))
        initial: dict[str, Any] = {
            "sharing_method": processing.get("sharing_method") or "",
            "linkage_method": linkage.get("method") or "",
            "linkage_keys": ", ".join(f.strings(linkage.get("keys"))),
            "recipients": f.strings(processing.get("recipients")),
            "permitted_operations": f.strings(processing.get("permitted_operations")),
        }
        for key in PROFILE_KEYS:
            value = profile.get(key)
            initial[key] = f.from_yes_no(value) if key in YES_NO_KEYS else value
        return initial

    def clean_linkage_keys(self) -> list[str]:
        keys = list(
            dict.fromkeys(
                k.strip() for k in self.cleaned_data["linkage_keys"].split(",") if k.strip()
            )
        )
        if len(keys) > 20:
            raise ValidationError("Link on at most 20 fields.")
        if any(len(key) > 100 for key in keys):
            raise ValidationError(
                "Each linkage key must be a field name of 100 characters or fewer."
            )
        return keys

    def section_values(self, document: dict[str, Any]) -> dict[str, Any]:
        data = self.cleaned_data
        profile: dict[str, Any] = {}
        for key in PROFILE_KEYS:
            value = data[key]
            profile[key] = f.to_yes_no(value) if key in YES_NO_KEYS else _number(value)
        answered = any(value is not None for value in profile.values())
        return {
            "processing": {
                "sharing_method": f.code_or_none(data["sharing_method"]),
                "linkage": {
                    "method": f.code_or_none(data["linkage_method"]),
                    "keys": data["linkage_keys"],
                },
                "recipients": list(data["recipients"]),
                "permitted_operations": list(data["permitted_operations"]),
                # No rule answered: no profile (only needed when outputs may be released).
                "output_disclosure_profile": profile if answered else None,
            }
        }


class ProcessingEditor(OneFormEditor):
    section = "processing"
    template_name = "sharing/drafting/sections/processing.html"
    form_class = ProcessingForm

    def form_kwargs(self) -> dict[str, Any]:
        """The parties, to choose the recipients from."""
        names = dict(self.choices.organisations)
        slugs = [p.get("organisation") for p in f.items(self.document.get("parties"))]
        parties = [(s, names.get(s, s)) for s in dict.fromkeys(slugs) if isinstance(s, str) and s]
        # Keep recipients that are not (or no longer) parties visible, so they can be unticked.
        for slug in f.strings(f.obj(self.document.get("processing")).get("recipients")):
            if slug not in dict(parties):
                parties.append((slug, f"{names.get(slug, slug)} (not a party)"))
        return {"parties": parties}

    def field_names(self) -> list[str]:
        """The dataset fields named in the data section, to suggest as linkage keys."""
        names = []
        for dataset in f.items(f.obj(self.document.get("data")).get("datasets")):
            names += [str(x.get("name")) for x in f.items(dataset.get("fields")) if x.get("name")]
        return list(dict.fromkeys(names))
