"""The contract register: the technology systems each organisation runs, and when they end."""

from django.conf import settings
from django.db import models

from interborough.core.models import TimeStampedModel


class ValueBand(models.TextChoices):
    UNKNOWN = "unknown", "Not known"
    UNDER_25K = "under_25k", "Under £25,000 a year"
    FROM_25K = "25k_100k", "£25,000 to £100,000 a year"
    FROM_100K = "100k_500k", "£100,000 to £500,000 a year"
    FROM_500K = "500k_1m", "£500,000 to £1 million a year"
    OVER_1M = "over_1m", "Over £1 million a year"


class ContractRecord(TimeStampedModel):
    """A system an organisation runs: product, supplier, when the contract ends, what it costs."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="contracts"
    )
    product = models.CharField(max_length=200, help_text="The product or system, e.g. a CRM.")
    category = models.CharField(
        max_length=100, blank=True, help_text="What it does, e.g. housing management."
    )
    supplier_name = models.CharField(max_length=200)
    supplier = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supplied_contracts",
        help_text="The supplier's organisation, when it is on the platform.",
    )
    contract_start = models.DateField(null=True, blank=True)
    contract_end = models.DateField(null=True, blank=True, db_index=True)
    annual_value_band = models.CharField(
        max_length=20, choices=ValueBand.choices, default=ValueBand.UNKNOWN
    )
    value_is_internal = models.BooleanField(
        default=False,
        help_text="Only the organisation's own members see the value (suppliers never do).",
    )
    contract_notice_url = models.URLField(
        max_length=300, blank=True, help_text="Contracts Finder or Find a Tender notice."
    )
    reprocurement_planned = models.BooleanField(
        default=False, help_text="The organisation plans to procure again when it ends."
    )
    notes = models.CharField(max_length=1000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["contract_end", "product"]
        indexes = [models.Index(fields=["product"]), models.Index(fields=["supplier_name"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(contract_end__isnull=True)
                | models.Q(contract_start__isnull=True)
                | models.Q(contract_end__gte=models.F("contract_start")),
                name="contract_dates_in_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.product} ({self.supplier_name}) at {self.organisation}"
