"""A dataset's resources (files or tables) and their immutable versions.

A resource's id and URL never change; "latest" resolves to its newest ready version; older
versions stay downloadable. Each upload becomes a version with its checksum, size, row count,
schema and a summary of what changed from the version before.
"""

import uuid

from django.conf import settings
from django.db import models

from interborough.catalogue.models.datasets import Dataset


class Resource(models.Model):
    """A file or table within a dataset."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="resources")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    latest = models.ForeignKey(
        "ResourceVersion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The newest version that is ready.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return f"{self.dataset}: {self.name}"


class VersionStatus(models.TextChoices):
    UPLOADED = "uploaded", "Uploaded, waiting to be checked"
    CHECKING = "checking", "Checking and converting"
    INVALID = "invalid", "Has problems: not published"
    READY = "ready", "Ready"


VERSION_TRANSITIONS: dict[str, frozenset[str]] = {
    VersionStatus.UPLOADED: frozenset({VersionStatus.CHECKING}),
    VersionStatus.CHECKING: frozenset({VersionStatus.READY, VersionStatus.INVALID}),
    VersionStatus.INVALID: frozenset(),
    VersionStatus.READY: frozenset(),
}


class ResourceVersion(models.Model):
    """One upload of a resource; never changed once ready."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(
        max_length=20, choices=VersionStatus.choices, default=VersionStatus.UPLOADED
    )
    filename = models.CharField(max_length=255)
    format = models.CharField(max_length=20, blank=True)
    encoding = models.CharField(max_length=40, blank=True)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField(help_text="Bytes of the uploaded file.")
    rows = models.PositiveBigIntegerField(null=True, blank=True)
    schema = models.JSONField(default=dict, blank=True, help_text="Frictionless Table Schema.")
    schema_confirmed = models.BooleanField(
        default=False, help_text="Attached or confirmed by the publisher (not only inferred)."
    )
    changes = models.JSONField(default=dict, blank=True, help_text="What changed from before.")
    problems = models.JSONField(default=list, blank=True)
    problem_count = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    ready_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["resource", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["resource", "number"], name="version_number_once")
        ]

    def __str__(self) -> str:
        return f"{self.resource} v{self.number}"
