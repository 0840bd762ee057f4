"""The vocabularies DCAT-AP 3 asks for, and how the data store's choices map onto them.

Each map is the documentation of one mapping (licence, access level, frequency,
file format); dcat.py builds the graph with them and harvest_dcat.py reads them back.
"""

from rdflib import Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, SKOS, XSD

from interborough.catalogue.licences import LICENCES

ADMS = Namespace("http://www.w3.org/ns/adms#")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
DCATAP = Namespace("http://data.europa.eu/r5r/")

EU = "http://publications.europa.eu/resource/authority/"
DATA_THEME = Namespace(EU + "data-theme/")
FREQUENCY = Namespace(EU + "frequency/")
ACCESS_RIGHT = Namespace(EU + "access-right/")
FILE_TYPE = Namespace(EU + "file-type/")
LANGUAGE = Namespace(EU + "language/")
IANA_MEDIA = "https://www.iana.org/assignments/media-types/"
GSS = Namespace("http://statistics.data.gov.uk/id/statistical-geography/")

ENGLISH = LANGUAGE["ENG"]
SHA256 = SPDX["checksumAlgorithm_sha256"]

PREFIXES = {
    "adms": ADMS,
    "dcat": DCAT,
    "dcatap": DCATAP,
    "dct": DCTERMS,
    "foaf": FOAF,
    "hydra": HYDRA,
    "rdf": RDF,
    "rdfs": RDFS,
    "skos": SKOS,
    "spdx": SPDX,
    "vcard": VCARD,
    "xsd": XSD,
}

# Licence URIs come from catalogue/licences.py (one table for pages, JSON-LD, DCAT and CKAN).
# Access level (catalogue.models.AccessLevel) -> the EU access-right concept. Signing in is a
# condition of use (RESTRICTED); data that needs a grant is not public (NON_PUBLIC).
ACCESS_RIGHTS = {
    "open": ACCESS_RIGHT["PUBLIC"],
    "signed_in": ACCESS_RIGHT["RESTRICTED"],
    "restricted": ACCESS_RIGHT["NON_PUBLIC"],
}

# Upload format (ResourceVersion.format) -> (EU file-type code, IANA media type).
FORMATS = {
    "csv": ("CSV", "text/csv"),
    "xlsx": ("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "json": ("JSON", "application/json"),
    "geojson": ("GEOJSON", "application/geo+json"),
    "parquet": ("PARQUET", "application/vnd.apache.parquet"),
}


def file_type(fmt: str) -> URIRef | None:
    known = FORMATS.get(fmt.lower())
    return FILE_TYPE[known[0]] if known else None


def media_type(fmt: str) -> URIRef | None:
    known = FORMATS.get(fmt.lower())
    return URIRef(IANA_MEDIA + known[1]) if known else None


def licence_code(uri: str) -> str | None:
    """The data store's licence code for a licence URI (http or https, with or without a
    trailing slash), or None when it is not one we offer."""
    wanted = _plain(uri)
    return next(
        (code for code, info in LICENCES.items() if info.url and _plain(info.url) == wanted), None
    )


def _plain(uri: str) -> str:
    return uri.strip().lower().removeprefix("https://").removeprefix("http://").rstrip("/")
