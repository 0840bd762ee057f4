"""Our records as CKAN's dictionaries: packages, resources, organisations, groups and tags.

Identifiers: a package's `name` is the dataset's slug and its `id` the dataset's number; a
resource's `id` is its UUID, which never changes. What CKAN has no field for (access level,
classification, frequency, coverage) travels in `extras`, as CKAN extensions do.
"""

from datetime import UTC, datetime
from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from interborough.accounts.models import Organisation
from interborough.catalogue.licences import LICENCES, licence_info
from interborough.catalogue.models import Dataset, Resource, ResourceVersion, Topic

MEDIA_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "geojson": "application/geo+json",
    "parquet": "application/vnd.apache.parquet",
}
# Frictionless field types as the DataStore names its column types.
DATASTORE_TYPES = {
    "string": "text",
    "integer": "int",
    "number": "numeric",
    "boolean": "bool",
    "date": "date",
    "datetime": "timestamp",
    "time": "time",
    "year": "int",
    "geojson": "json",
    "object": "json",
    "array": "json",
}


def ckan_time(value: datetime | None) -> str | None:
    """CKAN's timestamps: ISO 8601 in UTC without an offset."""
    if value is None:
        return None
    return value.astimezone(UTC).replace(tzinfo=None).isoformat()


def organisation_dict(org: Organisation, *, package_count: int | None = None) -> dict[str, Any]:
    result: dict[str, Any] = {
        "id": str(org.pk),
        "name": org.slug,
        "title": org.name,
        "display_name": org.name,
        "description": org.description,
        "image_url": "",
        "image_display_url": "",
        "created": ckan_time(org.created_at),
        "is_organization": True,
        "approval_status": "approved",
        "state": "active" if org.is_active else "deleted",
        "type": "organization",
    }
    if package_count is not None:
        result["package_count"] = package_count
    return result


def group_dict(topic: Topic, *, package_count: int | None = None) -> dict[str, Any]:
    result: dict[str, Any] = {
        "id": str(topic.pk),
        "name": topic.slug,
        "title": topic.name,
        "display_name": topic.name,
        "description": "",
        "image_display_url": "",
        "is_organization": False,
        "state": "active",
        "type": "group",
    }
    if package_count is not None:
        result["package_count"] = package_count
    return result


def tag_dict(name: str) -> dict[str, Any]:
    return {
        "id": name,
        "name": name,
        "display_name": name,
        "state": "active",
        "vocabulary_id": None,
    }


def licence_dict(licence_id: str) -> dict[str, Any]:
    info = licence_info(licence_id)
    conformance = "approved" if info.is_open else "not reviewed"
    return {
        "id": info.id,
        "title": info.title,
        "url": info.url,
        "od_conformance": conformance,
        "osd_conformance": "not reviewed",
        "status": "active",
        "family": "",
        "maintainer": "",
        "domain_content": info.is_open,
        "domain_data": info.is_open,
        "domain_software": False,
        "is_generic": False,
    }


def all_licence_dicts() -> list[dict[str, Any]]:
    return [licence_dict(licence_id) for licence_id in LICENCES]


def resource_dict(request: HttpRequest, dataset: Dataset, resource: Resource) -> dict[str, Any]:
    """A resource as CKAN shows it; `url` downloads its latest version in its own format."""
    latest: ResourceVersion | None = resource.latest
    fmt = latest.format if latest is not None else ""
    url = ""
    if latest is not None:
        url = request.build_absolute_uri(
            reverse(
                "catalogue:resource-download",
                kwargs={"slug": dataset.slug, "resource_id": resource.pk, "fmt": fmt or "csv"},
            )
        )
    return {
        "id": str(resource.pk),
        "package_id": str(dataset.pk),
        "name": resource.name,
        "description": resource.description,
        "position": resource.position,
        "format": fmt.upper(),
        "mimetype": MEDIA_TYPES.get(fmt),
        "url": url,
        "url_type": "upload",
        "size": latest.size if latest is not None else None,
        "hash": f"sha256:{latest.sha256}" if latest is not None else "",
        "created": ckan_time(resource.created_at),
        "last_modified": ckan_time(latest.ready_at) if latest is not None else None,
        "metadata_modified": ckan_time(latest.ready_at if latest else resource.created_at),
        "datastore_active": latest is not None,
        "version": latest.number if latest is not None else None,
        "rows": latest.rows if latest is not None else None,
        "state": "active",
        "resource_type": None,
        "cache_url": None,
    }


def package_dict(request: HttpRequest, dataset: Dataset) -> dict[str, Any]:
    """A dataset as CKAN's package_show returns it (relations must be prefetched)."""
    info = licence_info(dataset.licence)
    keywords = [keyword.name for keyword in dataset.keywords.all()]
    resources = [resource_dict(request, dataset, r) for r in dataset.resources.all()]
    page = request.build_absolute_uri(
        reverse("catalogue:dataset-detail", kwargs={"slug": dataset.slug})
    )
    extras = {
        "access_level": dataset.access_level,
        "security_classification": dataset.get_classification_display(),
        "information_asset_owner": dataset.information_asset_owner,
        "frequency": dataset.frequency,
        "temporal_start": dataset.temporal_start.isoformat() if dataset.temporal_start else "",
        "temporal_end": dataset.temporal_end.isoformat() if dataset.temporal_end else "",
        "spatial_coverage": ",".join(org.gss_code or org.slug for org in dataset.boroughs.all()),
    }
    return {
        "id": str(dataset.pk),
        "name": dataset.slug,
        "title": dataset.title,
        "notes": dataset.description,
        "type": "dataset",
        "state": "active" if dataset.status == "published" else dataset.status,
        "private": False,
        "isopen": info.is_open,
        "license_id": info.id,
        "license_title": info.title,
        "license_url": info.url,
        "owner_org": str(dataset.publisher_id),
        "organization": organisation_dict(dataset.publisher),
        "author": dataset.publisher.name,
        "author_email": None,
        "maintainer": dataset.contact_name,
        "maintainer_email": dataset.contact_email,
        "url": page,
        "version": None,
        "metadata_created": ckan_time(dataset.created_at),
        "metadata_modified": ckan_time(dataset.updated_at),
        "creator_user_id": None,
        "tags": [tag_dict(name) for name in keywords],
        "num_tags": len(keywords),
        "groups": [group_dict(topic) for topic in dataset.topics.all()],
        "resources": resources,
        "num_resources": len(resources),
        "extras": [{"key": key, "value": value} for key, value in extras.items() if value],
        "relationships_as_object": [],
        "relationships_as_subject": [],
    }
