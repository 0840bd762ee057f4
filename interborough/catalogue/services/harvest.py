"""Harvesting other catalogues: register a source, queue a run, run it (a task) and the
schedule that runs due sources and ends runs that hung.

A run copies each remote dataset's metadata into a published dataset of the source's
organisation (created or updated by its harvest identifier); the remote files stay where they
are and are listed in a "Data from <url>" section of the description. Datasets that vanished
from the source are withdrawn, but only after a run that read the whole source. A run never
stays RUNNING: any failure ends it FAILED with its error, and `harvest_runs_fail_stuck` ends
runs whose worker died.
"""

import logging
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone

from interborough.accounts.models import Organisation, User
from interborough.catalogue import harvest_ckan, harvest_dcat, harvest_mapping, permissions
from interborough.catalogue.harvest_fetch import Deadline, HarvestError, Limits, RemoteDataset
from interborough.catalogue.models import (
    Dataset,
    DatasetStatus,
    HarvestKind,
    HarvestRun,
    HarvestSource,
    HarvestStatus,
    Topic,
)
from interborough.catalogue.models.harvest import HARVEST_TRANSITIONS
from interborough.catalogue.services.datasets import clean_dataset_input
from interborough.core.errors import ApplicationError, PermissionDeniedError
from interborough.core.services import audit_changes, audit_record, record_values
from interborough.core.slugs import free_slug
from interborough.core.text import clean_line
from interborough.core.workflow import move_status

logger = logging.getLogger(__name__)

SYSTEM = "harvester"
MAX_ERRORS = 50
MAX_KEYWORDS = 20
STUCK_AFTER = timedelta(hours=2)
ACTIVE = (HarvestStatus.QUEUED, HarvestStatus.RUNNING)


# --- who may do what ---------------------------------------------------------------------------


def harvest_limits() -> Limits:
    """The limits every harvest runs within (CATALOGUE_HARVEST_ALLOW_PRIVATE lets a trusted
    set-up, or the tests, harvest from its own network)."""
    return Limits(allow_private=getattr(settings, "CATALOGUE_HARVEST_ALLOW_PRIVATE", False))


# --- sources -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class HarvestSourceInput:
    name: str = ""
    kind: str = HarvestKind.CKAN
    url: str = ""
    every_hours: int = 24
    is_active: bool = True


def _clean_source(data: HarvestSourceInput) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    name = ""
    try:
        name = clean_line(data.name, field="name", label="name", max_length=200, required=True)
    except ApplicationError as error:
        errors["name"] = [error.message]
    if data.kind not in HarvestKind.values:
        errors["kind"] = ["Choose whether the source is a CKAN site or a DCAT catalogue."]
    url = data.url.strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
        if len(url) > 500:
            raise ValidationError("too long")
    except ValidationError:
        errors["url"] = ["Enter the source's web address, starting http:// or https://."]
    if not 1 <= data.every_hours <= 24 * 30:
        errors["every_hours"] = ["Harvest it every 1 to 720 hours."]
    if errors:
        raise ValidationError(errors)
    return {
        "name": name,
        "kind": data.kind,
        "url": url,
        "every_hours": data.every_hours,
        "is_active": data.is_active,
    }


def _save_source(source: HarvestSource) -> None:
    try:
        with transaction.atomic():
            source.save()
    except IntegrityError:
        raise ApplicationError(
            "Your organisation already harvests this address.", field="url"
        ) from None


@transaction.atomic
def harvest_source_create(
    *, by: User, organisation: Organisation, data: HarvestSourceInput
) -> HarvestSource:
    """Register a catalogue to harvest into the organisation (its publishers and admins)."""
    if not permissions.can_manage_harvest(by, organisation):
        raise PermissionDeniedError("Only publishers and admins of the organisation do that.")
    source = HarvestSource(
        organisation=organisation, created_by=by, next_run_at=timezone.now(), **_clean_source(data)
    )
    _save_source(source)
    audit_record(
        by=by, action="harvest_source.create", obj=source, organisation=organisation,
        after=record_values(source),
    )  # fmt: skip
    return source


