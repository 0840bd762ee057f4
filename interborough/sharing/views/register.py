"""The public register of data sharing agreements and what is published beside it: the register
page and its CSV and JSON exports, the agreement document's JSON Schema, and the audit trail's
daily head hashes. Every page here is public: residents read them without signing in.

The register's columns are a superset of the Digital Economy Act 2017 register's (name, purpose,
benefits, legal power, data, controllers, processors, method, retention, dates, contact); the
page, the CSV and the JSON carry the same rows with the same keys (`REGISTER_COLUMNS`).
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

from interborough.accounts.models import Organisation
from interborough.core.csv_export import csv_download
from interborough.core.search_page import pagination
from interborough.sharing import selectors, vocab
from interborough.sharing.models import AGREED_STATUSES, AgreementStatus, DataSharingAgreement
from interborough.sharing.schema import AGREEMENT_SCHEMA

PAGE_SIZE = 20
Q_MAX_LENGTH = 200
CONTROLLER_ROLES = frozenset({"controller", "joint_controller"})

# Every column of the register: key (the CSV header and the JSON key), then the page's heading.
REGISTER_COLUMNS: list[tuple[str, str]] = [
    ("reference", "Reference"),
    ("version", "Version"),
    ("name", "Name"),
    ("status", "Status"),
    ("summary", "Summary"),
    ("purpose", "Purpose"),
    ("benefits", "Benefits"),
    ("legal_power", "Legal power"),
    ("data", "Data"),
    ("data_subjects", "Whose data"),
    ("controllers", "Controllers"),
    ("processors", "Processors"),
    ("method", "Method"),
    ("retention", "Retention"),
    ("start_date", "Start date"),
    ("end_date", "End date"),
    ("review_date", "Review date"),
    ("contact", "Contact"),
    ("url", "Address"),
]
# Columns that hold several values: lists in the JSON, joined with "; " in the CSV.
LIST_COLUMNS = frozenset(
    {"legal_power", "data", "data_subjects", "controllers", "processors", "retention"}
)


def _section(document: dict[str, Any], key: str) -> dict[str, Any]:
    value = document.get(key)
    return value if isinstance(value, dict) else {}


def _items(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _retention(dataset: dict[str, Any]) -> str:
    months = _section(dataset, "retention").get("period_months")
    kept = f"kept {months} months" if isinstance(months, int) else "retention not given"
    return f"{dataset.get('title') or dataset.get('key') or 'Dataset'}: {kept}"


def register_row(agreement: DataSharingAgreement, *, url: str) -> dict[str, Any]:
    """One agreement version as a register row, keyed as `REGISTER_COLUMNS` (lists unjoined)."""
    document = agreement.document if isinstance(agreement.document, dict) else {}
    purpose = _section(document, "purpose")
    data = _section(document, "data")
    datasets = _items(data.get("datasets"))
    parties = list(agreement.parties.all())
    method = _section(document, "processing").get("sharing_method")
    return {
        "reference": agreement.reference,
        "version": agreement.version,
        "name": agreement.title,
        "status": agreement.status,
        "summary": agreement.public_summary,
        "purpose": purpose.get("description") or "",
        "benefits": purpose.get("public_benefit") or "",
        "legal_power": [
            str(
                g.get("citation") or vocab.STATUTORY_GATEWAYS.get(str(g.get("code")), g.get("code"))
            )
            for g in _items(_section(document, "legal_basis").get("statutory_gateways"))
        ],
        "data": [str(d.get("title") or d.get("key")) for d in datasets],
        "data_subjects": [str(s) for s in data.get("data_subjects") or [] if s],
        "controllers": [p.organisation.name for p in parties if p.role in CONTROLLER_ROLES],
        "processors": [p.organisation.name for p in parties if p.role not in CONTROLLER_ROLES],
        "method": vocab.SHARING_METHODS.get(method, method or "")
        if isinstance(method, str)
        else "",
        "retention": [_retention(d) for d in datasets],
        "start_date": agreement.start_date.isoformat() if agreement.start_date else None,
        "end_date": agreement.end_date.isoformat() if agreement.end_date else None,
        "review_date": agreement.review_date.isoformat() if agreement.review_date else None,
        "contact": str(_section(document, "register").get("contact") or ""),
        "url": url,
    }


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


def _agreements(filters: dict[str, str]) -> QuerySet[DataSharingAgreement]:
    return selectors.register_list(**filters)


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
    page = Paginator(_agreements(filters), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "sharing/register/register.html",
        {
            "filters": filters,
            "page": page,
            "rows": list(zip(page.object_list, _rows(request, page.object_list), strict=True)),
            "pagination": pagination(_Page(page), request.GET),
            "statuses": [
                (s, AgreementStatus(s).label) for s in AgreementStatus if s in AGREED_STATUSES
            ],
            "organisations": Organisation.objects.filter(
                agreement_parties__agreement__in=selectors.register_list()
            )
            .distinct()
            .order_by("name"),
            "export_query": query.urlencode(),
        },
    )


def _exported(row: dict[str, Any]) -> list[Any]:
    return ["; ".join(row[key]) if key in LIST_COLUMNS else row[key] for key, _ in REGISTER_COLUMNS]


@require_safe
def register_csv(request: HttpRequest) -> StreamingHttpResponse:
    """Every register row matching the filters, as CSV (cells safe from formula injection)."""
    rows = _rows(request, _agreements(_filters(request)))
    return csv_download(
        "agreements-register.csv",
        [key for key, _ in REGISTER_COLUMNS],
        (_exported(row) for row in rows),
    )


@require_safe
def register_json(request: HttpRequest) -> HttpResponse:
    """Every register row matching the filters, as a JSON list of objects."""
    rows = _rows(request, _agreements(_filters(request)))
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
