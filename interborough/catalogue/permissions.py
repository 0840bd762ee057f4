"""Who may see and do what in the data store: one place for views, API, CKAN and the tests.

- Metadata of published datasets is visible to everyone, restricted ones included (openness);
  drafts only inside the publisher.
- The data itself: open to anyone, signed-in to anyone signed in, restricted only to the
  publisher's members and to people a *grant source* lets in. `can_read_data` is the one check
  every data path calls.
- Flow checks: besides the publisher's own people and access grants, a person may read
  restricted data when a *flow check* allows it. Each is a function `(user, dataset, now) -> bool`
  that decides (and records its decision); the sharing module adds its policy decision point, so
  an active data sharing agreement that covers the dataset lets its parties in. The catalogue
  never imports sharing: sharing appends its check at start-up.

- Publishers and organisation admins of the publisher create, edit and upload.
- The publisher's information governance leads (the role that signs agreements) decide access
  requests and revoke grants; a grantee may give up their own grant.
- Usage figures are for the publisher's members and platform staff.
"""

from collections.abc import Callable
from datetime import datetime

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from interborough.accounts.models import Organisation, User
from interborough.accounts.permissions import (
    ROLE_CAPABILITIES,
    Capability,
    has_capability,
    role_of,
)
from interborough.catalogue.models import (
    AccessGrant,
    AccessLevel,
    Dataset,
    DatasetStatus,
)

# Deciding who may read restricted data is an information governance decision: the same
# capability as signing data sharing agreements (held by IG leads).
DECIDE_ACCESS = Capability.SIGN_AGREEMENTS
ACCESS_DECIDER_ROLES = frozenset(
    role for role, capabilities in ROLE_CAPABILITIES.items() if DECIDE_ACCESS in capabilities
)

FlowCheck = Callable[[User, Dataset, datetime], bool]


def current_access_grant(user: User, now: datetime) -> Q:
    """Datasets the person holds an access grant for that has started, not expired, not revoked."""
    grants = AccessGrant.objects.filter(
        dataset=OuterRef("pk"),
        grantee=user,
        revoked_at__isnull=True,
        starts_at__lte=now,
        expires_at__gt=now,
    )
    return Q(Exists(grants))


# Every other way a person outside the publisher may read restricted data (see the docstring).
FLOW_CHECKS: list[FlowCheck] = []


def is_signed_in(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


def can_view_dataset(user: User, dataset: Dataset) -> bool:
    """Its metadata: published ones for everyone, drafts and withdrawn ones for the publisher."""
    if dataset.status == DatasetStatus.PUBLISHED:
        return True
    return is_signed_in(user) and role_of(user, dataset.publisher) is not None


def can_publish_data(user: User, organisation: Organisation) -> bool:
    return (
        is_signed_in(user)
        and organisation.is_active
        and has_capability(user, organisation, Capability.PUBLISH)
    )


def can_edit_dataset(user: User, dataset: Dataset) -> bool:
    return can_publish_data(user, dataset.publisher)


def can_read_data(user: User, dataset: Dataset) -> bool:
    """The rows and files of a dataset: the one access check every data path calls."""
    if not can_view_dataset(user, dataset):
        return False
    if role_of(user, dataset.publisher) is not None:
        return True
    if dataset.status != DatasetStatus.PUBLISHED:
        return False
    if dataset.access_level == AccessLevel.OPEN:
        return True
    if not is_signed_in(user):
        return False
    if dataset.access_level == AccessLevel.SIGNED_IN:
        return True
    if dataset.access_level != AccessLevel.RESTRICTED:
        return False  # deny what this check does not know
    now = timezone.now()
    if Dataset.objects.filter(pk=dataset.pk).filter(current_access_grant(user, now)).exists():
        return True
    return any(check(user, dataset, now) for check in FLOW_CHECKS)


def can_decide_access(user: User, dataset: Dataset) -> bool:
    """Approve or refuse requests for a dataset's data, and revoke its grants: the publisher's
    information governance leads."""
    return is_signed_in(user) and has_capability(user, dataset.publisher, DECIDE_ACCESS)


def can_revoke_grant(user: User, grant: AccessGrant) -> bool:
    """The publisher's IG leads, or the grantee giving the grant up."""
    if not is_signed_in(user):
        return False
    return grant.grantee_id == user.pk or can_decide_access(user, grant.dataset)


def can_view_usage(user: User, dataset: Dataset) -> bool:
    """Usage figures: the publisher's members and platform staff."""
    if not is_signed_in(user):
        return False
    return user.is_staff or role_of(user, dataset.publisher) is not None


def can_view_harvest_sources(user: User, organisation: Organisation) -> bool:
    """An organisation's harvest sources and their job history: its members, and staff."""
    if not is_signed_in(user):
        return False
    return user.is_staff or role_of(user, organisation) is not None


def can_manage_harvest(user: User, organisation: Organisation) -> bool:
    """Adding, changing and running harvest sources: the organisation's publishers and admins."""
    return can_publish_data(user, organisation)