@transaction.atomic
def harvest_source_update(
    *, by: User, source: HarvestSource, data: HarvestSourceInput
) -> HarvestSource:
    """Change a source's name, address, kind, schedule or whether it is harvested."""
    if not permissions.can_manage_harvest(by, source.organisation):
        raise PermissionDeniedError("Only publishers and admins of the organisation do that.")
    source = HarvestSource.objects.select_for_update().get(pk=source.pk)
    before = record_values(source)
    for name, value in _clean_source(data).items():
        setattr(source, name, value)
    _save_source(source)
    audit_changes(
        by=by, action="harvest_source.update", obj=source, organisation=source.organisation,
        before=before, after=record_values(source),
    )  # fmt: skip
    return source


# --- runs ------------------------------------------------------------------------------------


def _queue(source: HarvestSource, by: User | None) -> HarvestRun:
    """Queue a run (inside the caller's transaction) and its task after commit."""
    source = HarvestSource.objects.select_for_update().get(pk=source.pk)
    if source.runs.filter(status__in=ACTIVE).exists():
        raise ApplicationError("This source is already being harvested; wait for it to finish.")
    run = HarvestRun.objects.create(source=source, requested_by=by)
    audit_record(
        by=by, system=SYSTEM, action="harvest_run.queue", obj=run,
        organisation=source.organisation, after={"source": source.pk},
    )  # fmt: skip
    from interborough.catalogue.harvest_tasks import run_harvest

    run_id = run.pk
    transaction.on_commit(lambda: run_harvest.enqueue(run_id))
    return run


@transaction.atomic
def harvest_run_start(*, by: User, source: HarvestSource) -> HarvestRun:
    """Harvest a source now (its organisation's publishers and admins)."""
    if not permissions.can_manage_harvest(by, source.organisation):
        raise PermissionDeniedError("Only publishers and admins of the organisation do that.")
    return _queue(source, by)


def _move(run: HarvestRun, to: str, **fields: Any) -> None:
    refusal = f"A {run.get_status_display().lower()} harvest cannot become {to}."
    move_status(run, to, HARVEST_TRANSITIONS, refusal=refusal, **fields)


def _finish(run_id: int, to: str, **fields: Any) -> HarvestRun:
    with transaction.atomic():
        run = (
            HarvestRun.objects.select_related("source")
            .select_for_update(of=("self",))
            .get(pk=run_id)
        )
        _move(run, to, finished_at=timezone.now(), **fields)
        source = run.source
        HarvestSource.objects.filter(pk=source.pk).update(
            next_run_at=timezone.now() + timedelta(hours=source.every_hours)
        )
        audit_record(
            by=None, system=SYSTEM, action=f"harvest_run.{to}", obj=run,
            organisation=source.organisation,
            after={k: getattr(run, k) for k in ("found", "created", "updated", "withdrawn")}
            | {"errors": len(run.errors)},
        )  # fmt: skip
    return run


def harvest_run(*, run_id: int) -> HarvestRun:
    """Run a queued harvest (the task): fetch, map, create, update and withdraw."""
    with transaction.atomic():
        run = HarvestRun.objects.select_for_update().get(pk=run_id)
        if run.status != HarvestStatus.QUEUED:
            return run  # already run (a task delivered twice)
        _move(run, HarvestStatus.RUNNING, started_at=timezone.now())
    counts = {"found": 0, "created": 0, "updated": 0, "withdrawn": 0}
    errors: list[str] = []
    try:
        source = HarvestSource.objects.select_related("organisation").get(pk=run.source_id)
        _harvest(run, source, counts, errors)
    except HarvestError as error:
        return _finish(
            run_id, HarvestStatus.FAILED, errors=_capped([*errors, str(error)]), **counts
        )
    except Exception:  # a fault of ours: recorded, and the run never left RUNNING
        logger.exception("Harvest run %s failed", run_id)
        message = "The harvest stopped on an unexpected error; the platform team has been told."
        return _finish(run_id, HarvestStatus.FAILED, errors=_capped([*errors, message]), **counts)
    return _finish(run_id, HarvestStatus.SUCCEEDED, errors=_capped(errors), **counts)


