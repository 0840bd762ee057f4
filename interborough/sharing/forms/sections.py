"""The first drafting sections, one form each: about, purpose, legal basis and the DPIA
screening. Processing is in processing.py; security, rights, exit, register and ethics in
safeguards.py; parties and data, which are lists, in parties.py and data.py."""

from typing import Any, ClassVar

from django.core.exceptions import ValidationError

from interborough.sharing import vocab
from interborough.sharing.dpia import CRITERIA
from interborough.sharing.forms import fields as f
from interborough.sharing.forms.base import SectionForm, one_form_editor

# --- about ------------------------------------------------------------------------------------


class AboutForm(SectionForm):
    section = "about"
    paths: ClassVar[dict[str, str]] = {
        "title": "title",
        "start": "dates.start",
        "end": "dates.end",
        "review": "dates.review",
    }

    title = f.text("title", bound=200)
    start = f.day("dates.start")
    end = f.day("dates.end")
    review = f.day("dates.review")

    @classmethod
    def initial_for(cls, document: dict[str, Any]) -> dict[str, Any]:
        dates = f.obj(document.get("dates"))
        return {
            "title": document.get("title") or "",
            **{key: f.from_iso(dates.get(key)) for key in ("start", "end", "review")},
        }

    def clean_title(self) -> str:
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise ValidationError("Enter a title for the agreement.")
        return title

    def section_values(self, document: dict[str, Any]) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "dates": {key: f.to_iso(data[key]) for key in ("start", "end", "review")},
        }


# --- purpose ----------------------------------------------------------------------------------


class PurposeForm(SectionForm):
    section = "purpose"
    paths: ClassVar[dict[str, str]] = {
        "description": "purpose.description",
        "dpv_purposes": "purpose.dpv_purposes",
        "public_benefit": "purpose.public_benefit",
        "success_measures": "purpose.success_measures",
    }

    description = f.text("purpose.description", bound=f.TEXT, area=True, rows=6)
    dpv_purposes = f.several(
        "purpose.dpv_purposes",
        [(code, f"{label} ({code})") for code, label in vocab.DPV_PURPOSES.items()],
    )
    public_benefit = f.text("purpose.public_benefit", bound=f.TEXT, area=True)
    success_measures = f.text("purpose.success_measures", bound=f.TEXT, area=True)

    @classmethod
    def initial_for(cls, document: dict[str, Any]) -> dict[str, Any]:
        purpose = f.obj(document.get("purpose"))
        return {
            "description": purpose.get("description") or "",
            "dpv_purposes": f.strings(purpose.get("dpv_purposes")),
            "public_benefit": purpose.get("public_benefit") or "",
            "success_measures": purpose.get("success_measures") or "",
        }

    def section_values(self, document: dict[str, Any]) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "purpose": {
                "description": data["description"].strip(),
                "dpv_purposes": list(data["dpv_purposes"]),
                "public_benefit": data["public_benefit"].strip(),
                "success_measures": data["success_measures"].strip(),
            }
        }


# --- legal basis ------------------------------------------------------------------------------

KNOWN_GATEWAYS = {
    code: label for code, label in vocab.STATUTORY_GATEWAYS.items() if code != "other"
}


