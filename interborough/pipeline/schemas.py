"""API schemas for projects, their timelines, watchers, contributors and subscriptions.

Input strings and lists are bounded by the same limits as the record (services/project_input.py
checks everything else and answers with the same messages as the forms).
"""

from datetime import date, datetime
from typing import Annotated, Any

from django.conf import settings
from django.urls import reverse
from ninja import Field, Schema

from interborough.api.fields import NO_NUL
from interborough.core.text import TAG_MAX_LENGTH
from interborough.pipeline.models import (
    BudgetBand,
    ContributionStatus,
    FundingSource,
    Phase,
    Project,
    ProjectStatus,
)
from interborough.pipeline.permissions import is_signed_in
from interborough.pipeline.services.people import MESSAGE_MAX_LENGTH
from interborough.pipeline.services.project_input import (
    LONG_TEXT,
    MAX_PARTNERS,
    MAX_RELATED_DATASETS,
    MAX_TAGS,
)
from interborough.pipeline.services.projects import UPDATE_MAX_LENGTH


def _text(limit: int, description: str = "") -> Any:
    """An optional string field, empty by default, bounded to the record's limit."""
    return Field("", max_length=limit, description=description or None)


SlugText = Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[-a-zA-Z0-9_]+$")]
ThemeSlug = Annotated[str, Field(max_length=50)]
TagText = Annotated[str, Field(max_length=TAG_MAX_LENGTH)]
PartnerSlug = Annotated[str, Field(max_length=100)]
WebAddress = Annotated[str, Field(max_length=300)]
SearchValue = Annotated[str, Field(max_length=100, pattern=NO_NUL)]
FACET_VALUES = 50

# --- references to other records ---------------------------------------------------------


class OrganisationRef(Schema):
    slug: str
    name: str


class ThemeOut(Schema):
    slug: str
    name: str
    description: str


class ThemeRef(Schema):
    slug: str
    name: str


class PersonRef(Schema):
    """Someone on the platform: shown to signed-in people only."""

    name: str
    email: str


def project_url(project: Project) -> str:
    """The project's page on the site."""
    return settings.SITE_URL + reverse("pipeline:project-detail", args=[project.pk])


def _viewer_signed_in(context: Any) -> bool:
    request = (context or {}).get("request")
    user = getattr(request, "auth", None)
    return user is not None and is_signed_in(user)


# --- projects ----------------------------------------------------------------------------


class ProjectPatch(Schema):
    """A project's fields. In a PATCH only the fields you send change; the rest keep their
    values. Dates and lists are replaced whole; send null (dates) or [] (lists) to clear."""

    title: str = _text(200)
    summary: str = _text(500)
    problem: str = _text(LONG_TEXT, "The problem the project is solving.")
    user_needs: str = _text(LONG_TEXT, "Who the users are and what they need.")
    outcomes: str = _text(LONG_TEXT, "The outcomes the project expects.")
    department: str = _text(150)
    contact_email: str = _text(
        254, "The contact: a member of the owning organisation, by their email address."
    )
    phase: Phase = Phase.CONCEPT
    themes: list[ThemeSlug] = Field(
        default_factory=list, max_length=20, description="Theme slugs (GET /themes)."
    )
    tags: list[TagText] = Field(
        default_factory=list, max_length=MAX_TAGS, description="Free keywords."
    )
    partners: list[PartnerSlug] = Field(
        default_factory=list,
        max_length=MAX_PARTNERS,
        description="Slugs of partner organisations on the platform.",
    )
    start_date: date | None = None
    end_date: date | None = None
    budget_band: BudgetBand = BudgetBand.UNKNOWN
    funding_source: FundingSource = FundingSource.UNKNOWN
    collaboration_wanted: bool = False
    collaboration_kind: str = _text(500, "Required when collaboration is wanted.")
    market_engagement_wanted: bool = False
    market_need: str = _text(
        LONG_TEXT, "What the council needs from suppliers; required when market engagement is."
    )
    market_need_by: date | None = None
    technology: str = _text(500, "Technology used.")
    suppliers: str = _text(500, "Suppliers working on it.")
    source_code_url: WebAddress = ""
    publiccode_url: WebAddress = Field("", description="The project's publiccode.yml.")
    related_datasets: list[WebAddress] = Field(
        default_factory=list, max_length=MAX_RELATED_DATASETS, description="Links to datasets."
    )
    is_public: bool = Field(False, description="Anyone, signed in or not, sees it once published.")


class ProjectIn(ProjectPatch):
    """A new project: a draft of `organisation` (which you publish for). Fields left out take
    their defaults."""

    organisation: SlugText = Field(description="The slug of the owning organisation.")
    title: str = Field(max_length=200)
    summary: str = Field(max_length=500)
    themes: list[ThemeSlug] = Field(max_length=20, description="Theme slugs (GET /themes).")


