"""The sharing demo: a dozen agreements in every state, walked through the services, checked on
one shared load (reference organisations, the accounts demo and the data store datasets the
agreements cover)."""

from collections import Counter
from datetime import timedelta
from unittest import mock

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from interborough.accounts import demo as accounts_demo
from interborough.accounts.models import Membership, Role
from interborough.accounts.services import organisations_load_reference
from interborough.catalogue import demo as catalogue_demo
from interborough.catalogue.models import Dataset
from interborough.core.demo import DemoReport
from interborough.core.models import AuditEvent
from interborough.sharing import demo as sharing_demo
from interborough.sharing import policy
from interborough.sharing.document import document_problems
from interborough.sharing.models import (
    AgreementApproval,
    AgreementDataset,
    AgreementParty,
    AgreementStatus,
    ApprovalDecision,
    AuditHeadPublication,
    DataSharingAgreement,
)

pytestmark = pytest.mark.django_db

# The data store datasets the agreements cover, and those the data store's own demo needs.
CATALOGUE_TITLES = {
    sharing_demo.HCLIC.title,
    sharing_demo.ARREARS.title,
    *(title for title, *_ in catalogue_demo.ACCESS_REQUESTS),
}


@pytest.fixture(scope="class")
def demo_report(django_db_setup, django_db_blocker, tmp_path_factory):
    """One load for the class, rolled back after it."""
    specs = [s for s in catalogue_demo.DEMO_DATASETS if s.title in CATALOGUE_TITLES]
    with (
        django_db_blocker.unblock(),
        override_settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            MEDIA_ROOT=tmp_path_factory.mktemp("sharing-demo-media"),
        ),
        mock.patch.object(catalogue_demo, "DEMO_DATASETS", specs),
    ):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            organisations_load_reference(by=None)
            report = DemoReport()
            accounts_demo.load(report)
            catalogue_demo.load(report)
            sharing_demo.load(report)
            yield report
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def member_of(slug: str):
    return (
        Membership.objects.filter(organisation__slug=slug, role=Role.MEMBER)
        .select_related("user")
        .order_by("pk")
        .first()
        .user
    )


def agreement_titled(title: str, **filters) -> DataSharingAgreement:
    return DataSharingAgreement.objects.filter(title=title, **filters).order_by("-version").first()


def counts() -> dict[str, int]:
    return {
        "agreements": DataSharingAgreement.objects.count(),
        "parties": AgreementParty.objects.count(),
        "approvals": AgreementApproval.objects.count(),
        "coverage": AgreementDataset.objects.count(),
        "audit heads": AuditHeadPublication.objects.count(),
    }


