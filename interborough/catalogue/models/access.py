"""Restricted data: a person asks for access with a purpose and a duration; the publisher's
information governance lead approves or refuses; an approval becomes a grant that expires."""

from django.conf import settings
from django.db import models

from interborough.catalogue.models.datasets import Dataset
from interborough.core.models import TimeStampedModel


class AccessRequestStatus(models.TextChoices):
    PENDING = "pending", "Waiting for a decision"
    APPROVED = "approved", "Approved"
    REFUSED = "refused", "Refused"
    WITHDRAWN = "withdrawn", "Withdrawn by the requester"


ACCESS_REQUEST_TRANSITIONS: dict[str, frozenset[str]] = {
    AccessRequestStatus.PENDING: frozenset(
        {AccessRequestStatus.APPROVED, AccessRequestStatus.REFUSED, AccessRequestStatus.WITHDRAWN}
    ),
    AccessRequestStatus.APPROVED: frozenset(),
    AccessRequestStatus.REFUSED: frozenset(),
    AccessRequestStatus.WITHDRAWN: frozenset(),
}


class AccessDuration(models.IntegerChoices):
    """How long the requester says they need the data (days)."""

    ONE_MONTH = 30, "1 month"
    THREE_MONTHS = 90, "3 months"
    SIX_MONTHS = 182, "6 months"
    ONE_YEAR = 365, "1 year"


class AccessRequest(TimeStampedModel):
    """One person's request to read a restricted dataset's data."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="access_requests")
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_access_requests"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The organisation the requester asks on behalf of, if any.",
    )
    purpose = models.TextField(help_text="What the data is for, in the requester's words.")
    duration_days = models.PositiveSmallIntegerField(choices=AccessDuration.choices)
    status = models.CharField(
        max_length=20,
        choices=AccessRequestStatus.choices,
        default=AccessRequestStatus.PENDING,
        db_index=True,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True, help_text="Why it was approved or refused.")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["dataset", "requester"],
                condition=models.Q(status="pending"),
                name="one_pending_access_request",
            )
        ]

    def __str__(self) -> str:
        return f"{self.requester} asks for {self.dataset}"


class AccessGrant(models.Model):
    """Permission for one person to read one restricted dataset until it expires or is revoked."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="access_grants")
    grantee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_access_grants"
    )
    request = models.OneToOneField(
        AccessRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="grant"
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    starts_at = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["dataset", "grantee", "expires_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("starts_at")),
                name="grant_expires_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.grantee} may read {self.dataset} until {self.expires_at:%Y-%m-%d}"
