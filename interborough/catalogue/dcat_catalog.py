"""The DCAT-AP catalogue export: which datasets a page lists, and its serialisations.

The catalogue lists published datasets only (restricted ones included: their metadata is
open), oldest first so pages stay stable while datasets are added, `PER_PAGE` to a page.
`modified_since` keeps datasets whose metadata or data changed at or after that time. Paging
follows CKAN's DCAT extension: the page's own URL is a hydra:PagedCollection with
hydra:totalItems, hydra:itemsPerPage and hydra:firstPage / lastPage / nextPage / previousPage.
"""

from dataclasses import dataclass
from datetime import datetime, time
from urllib.parse import urlencode

from django.db.models import Max, Prefetch, Q, QuerySet
from django.utils import dateparse, timezone
from rdflib import Graph

from interborough.accounts.models import Organisation
from interborough.catalogue import dcat
from interborough.catalogue.dcat_vocab import PREFIXES
from interborough.catalogue.models import Dataset, DatasetStatus, Resource
from interborough.core.errors import ApplicationError

PER_PAGE = 100

# The `fmt` in catalog.<fmt> and dcat.<fmt> -> (rdflib serialiser, Content-Type).
SERIALISATIONS = {
    "ttl": ("turtle", "text/turtle; charset=utf-8"),
    "jsonld": ("json-ld", "application/ld+json"),
    "rdf": ("xml", "application/rdf+xml"),
}


def parse_modified_since(text: str) -> datetime:
    """An ISO 8601 date or date-time as an aware date-time (a date means its midnight, and a
    time without a zone is in the site's zone)."""
    value = text.strip()
    try:
        moment = dateparse.parse_datetime(value)
        day = None if moment else dateparse.parse_date(value)
    except ValueError:
        moment = day = None
    if moment is None and day is not None:
        moment = datetime.combine(day, time.min)
    if moment is None:
        raise ApplicationError(
            f"modified_since must be an ISO 8601 date or date and time, such as 2025-01-31 or "
            f"2025-01-31T09:00:00Z, not “{value[:40]}”.",
            field="modified_since",
        )
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def parse_page(text: str) -> int:
    """A page number: a whole number from 1."""
    value = text.strip()
    if not value.isdigit() or int(value) < 1 or len(value) > 9:
        raise ApplicationError("page must be a whole number from 1.", field="page")
    return int(value)


def with_dcat_related(datasets: QuerySet[Dataset]) -> QuerySet[Dataset]:
    """Load everything the DCAT description of each dataset reads, in a fixed few queries."""
    places = Organisation.objects.defer("boundary")
    return (
        datasets.select_related("publisher")
        .defer("publisher__boundary")
        .prefetch_related(
            "topics",
            "keywords",
            Prefetch("boroughs", queryset=places),
            Prefetch("resources", queryset=Resource.objects.select_related("latest")),
        )
    )


def catalogue_datasets(*, modified_since: datetime | None = None) -> QuerySet[Dataset]:
    """Published datasets, oldest first, changed at or after `modified_since` if given."""
    datasets = Dataset.objects.filter(status=DatasetStatus.PUBLISHED)
    if modified_since is not None:
        datasets = datasets.filter(
            Q(updated_at__gte=modified_since) | Q(last_version_at__gte=modified_since)
        )
    return datasets.order_by("pk")


@dataclass(frozen=True)
class CataloguePage:
    datasets: list[Dataset]
    number: int
    total: int
    last: int  # the last page's number (1 for an empty catalogue)
    per_page: int


def catalogue_page(
    *, number: int = 1, modified_since: datetime | None = None, per_page: int | None = None
) -> CataloguePage:
    """One page of the catalogue; a page past the last is an ApplicationError."""
    per_page = per_page or PER_PAGE
    datasets = catalogue_datasets(modified_since=modified_since)
    total = datasets.count()
    last = max(1, -(-total // per_page))
    if number > last:
        raise ApplicationError(f"There are only {last} page(s).", field="page", code="not_found")
    start = (number - 1) * per_page
    rows = list(with_dcat_related(datasets)[start : start + per_page])
    return CataloguePage(datasets=rows, number=number, total=total, last=last, per_page=per_page)


def catalogue_modified() -> datetime | None:
    """When any published dataset's metadata or data last changed."""
    latest = Dataset.objects.filter(status=DatasetStatus.PUBLISHED).aggregate(
        edited=Max("updated_at"), data=Max("last_version_at")
    )
    times = [t for t in latest.values() if t is not None]
    return max(times) if times else None


def catalogue_graph(page: CataloguePage, *, url: str, query: dict[str, str]) -> Graph:
    """The catalogue with one page of datasets; `url` is the export's absolute URL without a
    query string and `query` the parameters (other than page) every page link keeps."""

    def page_url(number: int) -> str:
        return url + "?" + urlencode({**query, "page": number})

    graph = dcat.new_graph()
    dcat.add_catalogue(graph, page.datasets, catalogue_modified())
    links = {"first": page_url(1), "last": page_url(page.last)}
    if page.number < page.last:
        links["next"] = page_url(page.number + 1)
    if page.number > 1:
        links["previous"] = page_url(page.number - 1)
    dcat.add_paging(
        graph, page_url=page_url(page.number), total=page.total, per_page=page.per_page, links=links
    )
    return graph


def serialise(graph: Graph, fmt: str) -> bytes:
    """The graph as Turtle, JSON-LD (compacted with the DCAT-AP prefixes) or RDF/XML."""
    name = SERIALISATIONS[fmt][0]
    if name == "json-ld":
        context = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
        text = graph.serialize(format=name, context=context, auto_compact=True)
    else:
        text = graph.serialize(format=name)
    return text.encode("utf-8")