class TestSharingDemo:
    def test_every_status_appears(self, demo_report):
        statuses = Counter(DataSharingAgreement.objects.values_list("status", flat=True))

        assert set(statuses) == set(AgreementStatus.values)
        assert len(sharing_demo.DEMO_AGREEMENTS) >= 12
        assert DataSharingAgreement.objects.values("reference").distinct().count() == len(
            sharing_demo.DEMO_AGREEMENTS
        )

    def test_every_agreement_comes_from_a_template_between_real_organisations(self, demo_report):
        for agreement in DataSharingAgreement.objects.prefetch_related("parties__organisation"):
            slugs = {p.organisation.slug for p in agreement.parties.all()}
            assert agreement.template in {
                "homelessness-ta",
                "fsm-auto-enrolment",
                "cost-of-living",
                "adult-social-care",
            }
            assert len(slugs) >= 2, agreement
            assert agreement.lead_organisation.slug in slugs

    def test_homelessness_agreement_is_active_and_first(self, demo_report):
        agreement = sharing_demo.homelessness_agreement()

        assert agreement is not None
        assert agreement.reference == f"DSA-{timezone.localdate().year}-0001"
        assert agreement.status == AgreementStatus.ACTIVE
        assert agreement.template == "homelessness-ta"
        assert agreement.start_date <= timezone.localdate() < agreement.end_date
        assert agreement.parties.count() >= 5
        assert {c.key for c in agreement.coverage.all()} >= {"ta-placements"}

    def test_homelessness_agreement_covers_the_restricted_hclic_fields_in_the_clear(
        self, demo_report
    ):
        agreement = sharing_demo.homelessness_agreement()
        coverage = agreement.coverage.select_related("dataset").get(key="hclic-case-outcomes")

        assert coverage.dataset.title == sharing_demo.HCLIC.title
        assert coverage.dataset.access_level == "restricted"
        assert set(coverage.fields) == {
            "case_reference",
            "borough_code",
            "opened",
            "outcome",
            "household_size",
            "priority_need",
        }
        assert set(coverage.fields.values()) == {"clear"}
        assert "read" in agreement.document["processing"]["permitted_operations"]

    def test_policy_allows_a_party_member_to_read_the_covered_dataset(self, demo_report):
        dataset = Dataset.objects.get(title=sharing_demo.HCLIC.title)

        decision = policy.decide(actor=member_of("hackney"), action="read", dataset=dataset)

        assert decision.allowed, decision.reason
        assert decision.agreement == sharing_demo.homelessness_agreement()
        assert policy.catalogue_read_allowed(member_of("redbridge"), dataset, timezone.now())

    def test_policy_denies_a_non_party_member(self, demo_report):
        dataset = Dataset.objects.get(title=sharing_demo.HCLIC.title)

        decision = policy.decide(actor=member_of("camden"), action="read", dataset=dataset)

        assert not decision.allowed
        assert decision.code == "not_a_party"
        assert not policy.catalogue_read_allowed(member_of("camden"), dataset, timezone.now())

    def test_sutton_reads_croydons_arrears_through_the_second_version(self, demo_report):
        dataset = Dataset.objects.get(title=sharing_demo.ARREARS.title)

        allowed = policy.decide(actor=member_of("sutton"), action="read", dataset=dataset)
        refused = policy.decide(actor=member_of("tower-hamlets"), action="read", dataset=dataset)

        assert allowed.allowed and allowed.agreement.version == 2
        assert not refused.allowed

    def test_one_agreement_has_two_versions_the_first_superseded(self, demo_report):
        title = "Cost-of-living support targeting in Croydon and Sutton"
        first, second = DataSharingAgreement.objects.filter(title=title).order_by("version")

        assert first.status == AgreementStatus.TERMINATED
        assert first.status_reason == "Superseded by version 2"
        assert second.status == AgreementStatus.ACTIVE
        assert second.supersedes == first and second.reference == first.reference
        assert second.end_date == first.end_date + timedelta(days=365)

    def test_agreed_versions_were_approved_by_every_party_on_their_exact_text(self, demo_report):
        agreed = DataSharingAgreement.objects.filter(
            status__in=["approved", "active", "suspended", "expired", "terminated"]
        )
        assert agreed.count() >= 7
        for agreement in agreed:
            approvals = agreement.approvals.filter(decision=ApprovalDecision.APPROVED)
            parties = set(agreement.parties.values_list("organisation_id", flat=True))
            assert set(approvals.values_list("organisation_id", flat=True)) == parties
            assert set(approvals.values_list("text_hash", flat=True)) == {agreement.text_hash}
            assert document_problems(agreement.document) == [], agreement

    def test_waiting_and_sent_back_versions_have_their_decisions(self, demo_report):
        waiting = agreement_titled("Hospital discharge and adult social care in Tower Hamlets")
        sent_back = agreement_titled("South London temporary accommodation placements")

        assert waiting.status == AgreementStatus.SUBMITTED
        assert list(waiting.approvals.values_list("organisation__slug", flat=True)) == [
            "tower-hamlets"
        ]
        assert sent_back.status == AgreementStatus.CHANGES_REQUESTED
        request = sent_back.approvals.get(decision=ApprovalDecision.CHANGES_REQUESTED)
        assert request.organisation.slug == "lewisham" and "12 months" in request.comment

    def test_dates_make_each_state_true_today(self, demo_report):
        today = timezone.localdate()
        by_status = {a.status: a for a in DataSharingAgreement.objects.all()}

        assert by_status["approved"].start_date > today
        assert by_status["expired"].end_date <= today
        assert by_status["suspended"].start_date <= today < by_status["suspended"].end_date
        assert by_status["suspended"].status_reason

    def test_the_audit_trail_tells_the_story(self, demo_report):
        actions = set(
            AuditEvent.objects.filter(action__startswith="agreement.").values_list(
                "action", flat=True
            )
        )

        assert {
            "agreement.create",
            "agreement.section_update",
            "agreement.submit",
            "agreement.approve",
            "agreement.request_changes",
            "agreement.suspend",
            "agreement.terminate",
            "agreement.new_version",
            "agreement.expire",
        } <= actions

    def test_audit_head_published_for_today_only(self, demo_report):
        heads = list(AuditHeadPublication.objects.values_list("day", "sequence"))

        assert [day for day, _ in heads] == [timezone.localdate()]
        assert heads[0][1] > 0

    def test_report_names_the_homelessness_agreement(self, demo_report):
        note = next(n for n in demo_report.notes if n.startswith("Agreements:"))

        assert sharing_demo.homelessness_agreement().reference in note
        assert "H-CLIC" in note

    def test_loading_twice_changes_nothing(self, demo_report):
        before = counts()
        report = DemoReport()

        sharing_demo.load(report)

        assert counts() == before
        assert report.notes == ["Agreements: demo agreements were already loaded."]
