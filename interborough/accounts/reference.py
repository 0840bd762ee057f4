"""Reference organisations: the 33 London local authorities (with boundaries) and partners."""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from interborough.accounts.models import OrganisationType

BOUNDARIES_PATH = Path(__file__).parent / "data" / "london-boroughs.geojson"
BOUNDARIES_ATTRIBUTION = (
    "Contains National Statistics data © Crown copyright and database right; contains OS data © "
    "Crown copyright and database right. Open Government Licence v3.0."
)


@dataclass(frozen=True)
class ReferenceOrganisation:
    name: str
    slug: str
    type: str
    short_name: str = ""
    gss_code: str = ""
    website: str = ""
    description: str = ""


@cache
def borough_features() -> list[dict[str, Any]]:
    """The 33 boundary features, ordered by GSS code."""
    data = json.loads(BOUNDARIES_PATH.read_text(encoding="utf-8"))
    return sorted(data["features"], key=lambda f: f["properties"]["code"])


def _borough_name(name: str) -> str:
    if name == "City of London":
        return "City of London Corporation"
    if name in {"Kensington and Chelsea", "Kingston upon Thames"}:
        return f"Royal Borough of {name}"
    if name == "Westminster":
        return "Westminster City Council"
    return f"London Borough of {name}"


def _slug(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


LOCAL_AUTHORITIES = [
    ReferenceOrganisation(
        name=_borough_name(f["properties"]["name"]),
        short_name=f["properties"]["name"],
        slug=_slug(f["properties"]["name"]),
        type=OrganisationType.LOCAL_AUTHORITY,
        gss_code=f["properties"]["code"],
    )
    for f in borough_features()
]

PARTNERS = [
    ReferenceOrganisation(
        "Greater London Authority",
        "gla",
        OrganisationType.PUBLIC_BODY,
        "GLA",
        website="https://www.london.gov.uk",
    ),
    ReferenceOrganisation(
        "Transport for London",
        "tfl",
        OrganisationType.PUBLIC_BODY,
        "TfL",
        website="https://tfl.gov.uk",
    ),
    ReferenceOrganisation(
        "London Fire Brigade",
        "london-fire-brigade",
        OrganisationType.PUBLIC_BODY,
        "LFB",
        website="https://www.london-fire.gov.uk",
    ),
    ReferenceOrganisation(
        "Metropolitan Police Service",
        "met-police",
        OrganisationType.PUBLIC_BODY,
        "Met Police",
        website="https://www.met.police.uk",
    ),
    ReferenceOrganisation(
        "London Councils",
        "london-councils",
        OrganisationType.PUBLIC_BODY,
        website="https://www.londoncouncils.gov.uk",
    ),
    ReferenceOrganisation(
        "London Office of Technology and Innovation",
        "loti",
        OrganisationType.PUBLIC_BODY,
        "LOTI",
        website="https://loti.london",
    ),
    ReferenceOrganisation(
        "NHS North Central London Integrated Care Board",
        "nhs-ncl-icb",
        OrganisationType.PUBLIC_BODY,
        "NHS NCL ICB",
    ),
    ReferenceOrganisation(
        "NHS North East London Integrated Care Board",
        "nhs-nel-icb",
        OrganisationType.PUBLIC_BODY,
        "NHS NEL ICB",
    ),
    ReferenceOrganisation(
        "NHS North West London Integrated Care Board",
        "nhs-nwl-icb",
        OrganisationType.PUBLIC_BODY,
        "NHS NWL ICB",
    ),
    ReferenceOrganisation(
        "NHS South East London Integrated Care Board",
        "nhs-sel-icb",
        OrganisationType.PUBLIC_BODY,
        "NHS SEL ICB",
    ),
    ReferenceOrganisation(
        "NHS South West London Integrated Care Board",
        "nhs-swl-icb",
        OrganisationType.PUBLIC_BODY,
        "NHS SWL ICB",
    ),
    ReferenceOrganisation(
        "University College London",
        "ucl",
        OrganisationType.UNIVERSITY,
        "UCL",
        website="https://www.ucl.ac.uk",
    ),
    ReferenceOrganisation(
        "King's College London",
        "kcl",
        OrganisationType.UNIVERSITY,
        "KCL",
        website="https://www.kcl.ac.uk",
    ),
    ReferenceOrganisation(
        "London School of Economics and Political Science",
        "lse",
        OrganisationType.UNIVERSITY,
        "LSE",
        website="https://www.lse.ac.uk",
    ),
    ReferenceOrganisation(
        "Imperial College London",
        "imperial",
        OrganisationType.UNIVERSITY,
        "Imperial",
        website="https://www.imperial.ac.uk",
    ),
]


def boundary_for(gss_code: str) -> dict[str, Any] | None:
    for feature in borough_features():
        if feature["properties"]["code"] == gss_code:
            return feature["geometry"]
    return None
