"""Reading another DCAT catalogue (Turtle, RDF/XML or JSON-LD), following hydra:nextPage.

Pure (no Django models): yields RemoteDataset records; services/harvest.py maps them. JSON-LD
that names a remote @context is refused: rdflib would fetch it without our limits.
"""

import json
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any
from urllib.parse import urljoin

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF
from rdflib.term import Node

from interborough.catalogue.dcat_vocab import (
    DATA_THEME,
    FILE_TYPE,
    FREQUENCY,
    GSS,
    HYDRA,
    VCARD,
)
from interborough.catalogue.harvest_fetch import (
    Deadline,
    Fetched,
    HarvestError,
    Limits,
    RemoteDataset,
    RemoteResource,
    client,
    fetch,
)

SCHEMA_ORG = "http://schema.org/"
# Content-Type (or file suffix) -> rdflib parser.
PARSERS = {
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/rdf+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "application/ld+json": "json-ld",
    "application/json": "json-ld",
}
SUFFIXES = {
    ".ttl": "turtle",
    ".rdf": "xml",
    ".xml": "xml",
    ".jsonld": "json-ld",
    ".json": "json-ld",
}


def _has_remote_context(value: Any) -> bool:
    if isinstance(value, dict):
        context = value.get("@context")
        contexts = context if isinstance(context, list) else [context]
        if any(isinstance(c, str) for c in contexts):
            return True
        return any(_has_remote_context(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_remote_context(v) for v in value)
    return False


def parse(fetched: Fetched) -> Graph:
    """The fetched document as a graph; HarvestError if it is not RDF we can read."""
    parser = PARSERS.get(fetched.content_type)
    if parser is None:
        path = fetched.url.split("?")[0].lower()
        parser = next((p for suffix, p in SUFFIXES.items() if path.endswith(suffix)), "turtle")
    if parser == "json-ld":
        try:
            document = json.loads(fetched.body)
        except (ValueError, UnicodeDecodeError):
            raise HarvestError(f"{fetched.url[:200]} is not valid JSON-LD.") from None
        if _has_remote_context(document):
            raise HarvestError(
                f"{fetched.url[:200]} uses a remote JSON-LD @context, which is not fetched."
            )
    graph = Graph()
    try:
        graph.parse(data=fetched.body, format=parser, publicID=fetched.url)
    except Exception:  # rdflib raises many kinds for bad input; all mean the same to a person
        raise HarvestError(f"{fetched.url[:200]} is not a DCAT catalogue we can read.") from None
    return graph


def _text(graph: Graph, node: Node, prop: URIRef) -> str:
    values = [v for v in graph.objects(node, prop) if isinstance(v, Literal)]
    english = [v for v in values if (v.language or "en").lower().startswith("en")]
    chosen = english or values
    return str(chosen[0]).strip() if chosen else ""


def _code(value: Node | None, base: str) -> str:
    text = str(value or "")
    return text[len(base) :] if text.startswith(base) else ""


def _day(value: Node | None) -> date | None:
    if not isinstance(value, Literal):
        return None
    python = value.toPython()
    if isinstance(python, datetime):
        return python.date()
    return python if isinstance(python, date) else None


def _period(graph: Graph, node: Node) -> tuple[date | None, date | None]:
    period = graph.value(node, DCTERMS.temporal)
    if period is None:
        return None, None
    start = graph.value(period, DCAT.startDate) or graph.value(
        period, URIRef(SCHEMA_ORG + "startDate")
    )
    end = graph.value(period, DCAT.endDate) or graph.value(period, URIRef(SCHEMA_ORG + "endDate"))
    return _day(start), _day(end)


def _format(graph: Graph, distribution: Node) -> str:
    value = graph.value(distribution, DCTERMS["format"]) or graph.value(
        distribution, DCAT.mediaType
    )
    if value is None:
        return ""
    text = str(graph.value(value, RDF.value) or value)
    return (_code(value, str(FILE_TYPE)) or text.rstrip("/").rsplit("/", 1)[-1]).upper()[:20]


def _resources(graph: Graph, node: Node) -> tuple[RemoteResource, ...]:
    found = []
    for distribution in graph.objects(node, DCAT.distribution):
        url = graph.value(distribution, DCAT.downloadURL) or graph.value(
            distribution, DCAT.accessURL
        )
        name = _text(graph, distribution, DCTERMS.title) or str(url or "Distribution")
        found.append(
            RemoteResource(name=name, url=str(url or ""), format=_format(graph, distribution))
        )
    return tuple(sorted(found, key=lambda r: (r.name, r.url)))


def to_remote(graph: Graph, node: Node) -> RemoteDataset:
    """One dcat:Dataset as a RemoteDataset; raises HarvestError without an identity or title."""
    identifier = _text(graph, node, DCTERMS.identifier) or (
        str(node) if isinstance(node, URIRef) else ""
    )
    if not identifier:
        raise HarvestError("A dataset has neither a dct:identifier nor an IRI.")
    title = _text(graph, node, DCTERMS.title)
    if not title:
        raise HarvestError(f"The dataset {identifier[:200]} has no title.")
    landing = graph.value(node, DCAT.landingPage) or (node if isinstance(node, URIRef) else "")
    contact = graph.value(node, DCAT.contactPoint)
    email = str(graph.value(contact, VCARD.hasEmail) or "") if contact is not None else ""
    licence = graph.value(node, DCTERMS.license)
    if licence is None:
        licences = [graph.value(d, DCTERMS.license) for d in graph.objects(node, DCAT.distribution)]
        licence = next((v for v in licences if v is not None), None)
    start, end = _period(graph, node)
    keywords = sorted({str(k).strip() for k in graph.objects(node, DCAT.keyword) if str(k).strip()})
    return RemoteDataset(
        identifier=identifier,
        title=title,
        description=_text(graph, node, DCTERMS.description),
        landing_url=str(landing),
        keywords=tuple(keywords),
        licence_url=str(licence or ""),
        contact_name=_text(graph, contact, VCARD.fn) if contact is not None else "",
        contact_email=email.removeprefix("mailto:"),
        themes=tuple(
            sorted({c for t in graph.objects(node, DCAT.theme) if (c := _code(t, str(DATA_THEME)))})
        ),
        gss_codes=tuple(
            sorted({c for p in graph.objects(node, DCTERMS.spatial) if (c := _code(p, str(GSS)))})
        ),
        frequency=_code(graph.value(node, DCTERMS.accrualPeriodicity), str(FREQUENCY)),
        temporal_start=start,
        temporal_end=end,
        resources=_resources(graph, node),
    )


def _next_page(graph: Graph, url: str) -> str | None:
    following = next(iter(graph.objects(None, HYDRA.nextPage)), None)
    return urljoin(url, str(following)) if following is not None else None


def dcat_datasets(
    url: str, limits: Limits, deadline: Deadline, problems: list[str]
) -> Iterator[RemoteDataset]:
    """Every dcat:Dataset of the catalogue, following hydra:nextPage; a dataset that cannot be
    read is noted in `problems` and skipped, a page that cannot be read ends the harvest."""
    seen: set[str] = set()
    page_url: str | None = url
    with client(limits) as http:
        for _page_number in range(limits.max_pages):
            if page_url is None or page_url in seen:
                return
            seen.add(page_url)
            graph = parse(fetch(http, page_url, limits, deadline))
            for node in sorted(graph.subjects(RDF.type, DCAT.Dataset), key=str):
                try:
                    yield to_remote(graph, node)
                except HarvestError as error:
                    problems.append(str(error))
            page_url = _next_page(graph, page_url)
    if page_url is not None and page_url not in seen:
        raise HarvestError(
            f"The catalogue has more than {limits.max_pages} pages; harvest stopped."
        )
