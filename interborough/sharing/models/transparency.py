"""What the platform publishes and sends about agreements: the audit trail's daily head hash,
and reminders before review and end dates."""

from django.db import models


class AuditHeadPublication(models.Model):
    """The audit trail's head on one day, published beside the register so that anyone can later
    check that the log was not rewritten."""

    day = models.DateField(unique=True)
    sequence = models.PositiveBigIntegerField()
    head_hash = models.CharField(max_length=64)
    published_at = models.DateTimeField()

    class Meta:
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"{self.day}: #{self.sequence} {self.head_hash[:12]}…"


class ReminderKind(models.TextChoices):
    REVIEW = "review", "Review date"
    END = "end", "End date"


class AgreementReminder(models.Model):
    """A reminder sent to the parties before a review or end date (sent once per date)."""

    agreement = models.ForeignKey(
        "sharing.DataSharingAgreement", on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(max_length=10, choices=ReminderKind.choices)
    due_date = models.DateField()
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "kind", "due_date"], name="sharing_reminder_once_per_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} reminder for {self.agreement.reference}"
