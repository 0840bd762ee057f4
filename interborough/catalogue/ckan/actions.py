"""CKAN's catalogue actions over the data store. Each takes (context, data dict) and returns
the `result`; errors are the CKAN errors in errors.py. Drafts are never listed and read as
'Not found' to anyone outside their publisher; restricted datasets' metadata is open."""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import HttpRequest

from interborough.accounts.models import Organisation, User
from interborough.catalogue import permissions
from interborough.catalogue.ckan import dicts
from interborough.catalogue.ckan.errors import NotFound, ValidationError
from interborough.catalogue.ckan.params import as_bool, as_int, as_list, as_text, required_id
from interborough.catalogue.models import (
    Dataset,
    DatasetStatus,
    Keyword,
    Resource,
    Topic,
)

CKAN_COMPATIBLE_VERSION = "2.10.0"
MAX_LIST = 1000


@dataclass
class ActionContext:
    request: HttpRequest
    user: User | AnonymousUser


Action = Callable[[ActionContext, dict[str, Any]], Any]
ACTIONS: dict[str, Action] = {}


def action(name: str) -> Callable[[Action], Action]:
    """Register a read-only action under its CKAN name."""

    def register(function: Action) -> Action:
        ACTIONS[name] = function
        return function

    return register


def published() -> QuerySet[Dataset]:
    return Dataset.objects.filter(status=DatasetStatus.PUBLISHED)


def with_relations(datasets: QuerySet[Dataset]) -> QuerySet[Dataset]:
    """What package dictionaries read, in a fixed number of queries."""
    return datasets.select_related("publisher").prefetch_related(
        "keywords",
        "topics",
        "boroughs",
        Prefetch("resources", queryset=Resource.objects.select_related("latest")),
    )


def visible_dataset(context: ActionContext, identifier: str) -> Dataset:
    """The dataset named by slug or number, if the caller may see it; else Not Found."""
    lookup = Q(slug=identifier)
    if identifier.isdigit():
        lookup |= Q(pk=int(identifier))
    dataset = with_relations(Dataset.objects.filter(lookup)).first()
    if dataset is None or not permissions.can_view_dataset(context.user, dataset):  # type: ignore[arg-type]
        raise NotFound("Dataset")
    return dataset


@action("help_show")
def help_show(context: ActionContext, data: dict[str, Any]) -> str:
    """Return the help string for an action."""
    name = as_text(data, "name", max_length=100)
    function = ACTIONS.get(name)
    if function is None:
        raise NotFound(f"Action function not found: {name}")
    return function.__doc__ or ""


