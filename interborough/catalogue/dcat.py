"""DCAT-AP 3 descriptions of the catalogue and of each dataset, as rdflib graphs.

IRIs are the absolute URLs of the pages that describe each thing (settings.SITE_URL), with a
fragment naming the thing rather than the page: `/datasets/<slug>/#dataset`. Each resource
gives two distributions: its latest data as CSV at a URL that never changes (no checksum: the
file is generated), and the latest version as uploaded, whose size and SHA-256 are exact.
The whole catalogue is paged with hydra:PagedCollection (as CKAN's DCAT extension does):
see dcat_catalog.py.
"""

from collections.abc import Iterable
from datetime import date, datetime

from django.conf import settings
from django.urls import reverse
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, XSD

from interborough.accounts.models import Organisation
from interborough.catalogue.dcat_vocab import (
    ACCESS_RIGHTS,
    DATA_THEME,
    ENGLISH,
    FILE_TYPE,
    FREQUENCY,
    GSS,
    HYDRA,
    IANA_MEDIA,
    PREFIXES,
    SHA256,
    SPDX,
    VCARD,
    file_type,
    media_type,
)
from interborough.catalogue.licences import licence_info
from interborough.catalogue.models import Dataset, Licence, Resource, ResourceVersion

CATALOGUE_TITLE = "Interborough city data store"
CATALOGUE_DESCRIPTION = (
    "Open and restricted datasets published by London's local authorities and their partners. "
    "The metadata of every published dataset is open; restricted data needs a grant."
)
PLATFORM_NAME = "Interborough"
CATALOGUE_LICENCE = licence_info(Licence.OGL_3).url  # the metadata itself is open
RESTRICTED_TERMS = "No open licence: the data may be used only under the dataset's access terms."


def absolute(path: str) -> str:
    """A path on this site as an absolute URL."""
    return settings.SITE_URL.rstrip("/") + path


def new_graph() -> Graph:
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    return graph


def _text(value: str) -> Literal:
    return Literal(value, lang="en")


def _when(value: datetime | date) -> Literal:
    if isinstance(value, datetime):
        return Literal(value.replace(microsecond=0), datatype=XSD.dateTime)
    return Literal(value, datatype=XSD.date)


def _modified(dataset: Dataset) -> datetime:
    """The later of a metadata edit and a new version landing."""
    times = [t for t in (dataset.updated_at, dataset.last_version_at) if t is not None]
    return max(times)


def catalogue_iri() -> URIRef:
    return URIRef(absolute(reverse("catalogue:dataset-list")) + "#catalog")


def dataset_iri(dataset: Dataset) -> URIRef:
    return URIRef(landing_page(dataset) + "#dataset")


def landing_page(dataset: Dataset) -> str:
    return absolute(reverse("catalogue:dataset-detail", kwargs={"slug": dataset.slug}))


def _organisation_page(organisation: Organisation) -> str:
    return absolute(reverse("accounts:organisation-detail", kwargs={"slug": organisation.slug}))


def add_agent(graph: Graph, organisation: Organisation) -> URIRef:
    """The organisation as a foaf:Organization with its name and home page."""
    agent = URIRef(_organisation_page(organisation) + "#organisation")
    graph.add((agent, RDF.type, FOAF.Agent))
    graph.add((agent, RDF.type, FOAF.Organization))
    graph.add((agent, FOAF.name, _text(organisation.name)))
    if organisation.website:
        graph.add((agent, FOAF.homepage, URIRef(organisation.website)))
    return agent


def add_location(graph: Graph, organisation: Organisation) -> URIRef:
    """A borough as a place: its ONS GSS URI when it has a code, else its page here."""
    if organisation.gss_code:
        place = GSS[organisation.gss_code]
    else:
        place = URIRef(organisation.website or _organisation_page(organisation))
    graph.add((place, RDF.type, DCTERMS.Location))
    graph.add((place, SKOS.prefLabel, _text(organisation.name)))
    return place


