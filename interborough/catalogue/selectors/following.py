"""Reads for following datasets."""

from interborough.accounts.models import User
from interborough.catalogue.models import Dataset, DatasetFollow


def is_following(*, viewer: User, dataset: Dataset) -> bool:
    """Whether the viewer follows the dataset (anonymous visitors follow nothing)."""
    if not viewer.is_authenticated:
        return False
    return DatasetFollow.objects.filter(dataset=dataset, user=viewer).exists()
