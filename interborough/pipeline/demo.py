"""Pipeline demo content: about 300 projects across London in every phase (many deliberately
alike across boroughs), their status updates, a few market needs, watchers, contribution
requests, and contract records for common council systems.

Everything is written through the pipeline's services, so the audit trail is complete. Dates
of activity are then spread over the past year (history, not a change to any record), so some
projects show as stale.
"""

import random
from datetime import date, timedelta

from django.utils import timezone

from interborough.accounts.models import Membership, Organisation, OrganisationType, Role, User
from interborough.core.demo import DemoReport
from interborough.pipeline.demo_content import ARCHETYPES, CONTRACT_SYSTEMS, Archetype
from interborough.pipeline.models import (
    BudgetBand,
    ContractRecord,
    FundingSource,
    Phase,
    Project,
    ProjectStatus,
    ValueBand,
)
from interborough.pipeline.services import people
from interborough.pipeline.services.contracts import ContractInput, ContractLookups, contract_create
from interborough.pipeline.services.project_input import ProjectInput, ProjectLookups
from interborough.pipeline.services.projects import (
    project_archive,
    project_create,
    project_publish,
    status_update_add,
)

PROJECTS_PER_LOCAL_AUTHORITY = 9
PARTNER_PROJECTS = 3
UPDATES = (
    "Discovery interviews finished with {n} residents; the main pain point is waiting for news.",
    "Procurement options paper went to the digital board; a decision is due next month.",
    "Prototype tested with {n} users; the eligibility questions need simpler wording.",
    "Data protection impact assessment signed off by the information governance lead.",
    "Went live for a first group of {n} households; feedback so far is positive.",
    "Paused while we wait for the budget decision in the medium-term financial plan.",
)
PHASES = list(Phase.values)


def _caretakers() -> dict[int, User]:
    """One publisher (or admin) per organisation to act for it."""
    carers: dict[int, User] = {}
    for m in Membership.objects.filter(role__in=[Role.PUBLISHER, Role.ORG_ADMIN]).order_by(
        "role", "pk"
    ):
        carers.setdefault(m.organisation_id, m.user)
    return carers


def _place(organisation: Organisation) -> str:
    return organisation.short_name or organisation.name


def _project_input(
    arch: Archetype,
    organisation: Organisation,
    contact: User,
    rng: random.Random,
    partners: list[str],
) -> ProjectInput:
    title = rng.choice(arch.titles)
    if rng.random() < 0.3:
        title = f"{title} in {_place(organisation)}"
    start = date.today() - timedelta(days=rng.randint(30, 900))
    market = bool(arch.market_need) and rng.random() < 0.25
    collaborate = rng.random() < 0.4
    return ProjectInput(
        title=title,
        summary=arch.summary,
        problem=arch.problem,
        user_needs=arch.user_needs,
        outcomes=arch.outcomes,
        contact_email=contact.email,
        department=rng.choice(["Digital services", "Housing", "Resident services", "Strategy"]),
        phase=rng.choice(PHASES),
        themes=list(arch.themes),
        tags=rng.sample(list(arch.tags), k=min(len(arch.tags), rng.randint(2, 4))),
        partners=partners,
        start_date=start,
        end_date=start + timedelta(days=rng.randint(120, 900)),
        budget_band=rng.choice(list(BudgetBand.values)),
        funding_source=rng.choice(list(FundingSource.values)),
        collaboration_wanted=collaborate,
        collaboration_kind=(
            rng.choice(
                [
                    "Share user research and service patterns",
                    "Procure jointly",
                    "Share code and run it together",
                ]
            )
            if collaborate
            else ""
        ),
        market_engagement_wanted=market,
        market_need=arch.market_need if market else "",
        market_need_by=date.today() + timedelta(days=rng.randint(20, 300)) if market else None,
        technology=arch.technology,
        is_public=rng.random() < 0.6,
    )


