"""schema.org Dataset JSON-LD for a dataset's page, so search engines understand it
(https://schema.org/Dataset, and Google's dataset search guidance).

The dict is built here; `jsonld_script` writes it into the page as a
`<script type="application/ld+json">` element with `<`, `>` and `&` escaped, so no value (a
title containing `</script>`, say) can end the element early.
"""

import json
from collections.abc import Callable, Sequence
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from interborough.catalogue.licences import licence_info
from interborough.catalogue.models import AccessLevel, Dataset, Resource

# How each stored format is served by the download route (resource's latest version as CSV).
DOWNLOAD_FORMAT = "csv"
DOWNLOAD_MEDIA_TYPE = "text/csv"
# As Django's json_script: these three cannot then close the element or start markup.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}
ACCESS_CONDITIONS = {
    AccessLevel.SIGNED_IN: "Sign in to Interborough to download the data.",
    AccessLevel.RESTRICTED: "Restricted: request access from the publisher to download the data.",
}

Absolute = Callable[[str], str]  # a path made into a full URL (request.build_absolute_uri)


def download_path(dataset: Dataset, resource: Resource) -> str:
    """The latest version of a resource, as CSV."""
    return reverse(
        "catalogue:resource-download",
        kwargs={"slug": dataset.slug, "resource_id": resource.pk, "fmt": DOWNLOAD_FORMAT},
    )


def _organisation(dataset: Dataset, absolute: Absolute) -> dict[str, Any]:
    publisher = dataset.publisher
    return {
        "@type": "Organization",
        "name": publisher.name,
        "url": absolute(reverse("accounts:organisation-detail", kwargs={"slug": publisher.slug})),
    }


def _temporal(dataset: Dataset) -> str:
    if not (dataset.temporal_start or dataset.temporal_end):
        return ""
    start = dataset.temporal_start.isoformat() if dataset.temporal_start else ".."
    end = dataset.temporal_end.isoformat() if dataset.temporal_end else ".."
    return f"{start}/{end}"


def _places(dataset: Dataset) -> list[dict[str, Any]]:
    return [
        {
            "@type": "Place",
            "name": borough.name,
            **({"identifier": borough.gss_code} if borough.gss_code else {}),
        }
        for borough in dataset.boroughs.all()
    ]


def dataset_jsonld(
    dataset: Dataset, resources: Sequence[Resource], *, absolute: Absolute
) -> dict[str, Any]:
    """The dataset as a schema.org Dataset; each resource with a ready version is a download."""
    url = absolute(reverse("catalogue:dataset-detail", kwargs={"slug": dataset.slug}))
    organisation = _organisation(dataset, absolute)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "@id": url,
        "name": dataset.title,
        "description": dataset.description,
        "url": url,
        "identifier": url,
        "creator": organisation,
        "publisher": organisation,
        "keywords": [t.name for t in dataset.topics.all()]
        + [k.name for k in dataset.keywords.all()],
        "isAccessibleForFree": True,
        "dateModified": (dataset.last_version_at or dataset.updated_at).isoformat(),
    }
    if licence := licence_info(dataset.licence).url:
        data["license"] = licence
    if dataset.published_at:
        data["datePublished"] = dataset.published_at.isoformat()
    if places := _places(dataset):
        data["spatialCoverage"] = places
    if temporal := _temporal(dataset):
        data["temporalCoverage"] = temporal
    if conditions := ACCESS_CONDITIONS.get(AccessLevel(dataset.access_level)):
        data["conditionsOfAccess"] = conditions
    data["distribution"] = [
        {
            "@type": "DataDownload",
            "name": resource.name,
            "encodingFormat": DOWNLOAD_MEDIA_TYPE,
            "contentUrl": absolute(download_path(dataset, resource)),
        }
        for resource in resources
        if resource.latest_id is not None
    ]
    return data


def jsonld_script(data: dict[str, Any]) -> SafeString:
    """The data as a `<script type="application/ld+json">` element that nothing can break out of."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308  (escaped above)
