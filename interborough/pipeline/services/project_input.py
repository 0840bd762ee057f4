"""One set of rules for a project's fields, shared by the forms, the API and CSV imports.

`clean_project_input` checks every field and raises a Django ValidationError naming each field
that is wrong (forms show them in the error summary, the API as a 422 with field messages, the
import as row-by-row problems). `ProjectLookups` holds the reference data a check needs, so an
import of 10,000 rows does not query it 10,000 times.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any

from interborough.accounts.models import Membership, Organisation, User
from interborough.core.errors import ApplicationError
from interborough.core.text import clean_line, clean_tag, clean_text, clean_web_address
from interborough.core.validation import FieldErrors
from interborough.pipeline.models import BudgetBand, FundingSource, Phase, Project, Theme

MAX_TAGS = 15
MAX_PARTNERS = 30
MAX_RELATED_DATASETS = 20
LONG_TEXT = 5000


@dataclass(frozen=True)
class ProjectInput:
    """A project's fields as a person gave them (strings, flags, dates and lists of slugs)."""

    title: str = ""
    summary: str = ""
    problem: str = ""
    user_needs: str = ""
    outcomes: str = ""
    department: str = ""
    contact_email: str = ""
    phase: str = Phase.CONCEPT
    themes: Sequence[str] = ()  # theme slugs
    tags: Sequence[str] = ()
    partners: Sequence[str] = ()  # organisation slugs
    start_date: date | None = None
    end_date: date | None = None
    budget_band: str = BudgetBand.UNKNOWN
    funding_source: str = FundingSource.UNKNOWN
    collaboration_wanted: bool = False
    collaboration_kind: str = ""
    market_engagement_wanted: bool = False
    market_need: str = ""
    market_need_by: date | None = None
    technology: str = ""
    suppliers: str = ""
    source_code_url: str = ""
    publiccode_url: str = ""
    related_datasets: Sequence[str] = ()
    is_public: bool = False


def project_input_from(project: Project) -> ProjectInput:
    """A project's fields as they are now, in the shape a person gives them (to edit them)."""
    related = {"contact_email", "themes", "tags", "partners", "related_datasets"}
    values = {
        f.name: getattr(project, f.name) for f in fields(ProjectInput) if f.name not in related
    }
    values.update(
        contact_email=project.contact.email if project.contact else "",
        themes=[theme.slug for theme in project.themes.all()],
        tags=[tag.name for tag in project.tags.all()],
        partners=[partner.slug for partner in project.partners.all()],
        related_datasets=list(project.related_datasets or []),
    )
    return ProjectInput(**values)


@dataclass
class CleanProject:
    """Checked values, ready to save: scalar model fields and the related rows."""

    fields: dict[str, Any]
    themes: list[Theme]
    tags: list[str]  # normalised names
    partners: list[Organisation]


@dataclass
class ProjectLookups:
    """Reference data for checking projects, loaded once (per request or per import)."""

    themes: dict[str, Theme] = field(default_factory=dict)
    organisations: dict[str, Organisation] = field(default_factory=dict)
    members_by_email: dict[tuple[int, str], User] = field(default_factory=dict)

    @classmethod
    def load(cls, *, organisation: Organisation) -> "ProjectLookups":
        members = Membership.objects.filter(organisation=organisation).select_related("user")
        return cls(
            themes={t.slug: t for t in Theme.objects.all()},
            organisations={
                o.slug: o for o in Organisation.objects.filter(is_active=True).defer("boundary")
            },
            members_by_email={
                (organisation.pk, m.user.email.lower()): m.user for m in members if m.user.is_active
            },
        )


def _tags(values: Sequence[str]) -> list[str]:
    tags = list(dict.fromkeys(t for t in (clean_tag(v) for v in values) if t))
    if len(tags) > MAX_TAGS:
        raise ApplicationError(f"Give {MAX_TAGS} tags or fewer.", field="tags")
    return tags


def _themes(values: Sequence[str], lookups: ProjectLookups) -> list[Theme]:
    slugs = list(dict.fromkeys(v.strip() for v in values if v.strip()))
    if not slugs:
        raise ApplicationError("Choose at least one theme.", field="themes")
    unknown = [s for s in slugs if s not in lookups.themes]
    if unknown:
        known = ", ".join(sorted(lookups.themes))
        raise ApplicationError(
            f"There is no theme “{unknown[0][:50]}”. Themes are: {known}.", field="themes"
        )
    return [lookups.themes[s] for s in slugs]