def _load_projects(rng: random.Random, carers: dict[int, User]) -> list[Project]:
    authorities = list(
        Organisation.objects.filter(type=OrganisationType.LOCAL_AUTHORITY, is_active=True)
    )
    partners = list(Organisation.objects.filter(type=OrganisationType.PUBLIC_BODY)[:6])
    owners = [o for o in authorities for _ in range(PROJECTS_PER_LOCAL_AUTHORITY)]
    owners += [o for o in partners for _ in range(PARTNER_PROJECTS)]
    lookups: dict[int, ProjectLookups] = {}
    projects = []
    for index, organisation in enumerate(owners):
        by = carers.get(organisation.pk)
        if by is None:
            continue
        arch = ARCHETYPES[(index * 7 + rng.randint(0, 3)) % len(ARCHETYPES)]
        partner_slugs = (
            [rng.choice([a for a in authorities if a.pk != organisation.pk]).slug]
            if rng.random() < 0.2
            else []
        )
        if organisation.pk not in lookups:
            lookups[organisation.pk] = ProjectLookups.load(organisation=organisation)
        project = project_create(
            by=by,
            organisation=organisation,
            data=_project_input(arch, organisation, by, rng, partner_slugs),
            lookups=lookups[organisation.pk],
        )
        roll = rng.random()
        if roll < 0.88:
            project_publish(by=by, project=project, notify=False)
        if roll > 0.95:
            project_archive(by=by, project=project)
        for _ in range(rng.randint(0, 2)):
            if project.status != ProjectStatus.ARCHIVED:
                text = rng.choice(UPDATES).format(n=rng.randint(6, 400))
                status_update_add(by=by, project=project, text=text)
        projects.append(project)
    return projects


def _spread_history(projects: list[Project], rng: random.Random) -> None:
    """Activity spread over the past year; about one in ten projects is stale."""
    now = timezone.now()
    for project in projects:
        days = rng.randint(95, 300) if rng.random() < 0.1 else rng.randint(0, 80)
        Project.objects.filter(pk=project.pk).update(last_activity_at=now - timedelta(days=days))


def _load_people(projects: list[Project], rng: random.Random, carers: dict[int, User]) -> None:
    """Watchers and contribution requests from other boroughs."""
    published = [p for p in projects if p.status == ProjectStatus.PUBLISHED]
    for project in rng.sample(published, k=min(25, len(published))):
        others = [u for org, u in carers.items() if org != project.organisation_id]
        person = rng.choice(others)
        people.project_watch(by=person, project=project)
        if project.collaboration_wanted and rng.random() < 0.6:
            people.contribution_request_create(
                by=person,
                project=project,
                message="We are working on the same problem and can share our discovery findings.",
            )


def _load_contracts(rng: random.Random, carers: dict[int, User]) -> int:
    lookups = ContractLookups.load()
    suppliers = {o.name: o.slug for o in lookups.suppliers.values()}
    count = 0
    authorities = Organisation.objects.filter(type=OrganisationType.LOCAL_AUTHORITY)
    for organisation in authorities:
        by = carers.get(organisation.pk)
        if by is None:
            continue
        for product, supplier_name, category in rng.sample(CONTRACT_SYSTEMS, k=6):
            start = date.today() - timedelta(days=rng.randint(200, 2500))
            end = date.today() + timedelta(days=rng.randint(-30, 1500))
            contract_create(
                by=by,
                organisation=organisation,
                lookups=lookups,
                data=ContractInput(
                    product=product,
                    category=category,
                    supplier_name=supplier_name,
                    supplier=suppliers.get(supplier_name, ""),
                    contract_start=start,
                    contract_end=max(end, start + timedelta(days=365)),
                    annual_value_band=rng.choice(list(ValueBand.values)),
                    value_is_internal=rng.random() < 0.3,
                    reprocurement_planned=rng.random() < 0.5,
                ),
            )
            count += 1
    return count


def load(report: DemoReport) -> None:
    """Projects, market needs and contract records (once: skipped when projects exist)."""
    if Project.objects.exists() or ContractRecord.objects.exists():
        report.notes.append("Pipeline: demo projects were already loaded.")
        return
    rng = random.Random(2026)  # noqa: S311 - demo content, not security
    carers = _caretakers()
    projects = _load_projects(rng, carers)
    _spread_history(projects, rng)
    _load_people(projects, rng, carers)
    contracts = _load_contracts(rng, carers)
    report.notes.append(
        f"Pipeline: {len(projects)} projects across London (see /projects/), market needs "
        f"(/market/) and {contracts} contract records (/contracts/)."
    )
