"""The DCAT-AP 3 graphs: every class carries its mandatory (and our promised) properties, and
each of the data store's choices maps to the standard vocabulary's URI."""

from datetime import date

import pytest
from django.utils import timezone
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

from interborough.catalogue import dcat, dcat_catalog, dcat_vocab
from interborough.catalogue.dcat_vocab import SPDX, VCARD
from interborough.catalogue.models import AccessLevel, DatasetStatus, Keyword, Licence, Topic
from tests.factories.accounts import MembershipFactory, OrganisationFactory
from tests.factories.catalogue import DatasetFactory, ResourceFactory, ready_resource

EU = "http://publications.europa.eu/resource/authority/"

# Per class, the properties every instance must have (DCAT-AP 3 mandatory ones and the ones
# the data store always knows, so their absence is a defect).
MUST = {
    DCAT.Catalog: [
        DCTERMS.title, DCTERMS.description, DCTERMS.publisher, FOAF.homepage, DCTERMS.language,
        DCTERMS.license, DCTERMS.modified,
    ],
    DCAT.Dataset: [
        DCTERMS.identifier, DCTERMS.title, DCTERMS.description, DCTERMS.publisher,
        DCAT.contactPoint, DCAT.landingPage, DCTERMS.accrualPeriodicity, DCTERMS.accessRights,
        DCTERMS.modified, DCTERMS.language,
    ],
    DCAT.Distribution: [DCAT.accessURL, DCTERMS.title],
    FOAF.Agent: [FOAF.name],
    VCARD.Kind: [VCARD.fn],
    SPDX.Checksum: [SPDX.algorithm, SPDX.checksumValue],
    DCTERMS.Location: [],
}  # fmt: skip


def mandatory_problems(graph: Graph) -> list[str]:
    """Each missing mandatory property and each value outside its vocabulary, as a sentence."""
    problems = []
    for cls, properties in MUST.items():
        for node in graph.subjects(RDF.type, cls):
            problems += [
                f"{node} ({cls}) has no {p}" for p in properties if graph.value(node, p) is None
            ]
    for node in graph.subjects(RDF.type, DCAT.Distribution):
        if graph.value(node, DCTERMS.license) is None and graph.value(node, DCTERMS.rights) is None:
            problems.append(f"{node} has neither a licence nor a rights statement")
    for node in graph.subjects(RDF.type, DCTERMS.PeriodOfTime):
        if not (graph.value(node, DCAT.startDate) or graph.value(node, DCAT.endDate)):
            problems.append(f"{node} period has neither start nor end")
    vocabularies = {
        DCAT.theme: EU + "data-theme/",
        DCTERMS.accrualPeriodicity: EU + "frequency/",
        DCTERMS.accessRights: EU + "access-right/",
        DCTERMS["format"]: EU + "file-type/",
        DCTERMS.language: EU + "language/",
        DCAT.mediaType: "https://www.iana.org/assignments/media-types/",
    }
    for prop, base in vocabularies.items():
        for _s, value in graph.subject_objects(prop):
            if not str(value).startswith(base):
                problems.append(f"{prop} {value} is not in {base}")
    for dataset in graph.subjects(RDF.type, DCAT.Dataset):
        for prop in (DCTERMS.publisher,):
            agent = graph.value(dataset, prop)
            if (agent, RDF.type, FOAF.Agent) not in graph:
                problems.append(f"{dataset} {prop} is not a foaf:Agent")
    return problems


@pytest.fixture
def publisher(organisation):
    return MembershipFactory(organisation=organisation, role="publisher").user


@pytest.fixture
def full_dataset(organisation, publisher, other_organisation):
    dataset = DatasetFactory(
        publisher=organisation,
        title="Rough sleeping by ward",
        slug="rough-sleeping-by-ward",
        status=DatasetStatus.PUBLISHED,
        published_at=timezone.now(),
        temporal_start=date(2024, 4, 1),
        temporal_end=date(2025, 3, 31),
        frequency="MONTHLY",
        contact_name="Camden data team",
        contact_email="data@camden.gov.uk",
        licence=Licence.OGL_3,
    )
    dataset.topics.set(Topic.objects.filter(slug__in=["housing", "health"]))
    dataset.keywords.set([Keyword.objects.create(name="homelessness")])
    dataset.boroughs.set([organisation, other_organisation])
    ready_resource(by=publisher, dataset=dataset)
    return dataset


def graph_of(dataset):
    loaded = dcat_catalog.with_dcat_related(type(dataset).objects.filter(pk=dataset.pk)).get()
    return dcat.dataset_graph(loaded)


@pytest.mark.django_db
def test_dataset_graph_has_every_mandatory_property(full_dataset):
    graph = graph_of(full_dataset)

    assert mandatory_problems(graph) == []
    assert len(list(graph.subjects(RDF.type, DCAT.Dataset))) == 1


