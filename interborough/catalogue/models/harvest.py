"""Harvesting: another CKAN or DCAT catalogue whose datasets are copied in on a schedule, and
the history of each harvest run."""

from django.conf import settings
from django.db import models

from interborough.core.models import TimeStampedModel


class HarvestKind(models.TextChoices):
    CKAN = "ckan", "CKAN Action API"
    DCAT = "dcat", "DCAT catalogue (Turtle, RDF/XML or JSON-LD)"


class HarvestSource(TimeStampedModel):
    """A remote catalogue, harvested into datasets published by `organisation`."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="harvest_sources"
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=HarvestKind.choices)
    url = models.URLField(max_length=500, help_text="CKAN base URL or the DCAT catalogue URL.")
    every_hours = models.PositiveSmallIntegerField(
        default=24, help_text="How often the schedule harvests it."
    )
    is_active = models.BooleanField(default=True)
    next_run_at = models.DateTimeField(null=True, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "url"], name="harvest_source_once")
        ]

    def __str__(self) -> str:
        return self.name


class HarvestStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


HARVEST_TRANSITIONS: dict[str, frozenset[str]] = {
    HarvestStatus.QUEUED: frozenset({HarvestStatus.RUNNING, HarvestStatus.FAILED}),
    HarvestStatus.RUNNING: frozenset({HarvestStatus.SUCCEEDED, HarvestStatus.FAILED}),
    HarvestStatus.SUCCEEDED: frozenset(),
    HarvestStatus.FAILED: frozenset(),
}


class HarvestRun(models.Model):
    """One harvest of a source: what it found, created, updated and withdrew, and any errors."""

    source = models.ForeignKey(HarvestSource, on_delete=models.CASCADE, related_name="runs")
    status = models.CharField(
        max_length=20, choices=HarvestStatus.choices, default=HarvestStatus.QUEUED, db_index=True
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    found = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    withdrawn = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.source} {self.created_at:%Y-%m-%d %H:%M} {self.status}"
