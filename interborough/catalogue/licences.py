"""What each licence is, for people and for machines: its title, its URL and whether it is
open. One table for the pages, JSON-LD, DCAT and the CKAN API."""

from dataclasses import dataclass

from interborough.catalogue.models import Licence


@dataclass(frozen=True)
class LicenceInfo:
    id: str
    title: str
    url: str
    is_open: bool


LICENCES: dict[str, LicenceInfo] = {
    info.id: info
    for info in (
        LicenceInfo(
            Licence.OGL_3,
            Licence.OGL_3.label,
            "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
            True,
        ),
        LicenceInfo(
            Licence.CC_BY_4,
            Licence.CC_BY_4.label,
            "https://creativecommons.org/licenses/by/4.0/",
            True,
        ),
        LicenceInfo(
            Licence.CC0,
            Licence.CC0.label,
            "https://creativecommons.org/publicdomain/zero/1.0/",
            True,
        ),
        LicenceInfo(
            Licence.ODBL, Licence.ODBL.label, "https://opendatacommons.org/licenses/odbl/1-0/", True
        ),
        LicenceInfo(Licence.RESTRICTED, Licence.RESTRICTED.label, "", False),
    )
}


def licence_info(licence_id: str) -> LicenceInfo:
    """The licence's details (an unknown id reads as 'no open licence')."""
    return LICENCES.get(licence_id, LICENCES[Licence.RESTRICTED])
