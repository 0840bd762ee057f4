"""The data store's pages. `viewer_of` names the person asking; `viewable_dataset` loads the
dataset in the URL or answers 404 to anyone who may not see it (drafts do not leak)."""

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from interborough.accounts.viewer import viewer_of
from interborough.catalogue import permissions
from interborough.catalogue.models import Dataset

__all__ = ["viewable_dataset", "viewer_of"]


def viewable_dataset(request: HttpRequest, slug: str) -> Dataset:
    """The dataset named in the URL, or a 404 for one the person may not see."""
    dataset = get_object_or_404(Dataset.objects.select_related("publisher"), slug=slug)
    if not permissions.can_view_dataset(viewer_of(request), dataset):
        raise Http404
    return dataset
