"""Following datasets: a person follows a dataset they can see and is emailed, once per
version, when a new version of one of its resources lands."""

from django.db import IntegrityError, transaction
from django.urls import reverse

from interborough.accounts.models import User
from interborough.catalogue import permissions
from interborough.catalogue.models import Dataset, DatasetFollow, ResourceVersion, VersionStatus
from interborough.core.email import email_after_commit
from interborough.core.errors import ApplicationError, PermissionDeniedError
from interborough.core.models import AuditEvent
from interborough.core.services import audit_record

NOTIFIED = "resource_version.followers_notify"


def dataset_follow(*, by: User, dataset: Dataset) -> DatasetFollow:
    """Follow a dataset the person can see (following twice is one follow)."""
    if not permissions.is_signed_in(by):
        raise PermissionDeniedError("Sign in to follow a dataset.")
    if not permissions.can_view_dataset(by, dataset):
        raise ApplicationError("You can only follow a dataset you can see.")
    existing = DatasetFollow.objects.filter(dataset=dataset, user=by).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            follow = DatasetFollow.objects.create(dataset=dataset, user=by)
            audit_record(by=by, action="dataset.follow", obj=dataset)
    except IntegrityError:  # the same person, following twice at once
        return DatasetFollow.objects.get(dataset=dataset, user=by)
    return follow


@transaction.atomic
def dataset_unfollow(*, by: User, dataset: Dataset) -> None:
    """Stop following a dataset (not following it already is fine)."""
    if not permissions.is_signed_in(by):
        raise PermissionDeniedError("Sign in to stop following a dataset.")
    deleted, _ = DatasetFollow.objects.filter(dataset=dataset, user=by).delete()
    if deleted:
        audit_record(by=by, action="dataset.unfollow", obj=dataset)


def _summary(changes: dict) -> list[str]:
    """The version's change summary, one line per kind of change."""
    lines = []
    for key, what in (("rows_added", "added"), ("rows_removed", "removed")):
        if count := changes.get(key):
            lines.append(f"{count:,} row{'' if count == 1 else 's'} {what}")
    if changes.get("columns_added"):
        lines.append("Columns added: " + ", ".join(changes["columns_added"]))
    if changes.get("columns_removed"):
        lines.append("Columns removed: " + ", ".join(changes["columns_removed"]))
    for column, *types in changes.get("columns_retyped") or []:
        lines.append(f"Column {column} changed type: {' to '.join(str(t) for t in types)}")
    return lines


@transaction.atomic
def dataset_followers_notify(*, version_id: int) -> int:
    """Email each follower who can see the dataset that a ready version landed; once per
    version (later calls send nothing). Returns how many were emailed."""
    version = (
        ResourceVersion.objects.select_for_update(of=("self",))
        .select_related("resource__dataset__publisher")
        .get(pk=version_id)
    )
    if version.status != VersionStatus.READY:
        return 0
    if AuditEvent.objects.filter(
        action=NOTIFIED, object_type="catalogue.resourceversion", object_id=str(version.pk)
    ).exists():
        return 0
    dataset = version.resource.dataset
    followers = [
        follow.user
        for follow in DatasetFollow.objects.filter(dataset=dataset, user__is_active=True)
        .select_related("user")
        .order_by("pk")
        if permissions.can_view_dataset(follow.user, dataset)
    ]
    sent = email_after_commit(
        followers,
        subject=f"New data in {dataset.title}: {version.resource.name}",
        template="catalogue/email/dataset_new_version.txt",
        context={
            "dataset": dataset,
            "version": version,
            "changes": _summary(version.changes or {}),
            "path": reverse("catalogue:dataset-detail", args=[dataset.slug]),
        },
    )
    audit_record(
        by=None,
        system="catalogue",
        action=NOTIFIED,
        obj=version,
        organisation=dataset.publisher,
        after={"followers": sent},
    )
    return sent