def _capped(errors: list[str]) -> list[str]:
    if len(errors) <= MAX_ERRORS:
        return errors
    return [*errors[:MAX_ERRORS], f"… and {len(errors) - MAX_ERRORS} more problems."]


def _remote(source: HarvestSource, limits: Limits, problems: list[str]) -> Iterator[RemoteDataset]:
    deadline = Deadline(limits)
    if source.kind == HarvestKind.CKAN:
        return harvest_ckan.ckan_datasets(source.url, limits, deadline, problems)
    return harvest_dcat.dcat_datasets(source.url, limits, deadline, problems)


def _harvest(
    run: HarvestRun, source: HarvestSource, counts: dict[str, int], errors: list[str]
) -> None:
    seen: set[str] = set()
    by = run.requested_by or source.created_by
    for remote in _remote(source, harvest_limits(), errors):
        if remote.identifier in seen:
            continue
        seen.add(remote.identifier)
        counts["found"] += 1
        try:
            outcome = _save_dataset(source=source, remote=remote, by=by)
        except (ValidationError, ApplicationError) as error:
            errors.append(f"{remote.identifier[:200]}: {_message(error)}")
            continue
        if outcome:
            counts[outcome] += 1
        HarvestRun.objects.filter(pk=run.pk).update(**counts)  # progress for the job page
    if not seen and source.datasets.filter(status=DatasetStatus.PUBLISHED).exists():
        # An empty answer is more likely a fault at the source than every dataset gone.
        errors.append("The source listed no datasets, so none of its datasets was withdrawn.")
        return
    counts["withdrawn"] = _withdraw_vanished(source, seen)


def _message(error: ValidationError | ApplicationError) -> str:
    if isinstance(error, ApplicationError):
        return error.message
    return " ".join(error.messages)


# --- mapping a remote dataset --------------------------------------------------------------


def _clean(remote: RemoteDataset) -> tuple[dict[str, Any], dict[str, Any]]:
    """Checked values; a keyword or contact address the store would refuse is dropped rather
    than losing the whole dataset."""
    themes: dict[str, str] = {}
    for theme, slug in Topic.objects.order_by("position").values_list("data_theme", "slug"):
        themes.setdefault(theme, slug)  # the first topic of each EU theme
    data = harvest_mapping.dataset_input(remote, themes)
    try:
        return clean_dataset_input(data)
    except ValidationError as error:
        wrong = set(error.message_dict)
        if not wrong <= {"keywords", "contact_email", "contact_name"}:
            raise
        return clean_dataset_input(
            replace(
                data,
                keywords=() if "keywords" in wrong else data.keywords,
                contact_email="" if "contact_email" in wrong else data.contact_email,
                contact_name="" if "contact_name" in wrong else data.contact_name,
            )
        )


def _places(remote: RemoteDataset) -> list[Organisation]:
    if not remote.gss_codes:
        return []
    return list(Organisation.objects.filter(gss_code__in=remote.gss_codes).defer("boundary"))


