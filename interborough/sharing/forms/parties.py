"""The parties section: one row per organisation, in a formset with a blank row to add another
(fill it and save) and a box to remove one."""

from typing import Any

from django import forms
from django.forms import formset_factory
from django.forms.formsets import BaseFormSet

from interborough.sharing import vocab
from interborough.sharing.forms import fields as f
from interborough.sharing.forms.base import SectionEditor

MAX_PARTIES = 50
P = "parties[]"


class PartyForm(forms.Form):
    """One party: the organisation and what the ICO's Data Sharing Code asks about it."""

    organisation = forms.ChoiceField(
        label=f.title_of(f"{P}.organisation"),
        help_text="The organisation on the platform that shares or receives the data.",
        required=False,
        error_messages={"invalid_choice": "Choose an organisation from the list."},
    )
    role = f.choice(f"{P}.role", vocab.PARTY_ROLES)
    article6_basis = f.choice(f"{P}.article6_basis", vocab.ARTICLE6_BASES)
    ico_registration = f.text(
        f"{P}.ico_registration",
        bound=20,
        help_text="Filled in from the organisation's record when you leave it blank.",
    )
    dpo_name = f.text(f"{P}.dpo.name", label="Data protection officer's name")
    dpo_email = f.email(f"{P}.dpo.email", label="Data protection officer's email address")
    signatory_name = f.text(f"{P}.signatory.name", label="Signatory's name")
    signatory_job_title = f.text(f"{P}.signatory.job_title", label="Signatory's job title")
    signatory_email = f.email(f"{P}.signatory.email", label="Signatory's email address")
    dspt_status = f.choice(f"{P}.dspt_status", vocab.DSPT_STATUSES, help_text="")
    cyber_essentials = f.choice(f"{P}.cyber_essentials", vocab.CYBER_ESSENTIALS, help_text="")

    # form field -> key inside the party entry (dotted), for values and service errors
    KEYS = {
        "organisation": "organisation",
        "role": "role",
        "article6_basis": "article6_basis",
        "ico_registration": "ico_registration",
        "dpo_name": "dpo.name",
        "dpo_email": "dpo.email",
        "signatory_name": "signatory.name",
        "signatory_job_title": "signatory.job_title",
        "signatory_email": "signatory.email",
        "dspt_status": "dspt_status",
        "cyber_essentials": "cyber_essentials",
    }

    def __init__(self, *args: Any, organisations: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [  # type: ignore[attr-defined]
            ("", "Choose an organisation"),
            *organisations,
        ]

    @staticmethod
    def initial_for(party: dict[str, Any]) -> dict[str, Any]:
        dpo, signatory = f.obj(party.get("dpo")), f.obj(party.get("signatory"))
        return {
            "organisation": party.get("organisation") or "",
            "role": party.get("role") or "",
            "article6_basis": party.get("article6_basis") or "",
            "ico_registration": party.get("ico_registration") or "",
            "dpo_name": dpo.get("name") or "",
            "dpo_email": dpo.get("email") or "",
            "signatory_name": signatory.get("name") or "",
            "signatory_job_title": signatory.get("job_title") or "",
            "signatory_email": signatory.get("email") or "",
            "dspt_status": party.get("dspt_status") or "",
            "cyber_essentials": party.get("cyber_essentials") or "",
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        others = [v for k, v in data.items() if k not in ("organisation", "DELETE") and v]
        if not data.get("organisation") and others and not data.get("DELETE"):
            self.add_error("organisation", "Choose the organisation this party is.")
        return data

    def entry(self, *, names: dict[str, str], ico_numbers: dict[str, str]) -> dict[str, Any]:
        """The party as the document holds it."""
        data = self.cleaned_data
        slug = data["organisation"]
        return {
            "organisation": slug,
            "name": names.get(slug, ""),
            "ico_registration": data["ico_registration"].strip() or ico_numbers.get(slug, ""),
            "role": f.code_or_none(data["role"]),
            "article6_basis": f.code_or_none(data["article6_basis"]),
            "dpo": {"name": data["dpo_name"].strip(), "email": data["dpo_email"]},
            "signatory": {
                "name": data["signatory_name"].strip(),
                "job_title": data["signatory_job_title"].strip(),
                "email": data["signatory_email"],
            },
            "dspt_status": f.code_or_none(data["dspt_status"]),
            "cyber_essentials": f.code_or_none(data["cyber_essentials"]),
        }


class BasePartyFormSet(BaseFormSet):
    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Remove this party"

    def clean(self) -> None:
        if any(self.errors):
            return
        seen: set[str] = set()
        for form in self.forms:
            slug = form.cleaned_data.get("organisation")
            if not slug or form.cleaned_data.get("DELETE"):
                continue
            if slug in seen:
                form.add_error(
                    "organisation", "This organisation is already a party: list it once."
                )
            seen.add(slug)


PartyFormSet = formset_factory(
    PartyForm,
    formset=BasePartyFormSet,
    extra=1,
    can_delete=True,
    max_num=MAX_PARTIES,
    absolute_max=MAX_PARTIES,
    validate_max=True,
)


class PartiesEditor(SectionEditor):
    section = "parties"
    template_name = "sharing/drafting/sections/parties.html"

    def __init__(self, document: dict[str, Any], data: Any = None, **kwargs: Any) -> None:
        super().__init__(document, data, **kwargs)
        parties = f.items(document.get("parties"))
        organisations = list(self.choices.organisations)
        self.names = dict(organisations)
        # A party whose organisation has left the platform still shows, so it can be removed.
        for party in parties:
            slug = party.get("organisation")
            if isinstance(slug, str) and slug and slug not in self.names:
                self.names[slug] = str(party.get("name") or slug)
                organisations.append((slug, f"{self.names[slug]} (not active)"))
        self.formset = PartyFormSet(
            data,
            prefix="parties",
            initial=[PartyForm.initial_for(p) for p in parties],
            form_kwargs={"organisations": organisations},
            error_messages={
                "too_many_forms": f"An agreement can have at most {MAX_PARTIES} parties.",
                "missing_management_form": "The form was incomplete: reload the page and try "
                "again.",
            },
        )

    def parts(self) -> list[Any]:
        return [self.formset]

    def rows(self) -> list[tuple[forms.Form, str, bool]]:
        """Each party's form, its heading, and whether it is the blank one for a new party."""
        existing = self.formset.initial_form_count()
        rows = []
        for index, form in enumerate(self.formset.forms):
            if index >= existing:
                rows.append((form, "Add another party", True))
                continue
            slug = str(form.initial.get("organisation") or "")
            name = self.names.get(slug, slug)
            rows.append(
                (form, f"Party {index + 1}: {name}" if name else f"Party {index + 1}", False)
            )
        return rows

    def values(self) -> dict[str, Any]:
        entries: list[dict[str, Any]] = []
        for form in self.formset.forms:
            data = getattr(form, "cleaned_data", {})
            if not data or data.get("DELETE") or not data.get("organisation"):
                continue
            index = len(entries)
            for name, key in PartyForm.KEYS.items():
                self.bind_path(f"parties.{index}.{key}", form, name)
            self.bind_path(f"parties.{index}", form, "organisation")
            entries.append(form.entry(names=self.names, ico_numbers=self.choices.ico_numbers))
        return {"parties": entries}
