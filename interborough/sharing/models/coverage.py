"""What an agreement covers, copied out of its document so the policy check is one indexed query."""

from django.db import models


class AgreementDataset(models.Model):
    """One dataset in an agreement: a catalogue dataset or a described source, with its fields."""

    agreement = models.ForeignKey(
        "sharing.DataSharingAgreement", on_delete=models.CASCADE, related_name="coverage"
    )
    key = models.SlugField(max_length=60, help_text="The dataset's key inside the document.")
    dataset = models.ForeignKey(
        "catalogue.Dataset",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agreement_coverage",
    )
    provided_by = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    fields = models.JSONField(
        default=dict, help_text="Field name to its transformation (clear, keyed_hash, ...)."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "key"], name="sharing_coverage_key_once_per_agreement"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} in {self.agreement.reference}"
