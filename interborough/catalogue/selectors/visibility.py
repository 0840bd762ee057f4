"""Which datasets a person may see, for a set of them: permissions.can_view_dataset's rule
as a queryset filter (search, lists and exports use it; the search index applies the same
rule to its rows)."""

from django.db.models import Q

from interborough.accounts.models import Membership, User
from interborough.accounts.permissions import acting_organisation_id
from interborough.catalogue.models import DatasetStatus
from interborough.catalogue.permissions import is_signed_in


def viewer_organisation_ids(viewer: User) -> list[int]:
    """The organisations whose unpublished datasets the person sees (only the token's one
    through a token issued for one organisation, as `role_of` decides)."""
    if not is_signed_in(viewer):
        return []
    memberships = Membership.objects.filter(user=viewer)
    acting = acting_organisation_id(viewer)
    if acting is not None:
        memberships = memberships.filter(organisation_id=acting)
    return list(memberships.values_list("organisation_id", flat=True))


def visible_datasets_q(viewer: User, organisation_ids: list[int] | None = None) -> Q:
    """The datasets whose metadata this person may see: published ones, and their own
    organisations' drafts and withdrawn ones."""
    published = Q(status=DatasetStatus.PUBLISHED)
    if organisation_ids is None:
        organisation_ids = viewer_organisation_ids(viewer)
    if not organisation_ids:
        return published
    return published | Q(publisher_id__in=organisation_ids)