def _partners(
    values: Sequence[str], organisation: Organisation, lookups: ProjectLookups
) -> list[Organisation]:
    slugs = list(dict.fromkeys(v.strip() for v in values if v.strip()))
    if len(slugs) > MAX_PARTNERS:
        raise ApplicationError(f"Name {MAX_PARTNERS} partners or fewer.", field="partners")
    partners = []
    for slug in slugs:
        partner = lookups.organisations.get(slug)
        if partner is None:
            raise ApplicationError(
                f"There is no active organisation “{slug[:100]}” on the platform.",
                field="partners",
            )
        if partner.pk == organisation.pk:
            raise ApplicationError(
                "The owning organisation cannot also be a partner.", field="partners"
            )
        partners.append(partner)
    return partners


def _contact(email: str, organisation: Organisation, lookups: ProjectLookups) -> User | None:
    email = email.strip().lower()
    if not email:
        return None
    contact = lookups.members_by_email.get((organisation.pk, email))
    if contact is None:
        raise ApplicationError(
            f"The contact must be a member of {organisation}: give their email address on the "
            "platform.",
            field="contact_email",
        )
    return contact


_CHOICES: dict[str, tuple[str, ...]] = {
    "phase": tuple(Phase.values),
    "budget_band": tuple(BudgetBand.values),
    "funding_source": tuple(FundingSource.values),
}


def _choice(value: str, field: str, label: str) -> str:
    allowed = _CHOICES[field]
    if value not in allowed:
        raise ApplicationError(f"Choose the {label} from: {', '.join(allowed)}.", field=field)
    return value


def _related_datasets(values: Sequence[str]) -> list[str]:
    links = [v.strip() for v in values if v.strip()]
    if len(links) > MAX_RELATED_DATASETS:
        raise ApplicationError(
            f"Link {MAX_RELATED_DATASETS} datasets or fewer.", field="related_datasets"
        )
    return list(
        dict.fromkeys(
            clean_web_address(link, field="related_datasets", label="dataset link")
            for link in links
        )
    )


def clean_project_input(
    *, organisation: Organisation, data: ProjectInput, lookups: ProjectLookups | None = None
) -> CleanProject:
    """Check every field; raise ValidationError listing each wrong field with its message."""
    lookups = lookups or ProjectLookups.load(organisation=organisation)
    errors = FieldErrors()
    values: dict[str, Any] = {}
    check = errors.check

    for name, label, limit, required, fn in (
        ("title", "title", 200, True, clean_line),
        ("summary", "summary", 500, True, clean_line),
        ("department", "department", 150, False, clean_line),
        ("technology", "technology used", 500, False, clean_line),
        ("suppliers", "suppliers", 500, False, clean_line),
        ("collaboration_kind", "kind of collaboration wanted", 500, False, clean_line),
        ("problem", "problem", LONG_TEXT, False, clean_text),
        ("user_needs", "users and their needs", LONG_TEXT, False, clean_text),
        ("outcomes", "expected outcomes", LONG_TEXT, False, clean_text),
        ("market_need", "market need", LONG_TEXT, False, clean_text),
    ):
        values[name] = check(
            name,
            fn,
            getattr(data, name),
            field=name,
            label=label,
            max_length=limit,
            required=required,
        )
    for name, label in (
        ("source_code_url", "source code link"),
        ("publiccode_url", "publiccode.yml link"),
    ):
        values[name] = check(name, clean_web_address, getattr(data, name), field=name, label=label)
    values["phase"] = check("phase", _choice, data.phase, "phase", "phase")
    values["budget_band"] = check(
        "budget_band", _choice, data.budget_band, "budget_band", "budget band"
    )
    values["funding_source"] = check(
        "funding_source", _choice, data.funding_source, "funding_source", "funding source"
    )
    values["related_datasets"] = check("related_datasets", _related_datasets, data.related_datasets)
    values["contact"] = check("contact_email", _contact, data.contact_email, organisation, lookups)
    themes = check("themes", _themes, data.themes, lookups)
    tags = check("tags", _tags, data.tags)
    partners = check("partners", _partners, data.partners, organisation, lookups)

    if data.start_date and data.end_date and data.end_date < data.start_date:
        errors.add("end_date", "The end date must be on or after the start date.")
    if data.collaboration_wanted and not values.get("collaboration_kind"):
        errors.add("collaboration_kind", "Say what kind of collaboration you want.")
    if data.market_engagement_wanted and not values.get("market_need"):
        errors.add("market_need", "Say what you need from suppliers, so they can respond.")
    errors.raise_if_any()
    values.update(
        start_date=data.start_date,
        end_date=data.end_date,
        collaboration_wanted=bool(data.collaboration_wanted),
        market_engagement_wanted=bool(data.market_engagement_wanted),
        market_need_by=data.market_need_by if data.market_engagement_wanted else None,
        is_public=bool(data.is_public),
    )
    if not data.collaboration_wanted:
        values["collaboration_kind"] = ""
    return CleanProject(fields=values, themes=themes, tags=tags, partners=partners)