class LegalBasisForm(SectionForm):
    section = "legal-basis"
    paths: ClassVar[dict[str, str]] = {
        "gateways": "legal_basis.statutory_gateways",
        "article9_conditions": "legal_basis.article9_conditions",
        "schedule1_conditions": "legal_basis.schedule1_conditions",
        "article10_condition": "legal_basis.article10_condition",
    }

    gateways = f.several(
        "legal_basis.statutory_gateways",
        KNOWN_GATEWAYS.items(),
        label="Statutory gateways",
    )
    other_gateways = f.lines(
        "legal_basis.statutory_gateways[].citation",
        bound=500,
        max_items=10,
        label="Other powers (optional)",
        help_text="A power that is not in the list above, cited in full, for example "
        "“Local Government Act 1972 s111”.",
    )
    article9_conditions = f.several(
        "legal_basis.article9_conditions", vocab.ARTICLE9_CONDITIONS.items()
    )
    schedule1_conditions = f.several(
        "legal_basis.schedule1_conditions", vocab.SCHEDULE1_CONDITIONS.items()
    )
    article10_condition = f.choice(
        "legal_basis.article10_condition",
        vocab.ARTICLE10_CONDITIONS,
        blank="None: no criminal offence data",
    )

    @classmethod
    def initial_for(cls, document: dict[str, Any]) -> dict[str, Any]:
        legal = f.obj(document.get("legal_basis"))
        gateways = f.items(legal.get("statutory_gateways"))
        return {
            "gateways": [g["code"] for g in gateways if g.get("code") in KNOWN_GATEWAYS],
            "other_gateways": "\n".join(
                str(g.get("citation") or "")
                for g in gateways
                if g.get("code") not in KNOWN_GATEWAYS and g.get("citation")
            ),
            "article9_conditions": f.strings(legal.get("article9_conditions")),
            "schedule1_conditions": f.strings(legal.get("schedule1_conditions")),
            "article10_condition": legal.get("article10_condition") or "",
        }

    def clean_other_gateways(self) -> list[str]:
        return f.split_lines(
            self.cleaned_data["other_gateways"], bound=500, max_items=10, what="other powers"
        )

    def section_values(self, document: dict[str, Any]) -> dict[str, Any]:
        data = self.cleaned_data
        legal = f.obj(document.get("legal_basis"))
        # Keep a citation someone refined (say "Part 7 and s213B") for a gateway still chosen.
        cited = {
            g.get("code"): g.get("citation")
            for g in f.items(legal.get("statutory_gateways"))
            if g.get("code") in KNOWN_GATEWAYS and isinstance(g.get("citation"), str)
        }
        gateways = [
            {"code": code, "citation": cited.get(code) or KNOWN_GATEWAYS[code]}
            for code in data["gateways"]
        ]
        gateways += [{"code": "other", "citation": citation} for citation in data["other_gateways"]]
        return {
            "legal_basis": {
                "statutory_gateways": gateways,
                "article9_conditions": list(data["article9_conditions"]),
                "schedule1_conditions": list(data["schedule1_conditions"]),
                "article10_condition": f.code_or_none(data["article10_condition"]),
            }
        }


# --- DPIA -------------------------------------------------------------------------------------


class DpiaForm(SectionForm):
    section = "dpia"
    paths: ClassVar[dict[str, str]] = {
        "reference": "dpia.reference",
        "date": "dpia.date",
        "criteria": "dpia.screening",
    }

    criteria = f.several(
        "dpia.screening.criteria",
        [(c.code, c.title) for c in CRITERIA],
        label="Which of these apply to the sharing?",
        help_text="Tick every one that applies; if none does, leave them all unticked and save. "
        "The screening also counts what the agreement itself shows, such as linked records.",
    )
    reference = f.text("dpia.reference", bound=100)
    date = f.day("dpia.date")

    @classmethod
    def initial_for(cls, document: dict[str, Any]) -> dict[str, Any]:
        dpia = f.obj(document.get("dpia"))
        screening = f.obj(dpia.get("screening"))
        return {
            "criteria": f.strings(screening.get("criteria")),
            "reference": dpia.get("reference") or "",
            "date": f.from_iso(dpia.get("date")),
        }

    def section_values(self, document: dict[str, Any]) -> dict[str, Any]:
        data = self.cleaned_data
        # Saving this page is the answer to the screening, even with nothing ticked.
        return {
            "dpia": {
                "reference": data["reference"].strip(),
                "date": f.to_iso(data["date"]),
                "screening": {"answered": True, "criteria": list(data["criteria"])},
            }
        }


AboutEditor = one_form_editor(AboutForm, "about")
PurposeEditor = one_form_editor(PurposeForm, "purpose")
LegalBasisEditor = one_form_editor(LegalBasisForm, "legal_basis")
DpiaEditor = one_form_editor(DpiaForm, "dpia")
