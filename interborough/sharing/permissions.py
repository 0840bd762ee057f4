"""Who may see and do what with data sharing agreements: one place, used by selectors, services,
views, the API and the authorisation test.

- Agreed versions in the register are public: everyone reads the whole agreed text (openness is
  the point of the register). Every other version is seen by members of its party organisations
  (and of the lead organisation) and by platform staff.
- Drafting is for people who publish data or sign agreements (publishers, organisation admins,
  information governance leads) of the lead organisation; they edit and submit its drafts.
- Approving or sending back a submitted version is for the information governance lead of each
  party, for that party only. Platform staff never decide: the decision is the party's.
- Suspending, resuming, terminating and starting a new version are for the information
  governance leads of any party.
- Through an API token issued for one organisation, only that organisation counts.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet

from interborough.accounts.models import Membership, Organisation, User
from interborough.accounts.permissions import (
    ROLE_CAPABILITIES,
    Capability,
    acting_organisation_id,
)
from interborough.sharing.models import (
    AGREED_STATUSES,
    EDITABLE_STATUSES,
    AgreementApproval,
    AgreementParty,
    AgreementStatus,
    ApprovalDecision,
    DataSharingAgreement,
)

# The roles that may draft agreements for an organisation (publish data or sign agreements).
DRAFTER_ROLES = frozenset(
    role
    for role, capabilities in ROLE_CAPABILITIES.items()
    if capabilities & {Capability.PUBLISH, Capability.SIGN_AGREEMENTS}
)
# The roles that approve agreements and manage agreed ones for a party (IG leads).
SIGNER_ROLES = frozenset(
    role
    for role, capabilities in ROLE_CAPABILITIES.items()
    if Capability.SIGN_AGREEMENTS in capabilities
)


def is_signed_in(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


def _memberships(user: User) -> QuerySet[Membership]:
    """The person's memberships of active organisations that count for this request."""
    memberships = Membership.objects.filter(user=user, organisation__is_active=True)
    acting = acting_organisation_id(user)
    if acting is not None:
        memberships = memberships.filter(organisation_id=acting)
    return memberships


def member_organisation_ids(user: User) -> set[int]:
    """The organisations the person acts for (only the token's, through a token for one)."""
    if not is_signed_in(user):
        return set()
    return set(_memberships(user).values_list("organisation_id", flat=True))


def organisation_ids_with_roles(user: User, roles: frozenset[str]) -> set[int]:
    """The organisations where the person holds one of these roles (as member_organisation_ids)."""
    if not is_signed_in(user):
        return set()
    return set(_memberships(user).filter(role__in=roles).values_list("organisation_id", flat=True))


def visible_agreements_q(user: User) -> Q:
    """The agreement versions this person may read in full, as a filter (selectors use it)."""
    public = Q(status__in=AGREED_STATUSES, in_register=True)
    if not is_signed_in(user):
        return public
    if user.is_staff and acting_organisation_id(user) is None:
        return Q()
    organisation_ids = member_organisation_ids(user)
    party = AgreementParty.objects.filter(
        agreement=OuterRef("pk"), organisation_id__in=organisation_ids
    )
    return public | Q(lead_organisation_id__in=organisation_ids) | Q(Exists(party))


def is_public(agreement: DataSharingAgreement) -> bool:
    """Agreed by every party and published in the register."""
    return agreement.status in AGREED_STATUSES and agreement.in_register


def _party_ids(agreement: DataSharingAgreement) -> set[int]:
    return {party.organisation_id for party in agreement.parties.all()}


def can_view_full(user: User, agreement: DataSharingAgreement) -> bool:
    """The whole text: everyone for public versions; otherwise the parties' members and staff."""
    if is_public(agreement):
        return True
    if not is_signed_in(user):
        return False
    if user.is_staff and acting_organisation_id(user) is None:
        return True
    mine = member_organisation_ids(user)
    return agreement.lead_organisation_id in mine or bool(mine & _party_ids(agreement))


def can_draft(user: User, organisation: Organisation) -> bool:
    """Start or import an agreement led by the organisation: its publishers, admins, IG leads."""
    return (
        is_signed_in(user)
        and organisation.is_active
        and organisation.pk in organisation_ids_with_roles(user, DRAFTER_ROLES)
    )


def can_edit(user: User, agreement: DataSharingAgreement) -> bool:
    """Change a draft (or a version sent back): the lead organisation's drafters."""
    return agreement.status in EDITABLE_STATUSES and can_draft(user, agreement.lead_organisation)


def can_submit(user: User, agreement: DataSharingAgreement) -> bool:
    """Send a draft to every party for approval: the lead organisation's drafters."""
    return can_edit(user, agreement)


def can_decide(user: User, agreement: DataSharingAgreement, organisation: Organisation) -> bool:
    """Approve or send back a version for one party: that party's IG lead, never staff acting
    as such (the decision is the organisation's, and nobody decides for another one)."""
    if not is_signed_in(user) or user.is_staff:
        return False
    if organisation.pk not in _party_ids(agreement):
        return False
    return organisation.pk in organisation_ids_with_roles(user, SIGNER_ROLES)


def decidable_organisations(user: User, agreement: DataSharingAgreement) -> list[Organisation]:
    """The parties this person may still decide for on a submitted version: they are its IG
    lead and the party has not yet approved the text submitted."""
    if agreement.status != AgreementStatus.SUBMITTED or not is_signed_in(user) or user.is_staff:
        return []
    signing = organisation_ids_with_roles(user, SIGNER_ROLES)
    approved = AgreementApproval.objects.filter(
        agreement=agreement,
        organisation=OuterRef("organisation"),
        text_hash=agreement.text_hash,
        decision=ApprovalDecision.APPROVED,
    )
    parties = (
        AgreementParty.objects.filter(agreement=agreement, organisation_id__in=signing)
        .exclude(Exists(approved))
        .select_related("organisation")
        .order_by("organisation__name")
    )
    return [party.organisation for party in parties]


def can_manage(user: User, agreement: DataSharingAgreement) -> bool:
    """Suspend, resume, terminate, or start a new version: the IG leads of any party."""
    if not is_signed_in(user):
        return False
    return bool(organisation_ids_with_roles(user, SIGNER_ROLES) & _party_ids(agreement))