@transaction.atomic
def _save_dataset(*, source: HarvestSource, remote: RemoteDataset, by: User | None) -> str | None:
    """Create or update the dataset for `remote`: 'created', 'updated' or None (unchanged)."""
    values, related = _clean(remote)
    related["boroughs"] = _places(remote)
    values["harvest_url"] = (remote.landing_url or "")[:500]
    existing = (
        Dataset.objects.select_for_update()
        .filter(harvest_source=source, harvest_identifier=remote.identifier[:500])
        .first()
    )
    if existing is None:
        dataset = Dataset(
            publisher=source.organisation,
            harvest_source=source,
            harvest_identifier=remote.identifier[:500],
            created_by=by,
            status=DatasetStatus.PUBLISHED,
            published_at=timezone.now(),
            slug=free_slug(values["title"], existing=Dataset.objects.all(), fallback="dataset"),
        )
        _apply(dataset, values, related)
        audit_record(
            by=None, system=SYSTEM, action="dataset.harvest_create", obj=dataset,
            organisation=source.organisation, after=_snapshot(dataset),
        )  # fmt: skip
        return "created"
    before = _snapshot(existing)
    if existing.status == DatasetStatus.WITHDRAWN:
        existing.status = DatasetStatus.PUBLISHED  # back at the source: published again
    _apply(existing, values, related)
    after = _snapshot(existing)
    if before == after:
        return None
    audit_changes(
        by=None, action="dataset.harvest_update", obj=existing,
        organisation=source.organisation, before=before, after=after,
    )  # fmt: skip
    return "updated"


def _apply(dataset: Dataset, values: dict[str, Any], related: dict[str, Any]) -> None:
    from interborough.catalogue.models import Keyword

    for name, value in values.items():
        setattr(dataset, name, value)
    dataset.save()
    dataset.topics.set(related["topics"])
    dataset.keywords.set([Keyword.objects.get_or_create(name=k)[0] for k in related["keywords"]])
    dataset.boroughs.set(related["boroughs"])


def _snapshot(dataset: Dataset) -> dict[str, Any]:
    return record_values(
        dataset,
        skip=("published_at", "last_version_at"),
        related={"topics": "slug", "keywords": "name", "boroughs": "slug"},
    )


@transaction.atomic
def _withdraw_vanished(source: HarvestSource, seen: set[str]) -> int:
    """Withdraw the source's published datasets that the source no longer lists."""
    vanished = list(
        Dataset.objects.select_for_update()
        .filter(harvest_source=source, status=DatasetStatus.PUBLISHED)
        .exclude(harvest_identifier__in=seen)
    )
    for dataset in vanished:
        Dataset.objects.filter(pk=dataset.pk).update(
            status=DatasetStatus.WITHDRAWN, updated_at=timezone.now()
        )
        audit_record(
            by=None, system=SYSTEM, action="dataset.harvest_withdraw", obj=dataset,
            organisation=source.organisation,
            before={"status": DatasetStatus.PUBLISHED}, after={"status": DatasetStatus.WITHDRAWN},
        )  # fmt: skip
    return len(vanished)


# --- the schedule ------------------------------------------------------------------------------


@transaction.atomic
def harvest_runs_fail_stuck(*, older_than: timedelta = STUCK_AFTER) -> int:
    """End runs left RUNNING (or QUEUED) longer than `older_than`: their worker died."""
    cutoff = timezone.now() - older_than
    stuck = HarvestRun.objects.select_for_update().filter(status__in=ACTIVE, created_at__lt=cutoff)
    ended = 0
    for run in stuck:
        if run.status == HarvestStatus.RUNNING and run.started_at and run.started_at >= cutoff:
            continue
        message = f"The harvest did not finish within {older_than} and was stopped."
        _move(run, HarvestStatus.FAILED, finished_at=timezone.now(), errors=[*run.errors, message])
        audit_record(
            by=None, system=SYSTEM, action="harvest_run.failed", obj=run,
            after={"errors": message},
        )  # fmt: skip
        ended += 1
    return ended


def harvest_due() -> int:
    """Queue a run of every active source whose next run is due; returns how many."""
    now = timezone.now()
    due = HarvestSource.objects.filter(is_active=True, next_run_at__lte=now).exclude(
        runs__status__in=ACTIVE
    )
    queued = 0
    for source in due:
        try:
            with transaction.atomic():
                _queue(source, None)
        except ApplicationError:
            continue  # queued by someone else meanwhile
        queued += 1
    return queued
