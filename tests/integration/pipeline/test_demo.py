"""The pipeline's demo content, checked on one shared demo load."""

from collections import Counter

import pytest

from interborough.accounts import reference
from interborough.accounts.models import User
from interborough.pipeline.models import ContractRecord, Phase, Project, ProjectStatus
from interborough.pipeline.selectors.search import project_similar

pytestmark = pytest.mark.django_db


class TestPipelineDemo:
    def test_about_300_projects_across_every_borough_and_phase(self, quiet_report):
        owners = Counter(Project.objects.values_list("organisation__gss_code", flat=True))

        assert 250 <= Project.objects.count() <= 350
        assert all(owners[b.gss_code] >= 5 for b in reference.LOCAL_AUTHORITIES)
        assert set(Project.objects.values_list("phase", flat=True)) == set(Phase.values)
        assert set(Project.objects.values_list("status", flat=True)) == set(ProjectStatus.values)
        assert any(p.is_stale for p in Project.objects.all())
        assert "Pipeline:" in "\n".join(quiet_report.notes)

    def test_some_projects_are_alike_across_boroughs(self, quiet_report):
        viewer = User.objects.filter(memberships__isnull=False).first()
        project = Project.objects.filter(
            status=ProjectStatus.PUBLISHED, title__icontains="damp"
        ).first()

        similar = project_similar(viewer=viewer, project=project, limit=3)

        assert similar and similar[0].score >= 0.5
        assert all(s.project.organisation_id != project.organisation_id for s in similar)

    def test_market_needs_and_contract_records(self, quiet_report):
        needs = Project.objects.filter(
            status=ProjectStatus.PUBLISHED, market_engagement_wanted=True
        )
        assert needs.count() >= 5
        assert all(n.market_need and n.market_need_by for n in needs)
        products = Counter(ContractRecord.objects.values_list("product", flat=True))
        assert ContractRecord.objects.count() >= 100
        assert max(products.values()) >= 5  # shared systems, so boroughs can procure jointly
