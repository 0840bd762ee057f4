"""The organisations party to an agreement version, and their information governance decisions."""

from django.conf import settings
from django.db import models


class PartyRole(models.TextChoices):
    CONTROLLER = "controller", "Controller"
    JOINT_CONTROLLER = "joint_controller", "Joint controller"
    PROCESSOR = "processor", "Processor"


class AgreementParty(models.Model):
    """An organisation party to one agreement version (copied out of the document's parties)."""

    agreement = models.ForeignKey(
        "sharing.DataSharingAgreement", on_delete=models.CASCADE, related_name="parties"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="agreement_parties"
    )
    role = models.CharField(max_length=20, choices=PartyRole.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "organisation"], name="sharing_party_once_per_agreement"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()}) in {self.agreement.reference}"


class ApprovalDecision(models.TextChoices):
    APPROVED = "approved", "Approved"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"


class AgreementApproval(models.Model):
    """One party's information governance decision on the exact text of one version."""

    agreement = models.ForeignKey(
        "sharing.DataSharingAgreement", on_delete=models.CASCADE, related_name="approvals"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="agreement_approvals"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="agreement_approvals"
    )
    decided_at = models.DateTimeField()
    decision = models.CharField(max_length=20, choices=ApprovalDecision.choices)
    text_hash = models.CharField(max_length=64, help_text="SHA-256 of the text decided on.")
    comment = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "organisation", "text_hash"],
                condition=models.Q(decision="approved"),
                name="sharing_one_approval_per_party_per_text",
            ),
        ]
        ordering = ["decided_at"]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} by {self.organisation} on {self.decided_at:%Y-%m-%d}"
