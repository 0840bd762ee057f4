"""The world the authorisation test runs in: two organisations, people in every role, staff,
and one of each private object (a token, a membership, an invitation) to point routes at."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth.tokens import default_token_generator
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from interborough.accounts import services
from interborough.accounts.models import ApiToken, Invitation, Membership, Organisation, User
from interborough.core.models import AuditVerification, VerificationStatus
from interborough.pipeline.models import (
    ContractRecord,
    ContributionRequest,
    ImportKind,
    ImportRun,
    ImportStatus,
    Project,
    ProjectStatus,
    Subscription,
    Theme,
)
from tests.factories.accounts import MembershipFactory, OrganisationFactory, UserFactory
from tests.factories.pipeline import (
    ContractRecordFactory,
    ContributionRequestFactory,
    ProjectFactory,
)


@dataclass
class PipelineWorld:
    """Pipeline objects: everything org-scoped belongs to `organisation` (Camden)."""

    project: Project  # published, not public
    draft: Project  # never published
    other_draft: Project  # a draft of the other organisation: nobody here but them sees it
    contribution: ContributionRequest  # pending, asked by the other organisation's member
    contract: ContractRecord  # its value is internal
    import_run: ImportRun  # a validated projects import, made by Camden's publisher
    subscription: Subscription  # the plain member's theme subscription


@dataclass
class World:
    ROLES = ("member", "publisher", "ig_lead", "org_admin")

    organisation: Organisation  # "the" organisation: every org-scoped route points at it
    other_organisation: Organisation
    people: dict[str, User]  # by role in `organisation`
    other_member: User
    other_admin: User
    staff: User
    invitee: User  # has an account, no membership; `invitation` is addressed to them
    membership: Membership  # the plain member's membership of `organisation`
    token: ApiToken  # owned by the plain member
    invitation: Invitation
    invitation_secret: str
    verification: AuditVerification  # a finished audit chain check, requested by staff
    pipeline: "PipelineWorld"
    _api_secrets: dict[tuple[int, str], str] = field(default_factory=dict)

    @property
    def member(self) -> User:
        return self.people["member"]

    @property
    def org_admin(self) -> User:
        return self.people["org_admin"]

    def holder(self, role: str) -> User:
        return self.people[role]

    def password_reset_kwargs(self) -> dict[str, str]:
        return {
            "uidb64": urlsafe_base64_encode(force_bytes(self.member.pk)),
            "token": default_token_generator.make_token(self.member),
        }

    def api_secret(self, user: User, scope: str = "write") -> str:
        """A bearer token of `user` (made on first use)."""
        key = (user.pk, scope)
        if key not in self._api_secrets:
            _token, issued = services.api_token_create(
                by=user,
                name=f"authorisation test ({scope})",
                scope=scope,
                expires_at=timezone.now() + timedelta(days=1),
            )
            self._api_secrets[key] = issued.secret
        return self._api_secrets[key]


def build_world() -> World:
    organisation = OrganisationFactory(name="London Borough of Camden", slug="camden")
    other = OrganisationFactory(name="London Borough of Hackney", slug="hackney")
    people = {
        role: MembershipFactory(
            organisation=organisation, role=role, user__full_name=f"Camden {role}"
        ).user
        for role in World.ROLES
    }
    other_member = MembershipFactory(organisation=other, role="member").user
    other_admin = MembershipFactory(organisation=other, role="org_admin").user
    invitee = UserFactory(email="invitee@example.london")
    token, _issued = services.api_token_create(
        by=people["member"],
        name="The member's own token",
        scope="read",
        expires_at=timezone.now() + timedelta(days=30),
    )
    invitation, secret = services.invitation_create(
        by=people["org_admin"], organisation=organisation, email=invitee.email, role="member"
    )
    staff = UserFactory(is_staff=True, full_name="Platform Staff")
    verification = AuditVerification.objects.create(
        requested_by=staff, total=0, status=VerificationStatus.PASSED
    )
    return World(
        pipeline=_pipeline_world(organisation, other, people, other_member),
        organisation=organisation,
        other_organisation=other,
        people=people,
        other_member=other_member,
        other_admin=other_admin,
        staff=staff,
        invitee=invitee,
        membership=Membership.objects.get(user=people["member"], organisation=organisation),
        token=token,
        invitation=invitation,
        invitation_secret=secret.secret,
        verification=verification,
    )


def _pipeline_world(
    organisation: Organisation, other: Organisation, people: dict[str, User], other_member: User
) -> PipelineWorld:
    project = ProjectFactory(
        organisation=organisation,
        title="Repairs reporting for council tenants",
        status=ProjectStatus.PUBLISHED,
        collaboration_wanted=True,
        collaboration_kind="Share user research",
        market_engagement_wanted=True,
        market_need="A repairs booking product",
    )
    return PipelineWorld(
        project=project,
        draft=ProjectFactory(organisation=organisation, title="Camden draft"),
        other_draft=ProjectFactory(organisation=other, title="Hackney draft"),
        contribution=ContributionRequestFactory(project=project, user=other_member),
        contract=ContractRecordFactory(organisation=organisation, value_is_internal=True),
        import_run=ImportRun.objects.create(
            kind=ImportKind.PROJECTS,
            organisation=organisation,
            created_by=people["publisher"],
            filename="projects.csv",
            checksum="0" * 64,
            status=ImportStatus.VALIDATED,
            rows_total=0,
        ),
        subscription=Subscription.objects.create(
            user=people["member"], theme=Theme.objects.get(slug="housing")
        ),
    )
