"""Standard exports: the DCAT-AP 3 catalogue and dataset descriptions, and Frictionless Data
Packages (the descriptor for anyone who may see the dataset, the zip for those who may read
its data)."""

import tempfile

from django.contrib.auth.views import redirect_to_login
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    JsonResponse,
)
from django.urls import reverse
from django.views.decorators.http import require_safe

from interborough.catalogue import datapackage, dcat, dcat_catalog, permissions
from interborough.catalogue.models import Dataset, UsageKind
from interborough.catalogue.services.usage import data_read_record
from interborough.catalogue.views import viewer_of
from interborough.core.errors import ApplicationError, PermissionDeniedError


def _serialisation(fmt: str) -> tuple[str, str]:
    if fmt not in dcat_catalog.SERIALISATIONS:
        raise Http404
    return dcat_catalog.SERIALISATIONS[fmt]


def _bad_request(message: str) -> HttpResponseBadRequest:
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


def _viewable_dataset(request: HttpRequest, slug: str) -> Dataset:
    """The dataset with what its exports read loaded, or a 404 if the person may not see it."""
    dataset = dcat_catalog.with_dcat_related(Dataset.objects.filter(slug=slug)).first()
    if dataset is None or not permissions.can_view_dataset(viewer_of(request), dataset):
        raise Http404
    return dataset


@require_safe
def catalog(request: HttpRequest, fmt: str) -> HttpResponse:
    """The whole catalogue as DCAT-AP 3, paged (`page`), optionally only what changed since
    `modified_since` (an ISO 8601 date or date and time)."""
    _, content_type = _serialisation(fmt)
    query: dict[str, str] = {}
    try:
        number = dcat_catalog.parse_page(request.GET.get("page", "1"))
        since = None
        if "modified_since" in request.GET:
            query["modified_since"] = request.GET["modified_since"]
            since = dcat_catalog.parse_modified_since(query["modified_since"])
        page = dcat_catalog.catalogue_page(number=number, modified_since=since)
    except ApplicationError as error:
        if error.code == "not_found":
            raise Http404(error.message) from None
        return _bad_request(error.message)
    url = dcat.absolute(reverse("catalogue:catalog", kwargs={"fmt": fmt}))
    graph = dcat_catalog.catalogue_graph(page, url=url, query=query)
    return HttpResponse(dcat_catalog.serialise(graph, fmt), content_type=content_type)


@require_safe
def dataset_dcat(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """One dataset as DCAT-AP 3 (for anyone who may see its page)."""
    _, content_type = _serialisation(fmt)
    dataset = _viewable_dataset(request, slug)
    body = dcat_catalog.serialise(dcat.dataset_graph(dataset), fmt)
    return HttpResponse(body, content_type=content_type)


@require_safe
def dataset_datapackage(request: HttpRequest, slug: str) -> JsonResponse:
    """The dataset's Data Package descriptor, pointing at each resource's latest upload."""
    dataset = _viewable_dataset(request, slug)
    return JsonResponse(
        datapackage.remote_descriptor(dataset), json_dumps_params={"ensure_ascii": False}
    )


@require_safe
def dataset_datapackage_zip(request: HttpRequest, slug: str) -> FileResponse:
    """The dataset's data as a self-contained Data Package (a zip of CSVs and the descriptor),
    for those who may read its data: 404 if they may not see it, else sign in or 403."""
    dataset = _viewable_dataset(request, slug)
    viewer = viewer_of(request)
    if not permissions.can_read_data(viewer, dataset):
        if not permissions.is_signed_in(viewer):
            return redirect_to_login(request.get_full_path())  # type: ignore[return-value]
        raise PermissionDeniedError("You need access to this dataset to download its data.")
    data_read_record(
        by=viewer, dataset=dataset, resource=None, how="datapackage", kind=UsageKind.DOWNLOAD
    )
    archive = tempfile.TemporaryFile()  # noqa: SIM115  (FileResponse closes it)
    datapackage.write_zip(dataset, archive)
    archive.seek(0)
    return FileResponse(
        archive,
        as_attachment=True,
        filename=datapackage.zip_name(dataset),
        content_type="application/zip",
    )
