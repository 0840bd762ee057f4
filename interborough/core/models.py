from typing import Any

from django.conf import settings
from django.db import models


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """One append-only, hash-chained record of a write made through a service."""

    sequence = models.PositiveBigIntegerField(unique=True)
    occurred_at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=254, help_text="Email or system name at the time.")
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=100, db_index=True)
    object_type = models.CharField(max_length=100, blank=True, db_index=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=255, blank=True)
    changes = models.JSONField(default=dict, blank=True, help_text="Before/after summary.")
    request_id = models.CharField(max_length=64, blank=True, db_index=True)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-sequence"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action} {self.object_repr}"

    def chain_content(self) -> dict[str, Any]:
        """The fields the hash covers."""
        return {
            "sequence": self.sequence,
            "occurred_at": self.occurred_at.isoformat(),
            "actor_id": self.actor_id,
            "actor_label": self.actor_label,
            "organisation_id": self.organisation_id,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "object_repr": self.object_repr,
            "changes": self.changes,
            "request_id": self.request_id,
        }


class AuditChainHead(models.Model):
    """Single row holding the chain's tip; locked by each append so the chain never forks."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    sequence = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="audit_chain_head_singleton")
        ]

    def __str__(self) -> str:
        return f"Audit chain head at #{self.sequence}"


class VerificationStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    PASSED = "passed", "Chain intact"
    FAILED = "failed", "Chain broken"


# The workflow of a verification: the map is the documentation and the test table.
VERIFICATION_TRANSITIONS: dict[str, frozenset[str]] = {
    VerificationStatus.QUEUED: frozenset({VerificationStatus.RUNNING}),
    VerificationStatus.RUNNING: frozenset({VerificationStatus.PASSED, VerificationStatus.FAILED}),
    VerificationStatus.PASSED: frozenset(),
    VerificationStatus.FAILED: frozenset(),
}


class AuditVerification(TimeStampedModel):
    """One background check of the whole audit chain, requested by platform staff."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=VerificationStatus.choices, default=VerificationStatus.QUEUED
    )
    total = models.PositiveBigIntegerField(help_text="Events in the chain when it was requested.")
    checked = models.PositiveBigIntegerField(default=0)
    broken_at = models.PositiveBigIntegerField(null=True, blank=True)
    reason = models.CharField(max_length=200, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Audit verification #{self.pk} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return not VERIFICATION_TRANSITIONS[self.status]

    @property
    def percent(self) -> int:
        return 100 if self.total == 0 else min(100, int(self.checked * 100 / self.total))
