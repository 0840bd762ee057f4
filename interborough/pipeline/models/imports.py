"""A CSV import of projects or contract records: validated first, imported on confirmation."""

import uuid

from django.conf import settings
from django.db import models

from interborough.core.models import TimeStampedModel


class ImportKind(models.TextChoices):
    PROJECTS = "projects", "Projects"
    CONTRACTS = "contracts", "Contract records"


class ImportStatus(models.TextChoices):
    VALIDATING = "validating", "Checking the file"
    VALIDATED = "validated", "Checked: waiting for confirmation"
    FAILED = "failed", "The file could not be read"
    IMPORTING = "importing", "Importing"
    IMPORTED = "imported", "Imported"
    DISCARDED = "discarded", "Discarded"


IMPORT_TRANSITIONS: dict[str, frozenset[str]] = {
    ImportStatus.VALIDATING: frozenset({ImportStatus.VALIDATED, ImportStatus.FAILED}),
    ImportStatus.VALIDATED: frozenset({ImportStatus.IMPORTING, ImportStatus.DISCARDED}),
    ImportStatus.IMPORTING: frozenset({ImportStatus.IMPORTED, ImportStatus.VALIDATED}),
    ImportStatus.FAILED: frozenset(),
    ImportStatus.IMPORTED: frozenset(),
    ImportStatus.DISCARDED: frozenset(),
}


class ImportRun(TimeStampedModel):
    """One uploaded file, its row-by-row report, and what was imported from it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=20, choices=ImportKind.choices)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    filename = models.CharField(max_length=255)
    checksum = models.CharField(max_length=64, help_text="SHA-256 of the uploaded file.")
    encoding = models.CharField(max_length=40, blank=True)
    status = models.CharField(
        max_length=20, choices=ImportStatus.choices, default=ImportStatus.VALIDATING
    )
    rows_total = models.PositiveIntegerField(default=0)
    rows_valid = models.PositiveIntegerField(default=0)
    rows_imported = models.PositiveIntegerField(default=0)
    progress = models.PositiveIntegerField(default=0, help_text="Rows processed so far.")
    # The cleaned valid rows, ready to import; dropped once imported or discarded.
    rows = models.JSONField(default=list, blank=True)
    # [{"line": 7, "column": "phase", "message": "..."}]; file-level problems have line 0.
    problems = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} import {self.filename} ({self.get_status_display()})"
