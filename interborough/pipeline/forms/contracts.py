"""Forms for the contract register and the market view's filters.

Forms bound what comes in and turn it into a ContractInput; the rules are in
services/contracts.py (clean_contract_input), shared with the API and the CSV import.
"""

from dataclasses import asdict
from typing import Any

from django import forms

from interborough.accounts.models import Organisation
from interborough.pipeline.models import ContractRecord, Theme, ValueBand
from interborough.pipeline.services.contracts import ContractInput, contract_input_from

DATE_FORMATS = ["%d/%m/%Y", "%d %m %Y", "%Y-%m-%d", "%d-%m-%Y", "%d %B %Y", "%d %b %Y"]
DATE_HINT = "For example, 31/3/2027."
WINDOW_CHOICES = [
    ("", "Any time"),
    ("90", "Within 3 months"),
    ("180", "Within 6 months"),
    ("365", "Within a year"),
    ("540", "Within 18 months"),
]


def _date_field(label: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        input_formats=DATE_FORMATS,
        help_text=DATE_HINT,
        error_messages={"invalid": f"Enter the {label.lower()} as a date, like 31/3/2027."},
        widget=forms.DateInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class ContractForm(forms.Form):
    """A contract record, for adding or editing; `organisations` when the person publishes for
    several (they choose), `suppliers` for linking the supplier's organisation."""

    organisation = forms.ChoiceField(label="Organisation", choices=())
    product = forms.CharField(
        label="Product or system",
        max_length=200,
        help_text="For example, the housing management system's product name.",
        error_messages={"required": "Enter the product."},
    )
    category = forms.CharField(
        label="What it does (optional)",
        max_length=100,
        required=False,
        help_text="For example, housing management, revenues and benefits, CRM.",
    )
    supplier_name = forms.CharField(
        label="Supplier",
        max_length=200,
        error_messages={"required": "Enter the supplier's name."},
    )
    supplier = forms.ChoiceField(
        label="Supplier's organisation on Interborough (optional)",
        required=False,
        choices=(),
    )
    contract_start = _date_field("Contract start date")
    contract_end = _date_field("Contract end date")
    annual_value_band = forms.ChoiceField(
        label="Annual value", choices=ValueBand.choices, initial=ValueBand.UNKNOWN
    )
    value_is_internal = forms.BooleanField(
        label="Only people in our organisation may see the value", required=False
    )
    contract_notice_url = forms.CharField(
        label="Contract notice link (optional)",
        max_length=300,
        required=False,
        help_text="The notice on Contracts Finder or Find a Tender, starting with https://",
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "url"}),
    )
    reprocurement_planned = forms.BooleanField(
        label="We plan to procure this again when the contract ends", required=False
    )
    notes = forms.CharField(
        label="Notes (optional)", max_length=1000, required=False, widget=forms.Textarea
    )

    def __init__(
        self,
        *args: Any,
        organisations: list[Organisation] | None = None,
        suppliers: list[Organisation] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if organisations and len(organisations) > 1:
            organisation = self.fields["organisation"]
            assert isinstance(organisation, forms.ChoiceField)  # noqa: S101 (narrowing for mypy)
            organisation.choices = [(o.slug, o.name) for o in organisations]
            organisation.error_messages["required"] = "Choose the organisation."
            organisation.error_messages["invalid_choice"] = (
                "Choose one of the organisations you publish for."
            )
        else:
            del self.fields["organisation"]
        supplier = self.fields["supplier"]
        assert isinstance(supplier, forms.ChoiceField)  # noqa: S101 (narrowing for mypy)
        supplier.choices = [("", "Not on Interborough")] + [
            (o.slug, o.name) for o in suppliers or []
        ]
        supplier.error_messages["invalid_choice"] = (
            "Choose a supplier from the list, or “Not on Interborough”."
        )

    def contract_input(self) -> ContractInput:
        data = getattr(self, "cleaned_data", {})
        return ContractInput(
            product=data["product"],
            category=data["category"],
            supplier_name=data["supplier_name"],
            supplier=data["supplier"],
            contract_start=data["contract_start"],
            contract_end=data["contract_end"],
            annual_value_band=data["annual_value_band"],
            value_is_internal=data["value_is_internal"],
            contract_notice_url=data["contract_notice_url"],
            reprocurement_planned=data["reprocurement_planned"],
            notes=data["notes"],
        )

    @staticmethod
    def initial_for(contract: ContractRecord) -> dict[str, Any]:
        """The form's starting values for editing a contract record."""
        return asdict(contract_input_from(contract))


def _window(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, choices=WINDOW_CHOICES, coerce=int, empty_value=None, required=False
    )


class ContractFilterForm(forms.Form):
    """The register's filters (GET); anything out of bounds is simply ignored."""

    q = forms.CharField(label="Search", max_length=100, required=False)
    product = forms.CharField(label="Product", max_length=100, required=False)
    supplier = forms.CharField(label="Supplier", max_length=100, required=False)
    organisation = forms.ChoiceField(label="Organisation", required=False, choices=())
    ending_within = _window("Contract ends")
    reprocurement = forms.BooleanField(label="Re-procurement planned only", required=False)

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 (narrowing for mypy)
        field.choices = [("", "All organisations")] + [(o.slug, o.name) for o in organisations]

    def filters(self) -> dict[str, Any]:
        """The selector's keyword arguments; a value that does not validate is left out."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "q": data.get("q", ""),
            "product": data.get("product", ""),
            "supplier": data.get("supplier", ""),
            "organisation": data.get("organisation", ""),
            "ending_within_days": data.get("ending_within"),
            "reprocurement_only": bool(data.get("reprocurement")),
        }


class MarketFilterForm(forms.Form):
    """The market view's filters (GET)."""

    theme = forms.ChoiceField(label="Theme", required=False, choices=())
    borough = forms.ChoiceField(label="Council", required=False, choices=())
    due_within = _window("Needed by")

    def __init__(
        self, *args: Any, themes: list[Theme], organisations: list[Organisation], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        theme = self.fields["theme"]
        borough = self.fields["borough"]
        assert isinstance(theme, forms.ChoiceField)  # noqa: S101 (narrowing for mypy)
        assert isinstance(borough, forms.ChoiceField)  # noqa: S101 (narrowing for mypy)
        theme.choices = [("", "All themes")] + [(t.slug, t.name) for t in themes]
        borough.choices = [("", "All councils")] + [(o.slug, o.name) for o in organisations]

    def filters(self) -> dict[str, Any]:
        """The selector's keyword arguments; a value that does not validate is left out."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "theme": data.get("theme", ""),
            "organisation": data.get("borough", ""),
            "due_within_days": data.get("due_within"),
        }


class ConfirmForm(forms.Form):
    """A confirmation POST with nothing in it but the CSRF token."""
