"""People and projects: watching, asking to contribute, and subscribing to themes or tags."""

from django.conf import settings
from django.db import models

from interborough.core.models import TimeStampedModel
from interborough.pipeline.models.projects import Project, Tag, Theme


class Watch(models.Model):
    """A person follows a project and gets a digest of its status updates."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="project_watches"
    )
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="watches")
    created_at = models.DateTimeField(auto_now_add=True)
    digest_sent_at = models.DateTimeField(
        null=True, blank=True, help_text="Updates after this go in the next digest."
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "project"], name="watch_once")]

    def __str__(self) -> str:
        return f"{self.user} watches {self.project}"


class ContributionStatus(models.TextChoices):
    PENDING = "pending", "Waiting for a decision"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


CONTRIBUTION_TRANSITIONS: dict[str, frozenset[str]] = {
    ContributionStatus.PENDING: frozenset(
        {ContributionStatus.APPROVED, ContributionStatus.DECLINED, ContributionStatus.WITHDRAWN}
    ),
    ContributionStatus.APPROVED: frozenset({ContributionStatus.WITHDRAWN}),
    ContributionStatus.DECLINED: frozenset(),
    ContributionStatus.WITHDRAWN: frozenset(),
}


class ContributionRequest(TimeStampedModel):
    """Someone asks to contribute to a project; a publisher of the owner decides."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="contributions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contributions"
    )
    message = models.TextField(help_text="What they offer or want to learn.")
    status = models.CharField(
        max_length=20, choices=ContributionStatus.choices, default=ContributionStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # One open (pending or approved) request per person and project.
            models.UniqueConstraint(
                fields=["project", "user"],
                condition=models.Q(status__in=["pending", "approved"]),
                name="contribution_open_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.project} ({self.get_status_display()})"


class Subscription(models.Model):
    """A person is told when a project with this theme or tag is published."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="project_subscriptions"
    )
    theme = models.ForeignKey(Theme, null=True, blank=True, on_delete=models.CASCADE)
    tag = models.ForeignKey(Tag, null=True, blank=True, on_delete=models.CASCADE)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(theme__isnull=True, tag__isnull=False)
                | models.Q(theme__isnull=False, tag__isnull=True),
                name="subscription_theme_xor_tag",
            ),
            models.UniqueConstraint(
                fields=["user", "theme"],
                condition=models.Q(theme__isnull=False),
                name="subscription_theme_once",
            ),
            models.UniqueConstraint(
                fields=["user", "tag"],
                condition=models.Q(tag__isnull=False),
                name="subscription_tag_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} follows {self.theme or self.tag}"
