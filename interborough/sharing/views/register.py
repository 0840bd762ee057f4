"""The public register of data sharing agreements and what is published beside it: the register
page and its CSV and JSON exports, the agreement document's JSON Schema, and the audit trail's
daily head hashes. Every page here is public: residents read them without signing in.

The rows themselves are built in `interborough.sharing.register`.
"""

import copy
import json
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from interborough.core.csv_export import csv_download
from interborough.core.search_page import pagination
from interborough.sharing import selectors
from interborough.sharing.models import AGREED_STATUSES, AgreementStatus, DataSharingAgreement
from interborough.sharing.register import REGISTER_COLUMNS, csv_cells, register_row
from interborough.sharing.schema import AGREEMENT_SCHEMA

PAGE_SIZE = 20
Q_MAX_LENGTH = 200


def _filters(request: HttpRequest) -> dict[str, str]:
    """The register's filters from the query string; values it does not know are ignored."""
    q = request.GET.get("q", "").strip()[:Q_MAX_LENGTH]
    status = request.GET.get("status", "")
    organisation = request.GET.get("organisation", "").strip()[:100]
    return {
        "q": q,
        "status": status if status in AGREED_STATUSES else "",
        "organisation": organisation,
    }


def _ids(filters: dict[str, str]) -> QuerySet[DataSharingAgreement, int]:
    """The register's agreement ids in order: read the rows with selectors.register_agreements."""
    return selectors.register_list(**filters).values_list("pk", flat=True)


def _rows(request: HttpRequest, agreements: Iterable[DataSharingAgreement]) -> list[dict]:
    return [
        register_row(
            a,
            url=request.build_absolute_uri(
                reverse("sharing:version-detail", args=[a.reference, a.version])
            ),
        )
        for a in agreements
    ]


class _Page:
    """A Django page as core.search_page.pagination expects it."""

    def __init__(self, page: Any) -> None:
        self.page = page.number
        self.pages = page.paginator.num_pages


@require_safe
def register(request: HttpRequest) -> HttpResponse:
    """The public register: search, filter by status and organisation, and page through."""
    filters = _filters(request)
    # One pass over the register for the count and the page (a few thousand ids at most).
    page = Paginator(list(_ids(filters)), PAGE_SIZE).get_page(request.GET.get("page"))
    agreements = selectors.register_agreements(list(page.object_list))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "sharing/register/register.html",
        {
            "filters": filters,
            "page": page,
            "rows": list(zip(agreements, _rows(request, agreements), strict=True)),
            "pagination": pagination(_Page(page), request.GET),
            "statuses": [
                (s, AgreementStatus(s).label) for s in AgreementStatus if s in AGREED_STATUSES
            ],
            "organisations": selectors.register_organisations(),
            "export_query": query.urlencode(),
        },
    )


@require_safe
def register_csv(request: HttpRequest) -> StreamingHttpResponse:
    """Every register row matching the filters, as CSV (cells safe from formula injection)."""
    rows = _rows(request, selectors.register_agreements(list(_ids(_filters(request)))))
    return csv_download(
        "agreements-register.csv",
        [key for key, _ in REGISTER_COLUMNS],
        (csv_cells(row) for row in rows),
    )


@require_safe
def register_json(request: HttpRequest) -> HttpResponse:
    """Every register row matching the filters, as a JSON list of objects."""
    rows = _rows(request, selectors.register_agreements(list(_ids(_filters(request)))))
    response = JsonResponse(rows, safe=False, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"  # open data: any site may read it
    return response


@require_safe
@cache_control(public=True, max_age=3600)
def schema(request: HttpRequest) -> HttpResponse:
    """The agreement document's JSON Schema, its `$id` this page's stable address (the site's
    configured address, never the Host header a request happens to carry)."""
    published = copy.deepcopy(AGREEMENT_SCHEMA)
    published["$id"] = settings.SITE_URL.rstrip("/") + reverse("sharing:schema")
    response = HttpResponse(
        json.dumps(published, indent=2, ensure_ascii=False),
        content_type="application/schema+json; charset=utf-8",
    )
    response["Access-Control-Allow-Origin"] = "*"  # validators on other sites fetch it
    return response


@require_safe
def audit_heads(request: HttpRequest) -> HttpResponse:
    """The audit trail's published head hashes, newest first, and how to check them."""
    return render(
        request,
        "sharing/register/audit_heads.html",
        {"publications": selectors.audit_head_publications()},
    )


@require_safe
def audit_heads_json(request: HttpRequest) -> HttpResponse:
    """The published head hashes as JSON, newest first."""
    heads = [
        {
            "day": p.day.isoformat(),
            "sequence": p.sequence,
            "head_hash": p.head_hash,
            "published_at": p.published_at.isoformat(),
        }
        for p in selectors.audit_head_publications()
    ]
    response = JsonResponse(heads, safe=False)
    response["Access-Control-Allow-Origin"] = "*"
    return response
