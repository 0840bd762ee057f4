"""Who may reach the standard exports: DCAT-AP and Frictionless Data Packages.

All public for the world's open dataset: the metadata of every published dataset is open, and
so is an open dataset's data. Drafts are a 404 and restricted data needs a grant: tested in
tests/integration/catalogue/test_standards.py.
"""

from typing import Any

from tests.access.rules import PUBLIC, Route
from tests.access.world import World


def _dataset(world: World) -> dict[str, Any]:
    return {"slug": world.catalogue.dataset.slug}


ACCESS = {
    "catalogue:catalog": Route(PUBLIC, kwargs=lambda w: {"fmt": "ttl"}),
    "catalogue:dataset-dcat": Route(PUBLIC, kwargs=lambda w: {**_dataset(w), "fmt": "jsonld"}),
    "catalogue:dataset-datapackage": Route(PUBLIC, kwargs=_dataset),
    "catalogue:dataset-datapackage-zip": Route(PUBLIC, kwargs=_dataset),
}
