"""Who may reach the dataset pages, resources, uploads and versions.

The world's `dataset` is Camden's, published and open, with `resource` (one ready version whose
schema was inferred, so it waits to be confirmed); `draft` is Camden's too. Datasets are
changed only by publishers and admins of the publisher, never by platform staff (the record is
the borough's): others who can see the dataset get 403, others 404.
"""

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.access.rules import ORG_ROLE, PUBLIC, Route
from tests.access.world import World
from tests.factories.catalogue import WARD_COUNTS

# Publishers and admins of the dataset's publisher; never staff.
EDITORS = ORG_ROLE("publisher", "org_admin", staff=False)
GET_POST = ("GET", "POST")


def dataset_form(world: World) -> dict[str, Any]:
    return {
        "title": "Camden air quality monitoring",
        "description": "Hourly **nitrogen dioxide** readings from Camden's monitors.",
        "licence": "OGL-UK-3.0",
        "topics": ["environment"],
        "keywords": "air quality, no2",
        "frequency": "MONTHLY",
        "access_level": "open",
        "classification": "official",
    }


def _file(world: World) -> dict[str, Any]:
    return {"file": SimpleUploadedFile("counts.csv", WARD_COUNTS, content_type="text/csv")}


def _dataset(world: World) -> dict[str, Any]:
    return {"slug": world.catalogue.dataset.slug}


def _resource(world: World) -> dict[str, Any]:
    return {**_dataset(world), "resource_id": world.catalogue.resource.pk}


def _version(world: World) -> dict[str, Any]:
    return {**_resource(world), "number": world.catalogue.resource.latest.number}


def _schema_form(world: World) -> dict[str, Any]:
    fields = world.catalogue.resource.latest.schema["fields"]
    data = {}
    for i, field in enumerate(fields):
        data |= {f"fields-{i}-title": field["name"].title(), f"fields-{i}-type": field["type"]}
    return data


ACCESS = {
    "catalogue:dataset-create": Route(
        EDITORS,
        methods=GET_POST,
        data=dataset_form,
        path=lambda w: f"{reverse('catalogue:dataset-create')}?organisation={w.organisation.slug}",
        note="the organisation is named by ?organisation=<slug> (or chosen on the form)",
    ),
    "catalogue:dataset-detail": Route(PUBLIC, kwargs=_dataset),
    "catalogue:dataset-edit": Route(EDITORS, kwargs=_dataset, methods=GET_POST, data=dataset_form),
    "catalogue:dataset-publish": Route(
        EDITORS, kwargs=lambda w: {"slug": w.catalogue.draft.slug}, methods=GET_POST
    ),
    "catalogue:dataset-withdraw": Route(EDITORS, kwargs=_dataset, methods=GET_POST),
    "catalogue:resource-create": Route(
        EDITORS,
        kwargs=_dataset,
        methods=GET_POST,
        data=lambda w: {"name": "Counts by ward, 2026", **_file(w)},
    ),
    "catalogue:resource-detail": Route(PUBLIC, kwargs=_resource),
    "catalogue:version-upload": Route(EDITORS, kwargs=_resource, methods=GET_POST, data=_file),
    "catalogue:version-detail": Route(PUBLIC, kwargs=_version),
    "catalogue:version-status": Route(PUBLIC, kwargs=_version),
    "catalogue:version-schema": Route(
        EDITORS, kwargs=_version, methods=GET_POST, data=_schema_form
    ),
}
