"""What people do with datasets: daily usage counters for publishers, and who follows what."""

from django.conf import settings
from django.db import models

from interborough.catalogue.models.datasets import Dataset


class UsageKind(models.TextChoices):
    PAGE_VIEW = "page_view", "Page views"
    DOWNLOAD = "download", "Downloads"
    API_CALL = "api_call", "API calls"


class DatasetUsage(models.Model):
    """How often a dataset was viewed, downloaded or queried on one day (one row per kind)."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="usage")
    day = models.DateField()
    kind = models.CharField(max_length=20, choices=UsageKind.choices)
    count = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(fields=["dataset", "day", "kind"], name="usage_once_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.dataset} {self.day} {self.kind}: {self.count}"


class DatasetFollow(models.Model):
    """A person following a dataset: they are emailed when a new version lands."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="dataset_follows"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["dataset", "user"], name="follow_dataset_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} follows {self.dataset}"
