"""Who may see and do what in the data store: one place for views, API, CKAN and the tests.

- Metadata of published datasets is visible to everyone, restricted ones included (openness);
  drafts only inside the publisher.
- The data itself: open to anyone, signed-in to anyone signed in, restricted only to the
  publisher's members and (in the next slice) holders of a grant. `can_read_data` is the one
  check every data path calls; the sharing module extends it with agreements.
- Publishers and organisation admins of the publisher create, edit and upload.
"""

from interborough.accounts.models import Organisation, User
from interborough.accounts.permissions import Capability, has_capability, role_of
from interborough.catalogue.models import AccessLevel, Dataset, DatasetStatus


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
    if dataset.access_level == AccessLevel.SIGNED_IN:
        return is_signed_in(user)
    return False  # restricted: a grant is needed (access requests come in the next slice)
