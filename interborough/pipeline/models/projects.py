"""A council digital project, its themes and tags, and its dated timeline of status updates."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from interborough.core.models import TimeStampedModel

# A project nobody has touched for this long is flagged as stale (issue 3).
STALE_AFTER = timedelta(days=90)


class Phase(models.TextChoices):
    """The GDS service phases, plus the idea stage before discovery."""

    CONCEPT = "concept", "Concept"
    DISCOVERY = "discovery", "Discovery"
    ALPHA = "alpha", "Alpha"
    BETA = "beta", "Beta"
    LIVE = "live", "Live"
    RETIRED = "retired", "Retired"


class ProjectStatus(models.TextChoices):
    """Where the record is in its lifecycle (not the project's delivery phase)."""

    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    ARCHIVED = "archived", "Archived"


# The lifecycle, in one place: services/projects.py moves along it and tests walk it.
PROJECT_TRANSITIONS: dict[str, frozenset[str]] = {
    ProjectStatus.DRAFT: frozenset({ProjectStatus.PUBLISHED, ProjectStatus.ARCHIVED}),
    ProjectStatus.PUBLISHED: frozenset({ProjectStatus.ARCHIVED}),
    ProjectStatus.ARCHIVED: frozenset({ProjectStatus.DRAFT, ProjectStatus.PUBLISHED}),
}


class BudgetBand(models.TextChoices):
    UNKNOWN = "unknown", "Not known yet"
    UNDER_50K = "under_50k", "Under £50,000"
    FROM_50K = "50k_250k", "£50,000 to £250,000"
    FROM_250K = "250k_1m", "£250,000 to £1 million"
    FROM_1M = "1m_5m", "£1 million to £5 million"
    OVER_5M = "over_5m", "Over £5 million"


class FundingSource(models.TextChoices):
    UNKNOWN = "unknown", "Not known yet"
    CORE_BUDGET = "core_budget", "The organisation's own budget"
    CENTRAL_GOVERNMENT = "central_government", "Central government grant"
    GLA = "gla", "Greater London Authority"
    LOTI = "loti", "Pan-London fund"
    NHS = "nhs", "NHS"
    PARTNERSHIP = "partnership", "Shared between partners"
    CHARITABLE = "charitable", "Charitable or philanthropic"
    OTHER = "other", "Other"


class Theme(models.Model):
    """A London-wide theme (net zero, homelessness, ...): reference data loaded by migration."""

    slug = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=100, unique=True)
    description = models.CharField(max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    """A free keyword, normalised to lower case (services/tags.py owns the normal form)."""

    name = models.CharField(max_length=50, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Project(TimeStampedModel):
    """One council digital project: reported once, found by everyone it concerns."""

    # What it is
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=500)
    problem = models.TextField(blank=True, help_text="The problem the project is solving.")
    user_needs = models.TextField(blank=True, help_text="Who the users are and what they need.")
    outcomes = models.TextField(blank=True, help_text="The outcomes the project expects.")
    # Who
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="projects"
    )
    partners = models.ManyToManyField(
        "accounts.Organisation", blank=True, related_name="partner_projects"
    )
    department = models.CharField(max_length=150, blank=True)
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contact_projects",
    )
    # Where it is
    phase = models.CharField(max_length=20, choices=Phase.choices, default=Phase.CONCEPT)
    status = models.CharField(
        max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.DRAFT, db_index=True
    )
    is_public = models.BooleanField(
        default=False, help_text="Anyone, signed in or not, can see it once published."
    )
    themes = models.ManyToManyField(Theme, blank=True, related_name="projects")
    tags = models.ManyToManyField(Tag, blank=True, related_name="projects")
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    budget_band = models.CharField(
        max_length=20, choices=BudgetBand.choices, default=BudgetBand.UNKNOWN
    )
    funding_source = models.CharField(
        max_length=30, choices=FundingSource.choices, default=FundingSource.UNKNOWN
    )
    # Working with others
    collaboration_wanted = models.BooleanField(default=False)
    collaboration_kind = models.CharField(
        max_length=500, blank=True, help_text="What kind of collaboration is wanted."
    )
    market_engagement_wanted = models.BooleanField(default=False)
    market_need = models.TextField(blank=True, help_text="What the council needs from suppliers.")
    market_need_by = models.DateField(null=True, blank=True, help_text="And by when.")
    # How it is built
    technology = models.CharField(max_length=500, blank=True, help_text="Technology used.")
    suppliers = models.CharField(max_length=500, blank=True, help_text="Suppliers working on it.")
    source_code_url = models.URLField(max_length=300, blank=True)
    publiccode_url = models.URLField(max_length=300, blank=True, help_text="Its publiccode.yml.")
    related_datasets = models.JSONField(
        default=list, blank=True, help_text="Links to related datasets (a list of URLs)."
    )
    # Lifecycle dates
    published_at = models.DateTimeField(null=True, blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    last_activity_at = models.DateTimeField(
        default=timezone.now,
        db_index=True,
        help_text="The last edit or status update: staleness is measured from here.",
    )
    stale_reminded_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-last_activity_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "is_public"]),
            models.Index(fields=["updated_at"]),
            models.Index(fields=["market_engagement_wanted", "market_need_by"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="project_dates_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_stale(self) -> bool:
        return self.status != ProjectStatus.ARCHIVED and (
            timezone.now() - self.last_activity_at > STALE_AFTER
        )


class StatusUpdate(models.Model):
    """One dated entry on a project's timeline."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    text = models.TextField()
    phase = models.CharField(
        max_length=20, choices=Phase.choices, blank=True, help_text="The phase it moved to, if any."
    )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.project}: {self.created_at:%d %B %Y}"


class SimilarityAlert(models.Model):
    """Two projects of different organisations found to be alike; both owners were told once."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    similar = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["project", "similar"], name="similarity_alert_once")
        ]

    def __str__(self) -> str:
        return f"{self.project} ≈ {self.similar} ({self.score:.2f})"
