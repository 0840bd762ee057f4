"""API schemas for the contract register, market needs and the OCDS export."""

from datetime import date, datetime
from typing import Annotated, Any

from ninja import Field, Schema

from interborough.accounts.models import User
from interborough.api.fields import NO_NUL, Slug, Text100
from interborough.pipeline import permissions
from interborough.pipeline.models import ContractRecord, Project, ValueBand

Product = Annotated[str, Field(min_length=1, max_length=200, pattern=NO_NUL)]
SupplierName = Annotated[str, Field(min_length=1, max_length=200, pattern=NO_NUL)]
Category = Annotated[str, Field(max_length=100, pattern=NO_NUL)]
Notes = Annotated[str, Field(max_length=1000, pattern=NO_NUL)]
WebAddress = Annotated[
    str, Field(max_length=300, pattern=NO_NUL, description="An http(s) address, or empty.")
]
Window = Annotated[int, Field(ge=1, le=3650, description="A number of days from today.")]
# The earliest and latest dates a contract can sensibly carry (keeps databases and clients sane).
Day = Annotated[date, Field(ge=date(1990, 1, 1), le=date(2100, 12, 31))]


class ContractFilters(Schema):
    q: Text100 = Field("", description="Part of the product, category or supplier name.")
    product: Text100 = Field("", description="Part of the product's name.")
    supplier: Text100 = Field("", description="Part of the supplier's name, or its slug.")
    organisation: Text100 = Field("", description="The owning organisation's slug.")
    ending_within_days: Window | None = Field(
        None, description="Only contracts ending between today and this many days from now."
    )
    reprocurement_only: bool = Field(
        False, description="Only contracts whose organisation plans to procure again."
    )


class ContractFields(Schema):
    """What a contract record says (shared by creating and replacing one)."""

    product: Product
    category: Category = ""
    supplier_name: SupplierName
    supplier: Slug | None = Field(
        None, description="The slug of the supplier's organisation, when it is on the platform."
    )
    contract_start: Day | None = None
    contract_end: Day | None = None
    annual_value_band: ValueBand = ValueBand.UNKNOWN
    value_is_internal: bool = Field(
        False, description="Only the organisation's own members see the value band."
    )
    contract_notice_url: WebAddress = ""
    reprocurement_planned: bool = False
    notes: Notes = ""


class ContractIn(ContractFields):
    organisation: Slug = Field(
        description="The slug of the organisation that runs it (you publish for it)."
    )


class ContractPatch(Schema):
    """Only the fields sent change."""

    product: Product | None = None
    category: Category | None = None
    supplier_name: SupplierName | None = None
    supplier: Slug | None = None
    contract_start: Day | None = None
    contract_end: Day | None = None
    annual_value_band: ValueBand | None = None
    value_is_internal: bool | None = None
    contract_notice_url: WebAddress | None = None
    reprocurement_planned: bool | None = None
    notes: Notes | None = None


def _viewer(context: Any) -> User | None:
    request = (context or {}).get("request")
    user = getattr(request, "user", None)
    return user if isinstance(user, User) else None


class ContractOut(Schema):
    id: int
    organisation: str
    organisation_name: str
    product: str
    category: str
    supplier_name: str
    supplier: str | None
    contract_start: date | None
    contract_end: date | None
    annual_value_band: ValueBand | None = Field(
        description="Null when the value is internal to an organisation you are not in."
    )
    value_is_internal: bool
    contract_notice_url: str
    reprocurement_planned: bool
    notes: str
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_organisation(obj: ContractRecord) -> str:
        return obj.organisation.slug

    @staticmethod
    def resolve_organisation_name(obj: ContractRecord) -> str:
        return obj.organisation.name

    @staticmethod
    def resolve_supplier(obj: ContractRecord) -> str | None:
        return obj.supplier.slug if obj.supplier else None

    @staticmethod
    def resolve_annual_value_band(obj: ContractRecord, context: Any) -> str | None:
        viewer = _viewer(context)
        if viewer is None or not permissions.can_see_contract_value(viewer, obj):
            return None
        return obj.annual_value_band


class MarketNeedFilters(Schema):
    theme: Text100 = Field("", description="A theme's slug.")
    organisation: Text100 = Field("", description="The owning organisation's slug.")
    due_within_days: Window | None = Field(
        None, description="Only needs due between today and this many days from now."
    )
    q: Text100 = Field("", description="Part of the title, summary or need.")


class MarketNeedOut(Schema):
    project_id: int
    title: str
    summary: str
    market_need: str
    market_need_by: date | None
    organisation: str
    organisation_name: str
    themes: list[str] = Field(description="Theme slugs.")
    is_public: bool
    updated_at: datetime

    @staticmethod
    def resolve_project_id(obj: Project) -> int:
        return obj.pk

    @staticmethod
    def resolve_organisation(obj: Project) -> str:
        return obj.organisation.slug

    @staticmethod
    def resolve_organisation_name(obj: Project) -> str:
        return obj.organisation.name

    @staticmethod
    def resolve_themes(obj: Project) -> list[str]:
        return [t.slug for t in obj.themes.all()]


class OcdsPackageOut(Schema):
    """An OCDS 1.1 release package; each release follows the OCDS release schema."""

    uri: str
    version: str
    publishedDate: str  # the OCDS field name
    publisher: dict[str, Any]
    releases: list[dict[str, Any]]
