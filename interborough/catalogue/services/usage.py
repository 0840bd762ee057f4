"""Counting use of datasets (page views, downloads, API calls) and recording every read of
restricted data in the audit trail. Every data path calls `data_read_record`."""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from interborough.accounts.models import User
from interborough.catalogue.models import (
    AccessLevel,
    Dataset,
    DatasetUsage,
    Resource,
    UsageKind,
)
from interborough.core.services import audit_record


def usage_count(*, dataset: Dataset, kind: str) -> None:
    """Add one to today's counter of `kind` for `dataset`."""
    day = timezone.localdate()
    counter = DatasetUsage.objects.filter(dataset=dataset, day=day, kind=kind)
    if counter.update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            DatasetUsage.objects.create(dataset=dataset, day=day, kind=kind, count=1)
    except IntegrityError:  # another request created today's row first
        counter.update(count=F("count") + 1)


def data_read_record(
    *, by: User | None, dataset: Dataset, resource: Resource | None, how: str, kind: str
) -> None:
    """Count a read of a dataset's data; a read of restricted data is also audited.

    `how` says which route read it (e.g. "download csv", "api records", "ckan datastore_search");
    `kind` is UsageKind.DOWNLOAD or UsageKind.API_CALL. Call it after the access check passed.
    """
    if kind not in (UsageKind.DOWNLOAD, UsageKind.API_CALL):
        raise ValueError(f"A data read is a download or an API call, not {kind!r}.")
    usage_count(dataset=dataset, kind=kind)
    if dataset.access_level != AccessLevel.RESTRICTED:
        return
    with transaction.atomic():
        audit_record(
            by=by if by is not None and by.is_authenticated else None,
            action="dataset.data_read",
            obj=dataset,
            organisation=dataset.publisher,
            after={"how": how, "resource": str(resource.pk) if resource else None},
        )