@pytest.mark.django_db
def test_dataset_graph_maps_themes_places_period_and_rights(full_dataset):
    graph = graph_of(full_dataset)
    node = dcat.dataset_iri(full_dataset)

    themes = set(graph.objects(node, DCAT.theme))
    assert themes == {URIRef(EU + "data-theme/SOCI"), URIRef(EU + "data-theme/HEAL")}
    assert set(graph.objects(node, DCTERMS.spatial)) == {
        URIRef("http://statistics.data.gov.uk/id/statistical-geography/E09000007"),
        URIRef("http://statistics.data.gov.uk/id/statistical-geography/E09000012"),
    }
    period = graph.value(node, DCTERMS.temporal)
    assert graph.value(period, DCAT.startDate) == Literal(date(2024, 4, 1), datatype=XSD.date)
    assert graph.value(period, DCAT.endDate) == Literal(date(2025, 3, 31), datatype=XSD.date)
    assert graph.value(node, DCTERMS.accrualPeriodicity) == URIRef(EU + "frequency/MONTHLY")
    assert graph.value(node, DCTERMS.accessRights) == URIRef(EU + "access-right/PUBLIC")
    assert str(graph.value(node, DCAT.keyword)) == "homelessness"
    contact = graph.value(node, DCAT.contactPoint)
    assert graph.value(contact, VCARD.hasEmail) == URIRef("mailto:data@camden.gov.uk")
    publisher = graph.value(node, DCTERMS.publisher)
    assert str(graph.value(publisher, FOAF.name)) == "London Borough of Camden"


@pytest.mark.django_db
def test_dataset_graph_distributions_give_csv_and_the_exact_upload(full_dataset):
    graph = graph_of(full_dataset)
    version = full_dataset.resources.get().latest
    node = dcat.dataset_iri(full_dataset)
    distributions = list(graph.objects(node, DCAT.distribution))

    assert len(distributions) == 2
    by_title = {str(graph.value(d, DCTERMS.title)): d for d in distributions}
    csv = by_title["Counts by ward (CSV)"]
    assert str(graph.value(csv, DCAT.downloadURL)).endswith("/download.csv")
    assert graph.value(csv, DCTERMS["format"]) == URIRef(EU + "file-type/CSV")
    original = by_title["Counts by ward (version 1 as uploaded)"]
    assert graph.value(original, DCAT.byteSize).toPython() == version.size
    checksum = graph.value(original, SPDX.checksum)
    assert graph.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
    assert str(graph.value(checksum, SPDX.checksumValue)) == version.sha256
    ogl = URIRef("https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/")
    assert graph.value(original, DCTERMS.license) == ogl
    assert all(str(graph.value(d, DCAT.accessURL)).startswith("http") for d in distributions)


@pytest.mark.django_db
def test_dataset_graph_restricted_without_licence_gets_rights_and_non_public(organisation):
    dataset = DatasetFactory(
        publisher=organisation,
        status=DatasetStatus.PUBLISHED,
        access_level=AccessLevel.RESTRICTED,
        licence=Licence.RESTRICTED,
    )
    ResourceFactory(dataset=dataset, name="Placements")
    graph = graph_of(dataset)
    node = dcat.dataset_iri(dataset)
    distribution = graph.value(node, DCAT.distribution)

    assert mandatory_problems(graph) == []
    assert graph.value(node, DCTERMS.accessRights) == URIRef(EU + "access-right/NON_PUBLIC")
    assert graph.value(distribution, DCTERMS.license) is None
    assert graph.value(distribution, DCTERMS.rights) is not None
    assert graph.value(distribution, DCAT.downloadURL) is None  # no version ready yet


@pytest.mark.django_db
def test_dataset_graph_place_without_gss_code_is_the_organisation_url(organisation):
    gla = OrganisationFactory(name="Greater London Authority", website="https://www.london.gov.uk/")
    dataset = DatasetFactory(publisher=organisation, status=DatasetStatus.PUBLISHED)
    dataset.boroughs.set([gla])

    graph = graph_of(dataset)

    spatial = graph.value(dcat.dataset_iri(dataset), DCTERMS.spatial)
    assert spatial == URIRef("https://www.london.gov.uk/")
    assert (spatial, RDF.type, DCTERMS.Location) in graph


def test_dcat_vocab_licence_code_reads_any_spelling_of_a_known_uri():
    assert dcat_vocab.licence_code("https://creativecommons.org/licenses/by/4.0") == "CC-BY-4.0"
    assert (
        dcat_vocab.licence_code(
            "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
        )
        == "OGL-UK-3.0"
    )
    assert dcat_vocab.licence_code("https://example.org/my-licence") is None


def test_dcat_vocab_every_upload_format_has_a_file_type_and_media_type():
    for fmt in ("csv", "xlsx", "json", "geojson", "parquet"):
        assert str(dcat_vocab.file_type(fmt)).startswith(EU + "file-type/")
        assert str(dcat_vocab.media_type(fmt)).startswith("https://www.iana.org/")
    assert dcat_vocab.file_type("exe") is None


@pytest.mark.parametrize("text", ["2025-01-31", "2025-01-31T09:00:00Z", "2025-01-31 09:00"])
def test_parse_modified_since_accepts_iso_dates_and_times(text, settings):
    moment = dcat_catalog.parse_modified_since(text)

    assert moment.date() == date(2025, 1, 31)
    assert moment.tzinfo is not None


@pytest.mark.parametrize("text", ["yesterday", "2025-13-01", "31/01/2025", "", "2025-02-30"])
def test_parse_modified_since_refuses_anything_else(text):
    from interborough.core.errors import ApplicationError

    with pytest.raises(ApplicationError, match="ISO 8601"):
        dcat_catalog.parse_modified_since(text)
