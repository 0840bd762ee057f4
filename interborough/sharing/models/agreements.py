"""A data sharing agreement, one row per version. The agreement itself is a document (ADR 0009):
`document` holds every section as JSON valid against the published JSON Schema, and the columns
beside it copy out only what the platform queries (status, dates, register fields)."""

from django.conf import settings
from django.db import models

from interborough.core.models import TimeStampedModel


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted for approval"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    APPROVED = "approved", "Approved"
    ACTIVE = "active", "Active"
    SUSPENDED = "suspended", "Suspended"
    EXPIRED = "expired", "Expired"
    TERMINATED = "terminated", "Terminated"


S = AgreementStatus

# The workflow: the map is the documentation and the test table.
AGREEMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.SUBMITTED}),
    S.SUBMITTED: frozenset({S.CHANGES_REQUESTED, S.APPROVED, S.DRAFT}),
    S.CHANGES_REQUESTED: frozenset({S.DRAFT, S.SUBMITTED}),
    S.APPROVED: frozenset({S.ACTIVE, S.TERMINATED}),
    S.ACTIVE: frozenset({S.SUSPENDED, S.EXPIRED, S.TERMINATED}),
    S.SUSPENDED: frozenset({S.ACTIVE, S.EXPIRED, S.TERMINATED}),
    S.EXPIRED: frozenset(),
    S.TERMINATED: frozenset(),
}

# Versions whose text can still change (editing anything later makes a new version).
EDITABLE_STATUSES = frozenset({S.DRAFT, S.CHANGES_REQUESTED})
# Versions that have been agreed by every party (and so may appear in the public register).
AGREED_STATUSES = frozenset({S.APPROVED, S.ACTIVE, S.SUSPENDED, S.EXPIRED, S.TERMINATED})


class DataSharingAgreement(TimeStampedModel):
    """One version of a data sharing agreement between two or more organisations."""

    reference = models.CharField(max_length=40, db_index=True)
    version = models.PositiveIntegerField(default=1)
    title = models.CharField(max_length=200)
    status = models.CharField(
        max_length=20, choices=AgreementStatus.choices, default=S.DRAFT, db_index=True
    )
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    review_date = models.DateField(null=True, blank=True)
    supersedes = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    lead_organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="led_agreements",
        help_text="The organisation drafting the agreement; it submits it for approval.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    template = models.CharField(max_length=50, blank=True, help_text="Drafted from this template.")
    text_hash = models.CharField(
        max_length=64, blank=True, help_text="SHA-256 of the canonical text submitted for approval."
    )
    in_register = models.BooleanField(default=True, db_index=True)
    public_summary = models.TextField(blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    activated_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    status_reason = models.TextField(
        blank=True, help_text="Why it was last suspended, terminated or sent back."
    )
    # Last, so that on SQLite a query reading the other columns never walks the document's
    # overflow pages.
    document = models.JSONField(default=dict, help_text="Every section, as the JSON Schema says.")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["reference", "version"], name="sharing_agreement_reference_version"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "start_date", "end_date"]),
            # Covers the register's scan of agreed, published versions without reading the rows
            # (and their documents); "is there a newer agreed version" then seeks the unique
            # (reference, version) index.
            models.Index(
                fields=["status", "in_register", "reference", "version", "start_date"],
                name="sharing_agreement_register",
            ),
        ]
        ordering = ["reference", "-version"]

    def __str__(self) -> str:
        return f"{self.reference} v{self.version}: {self.title}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def is_agreed(self) -> bool:
        return self.status in AGREED_STATUSES
