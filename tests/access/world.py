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
from interborough.catalogue.models import (
    AccessDuration,
    AccessLevel,
    AccessRequest,
    Dataset,
    DatasetStatus,
    Resource,
)
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
from interborough.sharing.document import text_hash
from interborough.sharing.models import AgreementStatus, DataSharingAgreement
from tests.factories.accounts import MembershipFactory, OrganisationFactory, UserFactory
from tests.factories.catalogue import DatasetFactory, ready_resource
from tests.factories.pipeline import (
    ContractRecordFactory,
    ContributionRequestFactory,
    ProjectFactory,
)
from tests.factories.sharing import agreement_row


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
class CatalogueWorld:
    """Data store objects, all published by `organisation` (Camden) unless named otherwise."""

    dataset: Dataset  # published, open, with `resource` (one ready version)
    resource: Resource
    restricted: Dataset  # published, restricted, with `restricted_resource`; nobody has a grant
    restricted_resource: Resource
    draft: Dataset  # never published
    other_draft: Dataset  # a draft of the other organisation
    access_request: AccessRequest  # pending, asked by the other organisation's member


@dataclass
class SharingWorld:
    """Agreements between `organisation` (Camden, which leads each one it is party to) and
    `other_organisation` (Hackney) unless named otherwise. None covers a catalogue dataset, so
    none lets anyone read the catalogue's restricted data."""

    third_organisation: Organisation  # Islington: nobody in the world belongs to it
    active: DataSharingAgreement  # agreed, active, in the public register
    draft: DataSharingAgreement  # a draft (complete), Camden + Hackney
    submitted: DataSharingAgreement  # submitted for approval, its text hash set; nobody approved
    suspended: DataSharingAgreement  # agreed, suspended (still in the public register)
    private_draft: DataSharingAgreement  # a draft of Camden + Islington: Hackney's people get 404
    other_draft: DataSharingAgreement  # a draft of Hackney + Islington: Camden's people get 404


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
    catalogue: "CatalogueWorld"
    sharing: "SharingWorld"
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
        catalogue=_catalogue_world(organisation, other, people, other_member),
        sharing=_sharing_world(organisation, other, people),
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


def _catalogue_world(
    organisation: Organisation, other: Organisation, people: dict[str, User], other_member: User
) -> CatalogueWorld:
    publisher = people["publisher"]
    dataset = DatasetFactory(
        publisher=organisation, title="Camden street trees", status=DatasetStatus.PUBLISHED
    )
    restricted = DatasetFactory(
        publisher=organisation,
        title="Camden temporary accommodation placements",
        status=DatasetStatus.PUBLISHED,
        access_level=AccessLevel.RESTRICTED,
    )
    return CatalogueWorld(
        dataset=dataset,
        resource=ready_resource(by=publisher, dataset=dataset),
        restricted=restricted,
        restricted_resource=ready_resource(by=publisher, dataset=restricted),
        draft=DatasetFactory(publisher=organisation, title="Camden draft data"),
        other_draft=DatasetFactory(publisher=other, title="Hackney draft data"),
        access_request=AccessRequest.objects.create(
            dataset=restricted,
            requester=other_member,
            purpose="Plan joint outreach with Camden.",
            duration_days=AccessDuration.THREE_MONTHS,
        ),
    )


def _sharing_world(
    organisation: Organisation, other: Organisation, people: dict[str, User]
) -> SharingWorld:
    third = OrganisationFactory(name="London Borough of Islington", slug="islington")
    drafter = people["publisher"]

    def row(reference: str, status: str, parties: list[Organisation]) -> DataSharingAgreement:
        return agreement_row(parties, status=status, reference=reference, by=drafter)

    submitted = row("DSA-2026-0903", AgreementStatus.SUBMITTED, [organisation, other])
    submitted.text_hash = text_hash(submitted.document)
    submitted.submitted_at = timezone.now()
    submitted.save(update_fields=["text_hash", "submitted_at"])
    return SharingWorld(
        third_organisation=third,
        active=row("DSA-2026-0901", AgreementStatus.ACTIVE, [organisation, other]),
        draft=row("DSA-2026-0902", AgreementStatus.DRAFT, [organisation, other]),
        submitted=submitted,
        suspended=row("DSA-2026-0904", AgreementStatus.SUSPENDED, [organisation, other]),
        private_draft=row("DSA-2026-0905", AgreementStatus.DRAFT, [organisation, third]),
        other_draft=row("DSA-2026-0906", AgreementStatus.DRAFT, [other, third]),
    )
