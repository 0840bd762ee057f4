"""Writes for datasets: register, edit, publish and withdraw (publishers and admins of the
publisher), each audited."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from interborough.accounts.models import Organisation, OrganisationType, User
from interborough.catalogue import permissions
from interborough.catalogue.models import (
    AccessLevel,
    Classification,
    Dataset,
    DatasetStatus,
    Frequency,
    Keyword,
    Licence,
    Topic,
)
from interborough.catalogue.models.datasets import DATASET_TRANSITIONS
from interborough.core.errors import ApplicationError, PermissionDeniedError
from interborough.core.services import audit_changes, audit_record, record_values
from interborough.core.slugs import free_slug
from interborough.core.text import clean_email, clean_line, clean_tag, clean_text
from interborough.core.validation import FieldErrors
from interborough.core.workflow import move_status

MAX_KEYWORDS = 20


@dataclass(frozen=True)
class DatasetInput:
    """A dataset's metadata as a person gave it."""

    title: str = ""
    description: str = ""
    licence: str = Licence.OGL_3
    topics: Sequence[str] = ()  # topic slugs
    keywords: Sequence[str] = ()
    boroughs: Sequence[str] = ()  # local authority slugs
    temporal_start: date | None = None
    temporal_end: date | None = None
    frequency: str = Frequency.IRREGULAR
    contact_name: str = ""
    contact_email: str = ""
    access_level: str = AccessLevel.OPEN
    classification: str = Classification.OFFICIAL
    information_asset_owner: str = ""


def _choice(value: str, choices: Any, field_name: str, label: str) -> str:
    if value not in choices.values:
        raise ApplicationError(f"Choose the {label} from the list.", field=field_name)
    return value


def _keywords(values: Sequence[str]) -> list[str]:
    names = list(dict.fromkeys(k for k in (clean_tag(v, field="keywords") for v in values) if k))
    if len(names) > MAX_KEYWORDS:
        raise ApplicationError(f"Give {MAX_KEYWORDS} tags or fewer.", field="keywords")
    return names


def _topics(values: Sequence[str]) -> list[Topic]:
    slugs = list(dict.fromkeys(v.strip() for v in values if v.strip()))
    topics = {t.slug: t for t in Topic.objects.filter(slug__in=slugs)}
    unknown = [s for s in slugs if s not in topics]
    if unknown:
        raise ApplicationError(f"There is no topic “{unknown[0][:50]}”.", field="topics")
    return [topics[s] for s in slugs]


def _boroughs(values: Sequence[str]) -> list[Organisation]:
    slugs = list(dict.fromkeys(v.strip() for v in values if v.strip()))
    found = {
        o.slug: o
        for o in Organisation.objects.filter(
            slug__in=slugs, type=OrganisationType.LOCAL_AUTHORITY
        ).defer("boundary")
    }
    unknown = [s for s in slugs if s not in found]
    if unknown:
        raise ApplicationError(
            f"“{unknown[0][:100]}” is not a London local authority on the platform.",
            field="boroughs",
        )
    return [found[s] for s in slugs]


def clean_dataset_input(data: DatasetInput) -> tuple[dict[str, Any], dict[str, Any]]:
    """Check every field: (model field values, related rows) or a ValidationError for each."""
    errors = FieldErrors()
    check = errors.check
    values: dict[str, Any] = {
        "title": check("title", clean_line, data.title, field="title", label="title",
                       max_length=200, required=True),
        "description": check("description", clean_text, data.description, field="description",
                             label="description", max_length=20_000, required=True),
        "contact_name": check("contact_name", clean_line, data.contact_name,
                              field="contact_name", label="contact's name", max_length=150),
        "information_asset_owner": check(
            "information_asset_owner", clean_line, data.information_asset_owner,
            field="information_asset_owner", label="information asset owner", max_length=150,
        ),
        "contact_email": check("contact_email", clean_email, data.contact_email,
                               field="contact_email", label="the contact email address",
                               example="data@council.gov.uk"),
        "licence": check("licence", _choice, data.licence, Licence, "licence", "licence"),
        "frequency": check("frequency", _choice, data.frequency, Frequency, "frequency",
                           "update frequency"),
        "access_level": check("access_level", _choice, data.access_level, AccessLevel,
                              "access_level", "access level"),
        "classification": check("classification", _choice, data.classification, Classification,
                                "classification", "security classification"),
        "temporal_start": data.temporal_start,
        "temporal_end": data.temporal_end,
    }  # fmt: skip
    related = {
        "topics": check("topics", _topics, data.topics),
        "keywords": check("keywords", _keywords, data.keywords),
        "boroughs": check("boroughs", _boroughs, data.boroughs),
    }
    if data.temporal_start and data.temporal_end and data.temporal_end < data.temporal_start:
        errors.add("temporal_end", "The end of the period must be on or after its start.")
    if data.access_level == AccessLevel.OPEN and data.licence == Licence.RESTRICTED:
        errors.add("licence", "Open data needs an open licence.")
    errors.raise_if_any()
    return values, related