def _licence(graph: Graph, subject: URIRef | BNode, code: str) -> None:
    uri = licence_info(code).url
    if not uri:
        statement = BNode()
        graph.add((statement, RDF.type, DCTERMS.RightsStatement))
        graph.add((statement, DCTERMS.description, _text(RESTRICTED_TERMS)))
        graph.add((subject, DCTERMS.rights, statement))
        return
    graph.add((subject, DCTERMS.license, URIRef(uri)))
    graph.add((URIRef(uri), RDF.type, DCTERMS.LicenseDocument))


def _contact(graph: Graph, dataset: Dataset) -> BNode:
    contact = BNode()
    graph.add((contact, RDF.type, VCARD.Kind))
    graph.add((contact, RDF.type, VCARD.Organization))
    graph.add((contact, VCARD.fn, Literal(dataset.contact_name or dataset.publisher.name)))
    if dataset.contact_email:
        graph.add((contact, VCARD.hasEmail, URIRef(f"mailto:{dataset.contact_email}")))
    return contact


def _temporal(graph: Graph, dataset: Dataset) -> BNode | None:
    if dataset.temporal_start is None and dataset.temporal_end is None:
        return None
    period = BNode()
    graph.add((period, RDF.type, DCTERMS.PeriodOfTime))
    if dataset.temporal_start:
        graph.add((period, DCAT.startDate, _when(dataset.temporal_start)))
    if dataset.temporal_end:
        graph.add((period, DCAT.endDate, _when(dataset.temporal_end)))
    return period


def add_dataset(graph: Graph, dataset: Dataset) -> URIRef:
    """The dataset with every DCAT-AP 3 property the data store knows, and its distributions.

    Expects the dataset's publisher, topics, keywords, boroughs and resources (with `latest`)
    loaded (dcat_catalog.datasets_for_dcat does), or it queries for each.
    """
    node = dataset_iri(dataset)
    add = graph.add
    add((node, RDF.type, DCAT.Dataset))
    add((node, DCTERMS.identifier, Literal(str(node))))
    add((node, DCTERMS.title, _text(dataset.title)))
    add((node, DCTERMS.description, _text(dataset.description)))
    add((node, DCTERMS.publisher, add_agent(graph, dataset.publisher)))
    add((node, DCAT.contactPoint, _contact(graph, dataset)))
    add((node, DCAT.landingPage, URIRef(landing_page(dataset))))
    for keyword in dataset.keywords.all():
        add((node, DCAT.keyword, _text(keyword.name)))
    for theme in sorted({topic.data_theme for topic in dataset.topics.all()}):
        add((node, DCAT.theme, DATA_THEME[theme]))
    for borough in dataset.boroughs.all():
        add((node, DCTERMS.spatial, add_location(graph, borough)))
    period = _temporal(graph, dataset)
    if period is not None:
        add((node, DCTERMS.temporal, period))
    add((node, DCTERMS.accrualPeriodicity, FREQUENCY[dataset.frequency]))
    add((node, DCTERMS.accessRights, ACCESS_RIGHTS[dataset.access_level]))
    add((node, DCTERMS.language, ENGLISH))
    if dataset.published_at:
        add((node, DCTERMS.issued, _when(dataset.published_at)))
    add((node, DCTERMS.modified, _when(_modified(dataset))))
    for resource in dataset.resources.all():
        for distribution in add_distributions(graph, dataset, resource):
            add((node, DCAT.distribution, distribution))
    return node


def _resource_page(dataset: Dataset, resource: Resource) -> str:
    kwargs = {"slug": dataset.slug, "resource_id": resource.pk}
    return absolute(reverse("catalogue:resource-detail", kwargs=kwargs))


def _distribution(
    graph: Graph, iri: str, title: str, dataset: Dataset, resource: Resource
) -> URIRef:
    node = URIRef(iri)
    graph.add((node, RDF.type, DCAT.Distribution))
    graph.add((node, DCTERMS.title, _text(title)))
    if resource.description:
        graph.add((node, DCTERMS.description, _text(resource.description)))
    graph.add((node, DCAT.accessURL, URIRef(_resource_page(dataset, resource))))
    _licence(graph, node, dataset.licence)
    return node


