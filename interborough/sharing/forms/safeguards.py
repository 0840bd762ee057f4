"""The sections that set out safeguards, one form each: security, rights and transparency,
ending the agreement, the public register, and the data ethics checklist."""

from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError

from interborough.sharing import vocab
from interborough.sharing.ethics import QUESTIONS
from interborough.sharing.forms import fields as f
from interborough.sharing.forms.base import SectionForm, one_form_editor

# --- security, rights, exit, register, ethics -------------------------------------------------


class SecurityForm(SectionForm):
    section = "security"
    paths: ClassVar[dict[str, str]] = {
        "uk_only_storage": "security.uk_only_storage",
        "classification": "security.classification",
        "encryption_at_rest": "security.encryption_at_rest",
        "encryption_in_transit": "security.encryption_in_transit",
    }

    uk_only_storage = f.yes_no("security.uk_only_storage")
    classification = f.choice("security.classification", vocab.CLASSIFICATIONS, radios=True)
    encryption_at_rest = f.text("security.encryption_at_rest", bound=1000, area=True, rows=3)
    encryption_in_transit = f.text("security.encryption_in_transit", bound=1000, area=True, rows=3)

    @classmethod
    def initial_for(cls, document: dict[str, Any]) -> dict[str, Any]:
        security = f.obj(document.get("security"))
        return {
            "uk_only_storage": f.from_yes_no(security.get("uk_only_storage")),
            "classification": security.get("classification") or "",
            "encryption_at_rest": security.get("encryption_at_rest") or "",
            "encryption_in_transit": security.get("encryption_in_transit") or "",
        }

    def section_values(self, document: dict[str, Any]) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "security": {
                "uk_only_storage": f.to_yes_no(data["uk_only_storage"]),
                "classification": f.code_or_none(data["classification"]),
                "encryption_at_rest": data["encryption_at_rest"].strip(),
                "encryption_in_transit": data["encryption_in_transit"].strip(),
            }
        }


class RightsForm(SectionForm):
    section = "rights"
    paths: ClassVar[dict[str, str]] = {
        "privacy_notices": "rights.privacy_notices",
        "subject_access_route": "rights.subject_access_route",
        "objections_route": "rights.objections_route",
        "breach_notification_hours": "rights.breach_notification_hours",
    }

    privacy_notices = f.lines("rights.privacy_notices", bound=500, max_items=50)
    subject_access_route = f.text("rights.subject_access_route", bound=f.TEXT, area=True)
    objections_route = f.text("rights.objections_route", bound=f.TEXT, area=True)
    breach_notification_hours = f.whole_number(
        "rights.breach_notification_hours", minimum=1, maximum=72
    )

    @classmethod
    def initial_for(cls, document: dict[str, Any]) -> dict[str, Any]:
        rights = f.obj(document.get("rights"))
        return {
            "privacy_notices": "\n".join(f.strings(rights.get("privacy_notices"))),
            "subject_access_route": rights.get("subject_access_route") or "",
            "objections_route": rights.get("objections_route") or "",
            "breach_notification_hours": rights.get("breach_notification_hours"),
        }

    def clean_privacy_notices(self) -> list[str]:
        links = f.split_lines(
            self.cleaned_data["privacy_notices"], bound=500, max_items=50, what="privacy notices"
        )
        check = forms.URLField(assume_scheme="https")
        for link in links:
            if not link.lower().startswith(("https://", "http://")) or " " in link:
                raise ValidationError(
                    f"“{link[:60]}” is not a web address: give each privacy notice's full "
                    "address, starting with https://."
                )
            try:
                check.clean(link)
            except ValidationError:
                raise ValidationError(
                    f"“{link[:60]}” is not a web address: give each privacy notice's full "
                    "address, starting with https://."
                ) from None
        return links

    def section_values(self, document: dict[str, Any]) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "rights": {
                "privacy_notices": data["privacy_notices"],
                "subject_access_route": data["subject_access_route"].strip(),
                "objections_route": data["objections_route"].strip(),
                "breach_notification_hours": data["breach_notification_hours"],
            }
        }


class ExitForm(SectionForm):
    section = "exit"
    paths: ClassVar[dict[str, str]] = {
        "termination_terms": "exit.termination_terms",
        "on_exit": "exit.on_exit",
        "deletion_method": "exit.deletion_method",
    }

    termination_terms = f.text("exit.termination_terms", bound=f.TEXT, area=True)
    on_exit = f.choice("exit.on_exit", vocab.ON_EXIT, radios=True)
    deletion_method = f.text("exit.deletion_method", bound=1000, area=True, rows=3)

    @classmethod
    def initial_for(cls, document: dict[str, Any]) -> dict[str, Any]:
        exit_ = f.obj(document.get("exit"))
        return {
            "termination_terms": exit_.get("termination_terms") or "",
            "on_exit": exit_.get("on_exit") or "",
            "deletion_method": exit_.get("deletion_method") or "",
        }

    def section_values(self, document: dict[str, Any]) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "exit": {
                "termination_terms": data["termination_terms"].strip(),
                "on_exit": f.code_or_none(data["on_exit"]),
                "deletion_method": data["deletion_method"].strip(),
            }
        }


class RegisterForm(SectionForm):
    section = "register"
    paths: ClassVar[dict[str, str]] = {
        "publish": "register.publish",
        "public_summary": "register.public_summary",
        "contact": "register.contact",
    }

    publish = f.yes_no("register.publish")
    public_summary = f.text("register.public_summary", bound=2000, area=True, rows=5)
    contact = f.text("register.contact", bound=254)

    @classmethod
    def initial_for(cls, document: dict[str, Any]) -> dict[str, Any]:
        register = f.obj(document.get("register"))
        return {
            "publish": f.from_yes_no(register.get("publish")),
            "public_summary": register.get("public_summary") or "",
            "contact": register.get("contact") or "",
        }

    def section_values(self, document: dict[str, Any]) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "register": {
                "publish": f.to_yes_no(data["publish"]),
                "public_summary": data["public_summary"].strip(),
                "contact": data["contact"].strip(),
            }
        }


class EthicsForm(SectionForm):
    section = "ethics"
    paths: ClassVar[dict[str, str]] = {q.key: f"ethics.{q.key}" for q in QUESTIONS}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for question in QUESTIONS:
            self.fields[question.key] = f.text(
                f"ethics.{question.key}",
                bound=f.TEXT,
                area=True,
                rows=5,
                label=question.question,
                help_text=question.guidance,
            )

    @classmethod
    def initial_for(cls, document: dict[str, Any]) -> dict[str, Any]:
        ethics = f.obj(document.get("ethics"))
        return {q.key: ethics.get(q.key) or "" for q in QUESTIONS}

    def section_values(self, document: dict[str, Any]) -> dict[str, Any]:
        return {"ethics": {q.key: self.cleaned_data[q.key].strip() for q in QUESTIONS}}


SecurityEditor = one_form_editor(SecurityForm, "generic")
RightsEditor = one_form_editor(RightsForm, "rights")
ExitEditor = one_form_editor(ExitForm, "generic")
RegisterEditor = one_form_editor(RegisterForm, "generic")
EthicsEditor = one_form_editor(EthicsForm, "generic")