def _apply(dataset: Dataset, values: dict[str, Any], related: dict[str, Any]) -> None:
    for name, value in values.items():
        setattr(dataset, name, value)
    dataset.save()
    dataset.topics.set(related["topics"])
    keywords = []
    for name in related["keywords"]:
        keyword, _ = Keyword.objects.get_or_create(name=name)
        keywords.append(keyword)
    dataset.keywords.set(keywords)
    dataset.boroughs.set(related["boroughs"])


def _snapshot(dataset: Dataset) -> dict[str, Any]:
    return record_values(
        dataset, related={"topics": "slug", "keywords": "name", "boroughs": "slug"}
    )


@transaction.atomic
def dataset_create(*, by: User, publisher: Organisation, data: DatasetInput) -> Dataset:
    """Register a dataset as a draft of the publisher (its publishers and admins)."""
    if not permissions.can_publish_data(by, publisher):
        raise PermissionDeniedError("Only publishers and admins of the organisation add data.")
    values, related = clean_dataset_input(data)
    dataset = Dataset(
        publisher=publisher,
        created_by=by,
        slug=free_slug(values["title"], existing=Dataset.objects.all(), fallback="dataset"),
    )
    _apply(dataset, values, related)
    audit_record(
        by=by, action="dataset.create", obj=dataset, organisation=publisher,
        after=_snapshot(dataset),
    )  # fmt: skip
    return dataset


@transaction.atomic
def dataset_update(*, by: User, dataset: Dataset, data: DatasetInput) -> Dataset:
    """Edit a dataset's metadata (its slug stays: URLs never change)."""
    if not permissions.can_edit_dataset(by, dataset):
        raise PermissionDeniedError("Only publishers and admins of the publisher edit it.")
    dataset = Dataset.objects.select_for_update().get(pk=dataset.pk)
    values, related = clean_dataset_input(data)
    before = _snapshot(dataset)
    _apply(dataset, values, related)
    after = _snapshot(dataset)
    audit_changes(
        by=by, action="dataset.update", obj=dataset, organisation=dataset.publisher,
        before=before, after=after,
    )  # fmt: skip
    return dataset


def _move(*, by: User, dataset: Dataset, to: str, action: str) -> Dataset:
    if not permissions.can_edit_dataset(by, dataset):
        raise PermissionDeniedError("Only publishers and admins of the publisher do that.")
    dataset = Dataset.objects.select_for_update().get(pk=dataset.pk)
    before = dataset.status
    fields: dict[str, Any] = {}
    if to == DatasetStatus.PUBLISHED and dataset.published_at is None:
        fields["published_at"] = timezone.now()
    refusal = (
        f"A {dataset.get_status_display().lower()} dataset cannot become "
        f"{DatasetStatus(to).label.lower()}."
    )
    move_status(dataset, to, DATASET_TRANSITIONS, refusal=refusal, **fields)
    audit_record(
        by=by, action=action, obj=dataset, organisation=dataset.publisher,
        before={"status": before}, after={"status": to},
    )  # fmt: skip
    return dataset


@transaction.atomic
def dataset_publish(*, by: User, dataset: Dataset) -> Dataset:
    """Publish a draft (or a withdrawn dataset again): its metadata becomes public."""
    return _move(by=by, dataset=dataset, to=DatasetStatus.PUBLISHED, action="dataset.publish")


@transaction.atomic
def dataset_withdraw(*, by: User, dataset: Dataset) -> Dataset:
    """Withdraw a published dataset: it stays on the record for its publisher only."""
    return _move(by=by, dataset=dataset, to=DatasetStatus.WITHDRAWN, action="dataset.withdraw")