def add_distributions(graph: Graph, dataset: Dataset, resource: Resource) -> list[URIRef]:
    """The resource's distributions: its page alone until a version is ready, then the latest
    data as CSV (a URL that never changes) and the latest version as uploaded."""
    page = _resource_page(dataset, resource)
    latest: ResourceVersion | None = resource.latest
    if latest is None:
        return [_distribution(graph, page + "#distribution", resource.name, dataset, resource)]
    kwargs = {"slug": dataset.slug, "resource_id": resource.pk}
    modified = _when(latest.ready_at or latest.created_at)

    csv = _distribution(graph, page + "#csv", f"{resource.name} (CSV)", dataset, resource)
    download = reverse("catalogue:resource-download", kwargs={**kwargs, "fmt": "csv"})
    graph.add((csv, DCAT.downloadURL, URIRef(absolute(download))))
    graph.add((csv, DCTERMS["format"], FILE_TYPE["CSV"]))
    graph.add((csv, DCAT.mediaType, URIRef(IANA_MEDIA + "text/csv")))
    graph.add((csv, DCTERMS.modified, modified))

    title = f"{resource.name} (version {latest.number} as uploaded)"
    original = _distribution(graph, page + "#source", title, dataset, resource)
    source = reverse("catalogue:version-source", kwargs={**kwargs, "number": latest.number})
    graph.add((original, DCAT.downloadURL, URIRef(absolute(source))))
    fmt = latest.format or latest.filename.rsplit(".", 1)[-1]
    for prop, value in ((DCTERMS["format"], file_type(fmt)), (DCAT.mediaType, media_type(fmt))):
        if value is not None:
            graph.add((original, prop, value))
    graph.add((original, DCAT.byteSize, Literal(latest.size, datatype=XSD.nonNegativeInteger)))
    checksum = BNode()
    graph.add((checksum, RDF.type, SPDX.Checksum))
    graph.add((checksum, SPDX.algorithm, SHA256))
    graph.add((checksum, SPDX.checksumValue, Literal(latest.sha256, datatype=XSD.hexBinary)))
    graph.add((original, SPDX.checksum, checksum))
    graph.add((original, DCTERMS.modified, modified))
    return [csv, original]


def add_catalogue(graph: Graph, datasets: Iterable[Dataset], modified: datetime | None) -> URIRef:
    """The catalogue itself, listing `datasets` (one page of them)."""
    node = catalogue_iri()
    add = graph.add
    add((node, RDF.type, DCAT.Catalog))
    add((node, DCTERMS.title, _text(CATALOGUE_TITLE)))
    add((node, DCTERMS.description, _text(CATALOGUE_DESCRIPTION)))
    publisher = URIRef(absolute("/") + "#publisher")
    add((publisher, RDF.type, FOAF.Agent))
    add((publisher, FOAF.name, Literal(PLATFORM_NAME)))
    add((node, DCTERMS.publisher, publisher))
    add((node, FOAF.homepage, URIRef(absolute(reverse("catalogue:dataset-list")))))
    add((node, DCTERMS.language, ENGLISH))
    add((node, DCTERMS.license, URIRef(CATALOGUE_LICENCE)))
    add((URIRef(CATALOGUE_LICENCE), RDF.type, DCTERMS.LicenseDocument))
    if modified is not None:
        add((node, DCTERMS.modified, _when(modified)))
    for dataset in datasets:
        add((node, DCAT.dataset, add_dataset(graph, dataset)))
    return node


def add_paging(
    graph: Graph, *, page_url: str, total: int, per_page: int, links: dict[str, str]
) -> None:
    """hydra:PagedCollection on the page's own URL: totals and first/last/next/previous."""
    page = URIRef(page_url)
    graph.add((page, RDF.type, HYDRA.PagedCollection))
    graph.add((page, HYDRA.totalItems, Literal(total, datatype=XSD.integer)))
    graph.add((page, HYDRA.itemsPerPage, Literal(per_page, datatype=XSD.integer)))
    for name, url in links.items():
        graph.add((page, HYDRA[f"{name}Page"], URIRef(url)))


def dataset_graph(dataset: Dataset) -> Graph:
    """One dataset, with its distributions, publisher and places."""
    graph = new_graph()
    add_dataset(graph, dataset)
    return graph
