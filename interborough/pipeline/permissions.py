"""Who may see and do what in the pipeline: one place, used by selectors, services, views, API
and the authorisation test.

- Drafts are seen only inside the owning organisation; published (and archived once-published)
  projects by every signed-in person; those marked public by anyone.
- Only publishers and organisation admins of the owner edit, publish, archive or import.
  Platform staff get no edit rights here: the record is the borough's.
- Approved contributors may add status updates.
- Contract values marked internal are seen only by the organisation's own members.
"""

from django.db.models import Q

from interborough.accounts.models import Membership, Organisation, Role, User
from interborough.accounts.permissions import (
    Capability,
    acting_organisation_id,
    has_capability,
    role_of,
)
from interborough.pipeline.models import (
    ContractRecord,
    ContributionRequest,
    ContributionStatus,
    ImportKind,
    Project,
    ProjectStatus,
)

# The roles that look after an organisation's projects and contract records.
OWNER_ROLES = (Role.PUBLISHER, Role.ORG_ADMIN)


def is_signed_in(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


def member_organisation_ids(user: User) -> list[int]:
    """The organisations whose drafts the person sees (only the token's, through a token
    issued for one organisation)."""
    if not is_signed_in(user):
        return []
    memberships = Membership.objects.filter(user=user)
    acting = acting_organisation_id(user)
    if acting is not None:
        memberships = memberships.filter(organisation_id=acting)
    return list(memberships.values_list("organisation_id", flat=True))


def visible_projects_q(user: User, organisation_ids: list[int] | None = None) -> Q:
    """The projects this person may see, as a filter (selectors and the search index use it)."""
    public = Q(status=ProjectStatus.PUBLISHED, is_public=True) | Q(
        status=ProjectStatus.ARCHIVED, is_public=True, published_at__isnull=False
    )
    if not is_signed_in(user):
        return public
    if organisation_ids is None:
        organisation_ids = member_organisation_ids(user)
    return (
        Q(status=ProjectStatus.PUBLISHED)
        | Q(status=ProjectStatus.ARCHIVED, published_at__isnull=False)
        | Q(organisation_id__in=organisation_ids)
    )


def can_view_project(user: User, project: Project) -> bool:
    was_published = project.published_at is not None and project.status != ProjectStatus.DRAFT
    if was_published and project.is_public:
        return True
    if not is_signed_in(user):
        return False
    return was_published or role_of(user, project.organisation) is not None


def can_create_project(user: User, organisation: Organisation) -> bool:
    return (
        is_signed_in(user)
        and organisation.is_active
        and has_capability(user, organisation, Capability.PUBLISH)
    )


def can_edit_project(user: User, project: Project) -> bool:
    """Publishers and admins of the owning organisation."""
    return can_create_project(user, project.organisation)


def is_contributor(user: User, project: Project) -> bool:
    return (
        is_signed_in(user)
        and ContributionRequest.objects.filter(
            project=project, user=user, status=ContributionStatus.APPROVED
        ).exists()
    )


def can_post_update(user: User, project: Project) -> bool:
    return can_edit_project(user, project) or (
        project.status == ProjectStatus.PUBLISHED and is_contributor(user, project)
    )


def can_follow(user: User, project: Project) -> bool:
    """Watching a project: anyone signed in who can see it."""
    return is_signed_in(user) and can_view_project(user, project)


def can_ask_to_contribute(user: User, project: Project) -> bool:
    """People from other organisations, on published projects."""
    return (
        is_signed_in(user)
        and project.status == ProjectStatus.PUBLISHED
        and role_of(user, project.organisation) is None
    )


def can_view_contracts(user: User) -> bool:
    """The contract register is for everyone signed in: boroughs and suppliers alike."""
    return is_signed_in(user)


def can_see_contract_value(user: User, contract: ContractRecord) -> bool:
    if not contract.value_is_internal:
        return is_signed_in(user)
    return role_of(user, contract.organisation) is not None


def can_edit_contracts(user: User, organisation: Organisation) -> bool:
    return can_create_project(user, organisation)


def can_import(user: User, organisation: Organisation, kind: str) -> bool:
    """CSV imports: publishers and admins of the organisation (projects and contracts alike)."""
    if kind == ImportKind.CONTRACTS:
        return can_edit_contracts(user, organisation)
    return can_create_project(user, organisation)