class ProjectOut(Schema):
    id: int
    url: str = Field(description="The project's page.")
    title: str
    summary: str
    problem: str
    user_needs: str
    outcomes: str
    organisation: OrganisationRef
    partners: list[OrganisationRef]
    department: str
    contact: PersonRef | None = Field(description="Shown to signed-in people only.")
    status: ProjectStatus
    is_public: bool
    phase: Phase
    themes: list[ThemeRef]
    tags: list[str]
    start_date: date | None
    end_date: date | None
    budget_band: BudgetBand
    funding_source: FundingSource
    collaboration_wanted: bool
    collaboration_kind: str
    market_engagement_wanted: bool
    market_need: str
    market_need_by: date | None
    technology: str
    suppliers: str
    source_code_url: str
    publiccode_url: str
    related_datasets: list[str]
    published_at: datetime | None
    archived_at: datetime | None
    last_activity_at: datetime
    is_stale: bool = Field(description="Not updated for 90 days.")
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_url(obj: Project) -> str:
        return project_url(obj)

    @staticmethod
    def resolve_partners(obj: Project) -> list[Any]:
        return list(obj.partners.all())

    @staticmethod
    def resolve_themes(obj: Project) -> list[Any]:
        return list(obj.themes.all())

    @staticmethod
    def resolve_tags(obj: Project) -> list[str]:
        return [tag.name for tag in obj.tags.all()]

    @staticmethod
    def resolve_contact(obj: Project, context: Any) -> dict[str, str] | None:
        if obj.contact is None or not _viewer_signed_in(context):
            return None
        return {"name": obj.contact.full_name, "email": obj.contact.email}


class ProjectMatchOut(ProjectOut):
    score: float = Field(description="Relevance to the search text, 0 to 1 (0 without text).")


class FacetValueOut(Schema):
    value: str = Field(description="What to send back as the filter's value.")
    label: str
    count: int
    selected: bool


class ProjectSearchOut(Schema):
    items: list[ProjectMatchOut]
    total: int
    page: int
    pages: int
    per_page: int
    facets: dict[str, list[FacetValueOut]] = Field(
        description="organisation, phase, theme, tag (top 30), collaboration, market."
    )
    borough_counts: dict[str, int] = Field(
        description="Matching projects per London borough, by GSS code."
    )


class ProjectSearchQuery(Schema):
    """Search and filters; values within one filter are alternatives, filters all apply."""

    q: str = Field("", max_length=200, pattern=NO_NUL, description="Words to search for.")
    organisation: list[SearchValue] = Field(
        default_factory=list, max_length=FACET_VALUES, description="Owner slugs."
    )
    phase: list[Phase] = Field(default_factory=list, max_length=FACET_VALUES)
    theme: list[SearchValue] = Field(
        default_factory=list, max_length=FACET_VALUES, description="Theme slugs."
    )
    tag: list[SearchValue] = Field(default_factory=list, max_length=FACET_VALUES)
    collaboration: bool | None = Field(None, description="Collaboration wanted (or not).")
    market: bool | None = Field(None, description="Market engagement wanted (or not).")
    include_archived: bool = False
    sort: str = Field(
        "",
        pattern=r"^(relevance|updated)?$",
        description="relevance (the default with q) or updated (the default without).",
    )
    page: int = Field(1, ge=1, le=10_000)
    per_page: int = Field(20, ge=1, le=100)


class ProjectBriefOut(Schema):
    id: int
    url: str
    title: str
    summary: str
    organisation: OrganisationRef
    phase: Phase
    status: ProjectStatus

    @staticmethod
    def resolve_url(obj: Project) -> str:
        return project_url(obj)


class SimilarQuery(Schema):
    limit: int = Field(5, ge=1, le=20, description="How many similar projects to list.")


class SimilarProjectOut(Schema):
    project: ProjectBriefOut
    score: float = Field(description="Similarity, 0 to 1.")
    shared_terms: list[str] = Field(description="The words that matched most.")
    shared_themes: list[ThemeRef]


# --- timeline ----------------------------------------------------------------------------


class StatusUpdateIn(Schema):
    text: str = Field(max_length=UPDATE_MAX_LENGTH)
    phase: Phase | None = Field(None, description="The phase the project has moved to, if any.")


class StatusUpdateOut(Schema):
    id: int
    created_at: datetime
    text: str
    phase: Phase | None = Field(description="The phase it moved to, if it moved.")
    author: str | None = Field(description="Shown to signed-in people only.")

    @staticmethod
    def resolve_phase(obj: Any) -> str | None:
        return obj.phase or None

    @staticmethod
    def resolve_author(obj: Any, context: Any) -> str | None:
        if obj.author is None or not _viewer_signed_in(context):
            return None
        return str(obj.author.full_name or obj.author.email)


# --- watching, contributing, subscribing ------------------------------------------------


class WatchOut(Schema):
    project_id: int
    watching: bool
    since: datetime | None


class ContributionIn(Schema):
    message: str = Field(max_length=MESSAGE_MAX_LENGTH, description="What you offer or want.")


class ContributionDecisionIn(Schema):
    approve: bool


class ContributionOut(Schema):
    id: int
    project_id: int
    person: PersonRef
    message: str
    status: ContributionStatus
    created_at: datetime
    decided_at: datetime | None

    @staticmethod
    def resolve_person(obj: Any) -> dict[str, str]:
        return {"name": obj.user.full_name, "email": obj.user.email}


class SubscriptionIn(Schema):
    """Follow one theme (by slug) or one tag."""

    theme: Annotated[str, Field(max_length=50, pattern=r"^[-a-zA-Z0-9_]*$")] = ""
    tag: Annotated[str, Field(max_length=TAG_MAX_LENGTH, pattern=NO_NUL)] = ""


class SubscriptionOut(Schema):
    id: int
    theme: ThemeRef | None
    tag: str | None
    created_at: datetime

    @staticmethod
    def resolve_tag(obj: Any) -> str | None:
        return obj.tag.name if obj.tag_id else None