@action("status_show")
def status_show(context: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """Return the site's name, URL and the CKAN API version it answers as."""
    return {
        "site_title": "Interborough city data store",
        "site_description": "London's data store, run by its local authorities together.",
        "site_url": context.request.build_absolute_uri("/"),
        "ckan_version": CKAN_COMPATIBLE_VERSION,
        "error_emails_to": None,
        "locale_default": "en_GB",
        "extensions": ["datastore", "dcat"],
        "interborough": {"debug": settings.DEBUG} if settings.DEBUG else {},
    }


@action("package_list")
def package_list(context: ActionContext, data: dict[str, Any]) -> list[str]:
    """Return the names of the site's published datasets (limit, offset)."""
    limit = as_int(data, "limit", MAX_LIST * 1000, minimum=0)
    offset = as_int(data, "offset", 0)
    names = published().order_by("slug").values_list("slug", flat=True)
    return list(names[offset : offset + limit])


@action("package_show")
def package_show(context: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """Return the metadata of a dataset and its resources (id: name or id)."""
    return dicts.package_dict(context.request, visible_dataset(context, required_id(data)))


@action("resource_show")
def resource_show(context: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """Return the metadata of a resource (id)."""
    identifier = required_id(data)
    resource = (
        Resource.objects.select_related("latest", "dataset").filter(pk=identifier).first()
        if _is_uuid(identifier)
        else None
    )
    if resource is None or not permissions.can_view_dataset(context.user, resource.dataset):  # type: ignore[arg-type]
        raise NotFound("Resource was not found.")
    return dicts.resource_dict(context.request, resource.dataset, resource)


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _organisations(data: dict[str, Any]) -> QuerySet[Organisation]:
    organisations = Organisation.objects.filter(is_active=True).annotate(
        package_count=Count(
            "datasets", filter=Q(datasets__status=DatasetStatus.PUBLISHED), distinct=True
        )
    )
    wanted = as_list(data, "organizations")
    if wanted:
        organisations = organisations.filter(slug__in=wanted)
    sort = as_text(data, "sort", "title asc", max_length=50).strip().lower()
    order = {
        "name": "slug",
        "name asc": "slug",
        "name desc": "-slug",
        "title": "name",
        "title asc": "name",
        "title desc": "-name",
        "package_count": "package_count",
        "package_count asc": "package_count",
        "package_count desc": "-package_count",
    }.get(sort)
    if order is None:
        raise ValidationError({"sort": [f"Cannot sort by field `{sort[:50]}`"]})
    return organisations.order_by(order, "slug")


def _count(annotated: Organisation | Topic) -> int:
    """The `package_count` annotation of _organisations() and group_list."""
    return int(getattr(annotated, "package_count", 0))


@action("organization_list")
def organization_list(context: ActionContext, data: dict[str, Any]) -> list[Any]:
    """Return the organisations' names, or their dictionaries with all_fields=true."""
    organisations = _organisations(data)
    limit = as_int(data, "limit", MAX_LIST, minimum=0, maximum=MAX_LIST)
    offset = as_int(data, "offset", 0)
    page = organisations[offset : offset + limit]
    if as_bool(data, "all_fields"):
        return [dicts.organisation_dict(o, package_count=_count(o)) for o in page]
    return [o.slug for o in page]


@action("organization_show")
def organization_show(context: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """Return an organisation (id: name or id), with its datasets if include_datasets=true."""
    identifier = required_id(data)
    lookup = Q(slug=identifier) | (Q(pk=int(identifier)) if identifier.isdigit() else Q())
    organisation = _organisations({}).filter(lookup).first()
    if organisation is None:
        raise NotFound("Organization was not found.")
    result = dicts.organisation_dict(organisation, package_count=_count(organisation))
    if as_bool(data, "include_datasets"):
        datasets = with_relations(published().filter(publisher=organisation)).order_by("slug")
        result["packages"] = [dicts.package_dict(context.request, d) for d in datasets[:MAX_LIST]]
    return result


@action("group_list")
def group_list(context: ActionContext, data: dict[str, Any]) -> list[Any]:
    """Return the topics (CKAN groups): names, or dictionaries with all_fields=true."""
    topics = Topic.objects.annotate(
        package_count=Count(
            "datasets", filter=Q(datasets__status=DatasetStatus.PUBLISHED), distinct=True
        )
    ).order_by("slug")
    if as_bool(data, "all_fields"):
        return [dicts.group_dict(t, package_count=_count(t)) for t in topics]
    return [t.slug for t in topics]


@action("tag_list")
def tag_list(context: ActionContext, data: dict[str, Any]) -> list[Any]:
    """Return the tags of published datasets (query: part of a tag; all_fields)."""
    tags = Keyword.objects.filter(datasets__status=DatasetStatus.PUBLISHED).distinct()
    query = as_text(data, "query", max_length=100).strip().lower()
    if query:
        tags = tags.filter(name__contains=query)
    if as_text(data, "vocabulary_id", max_length=100):
        return []  # no tag vocabularies here
    names = list(tags.order_by("name").values_list("name", flat=True)[: MAX_LIST * 10])
    if as_bool(data, "all_fields"):
        return [dicts.tag_dict(name) for name in names]
    return names


@action("license_list")
def license_list(context: ActionContext, data: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the licences publishers choose from."""
    return dicts.all_licence_dicts()
