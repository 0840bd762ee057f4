"""Who may call the CKAN Action API: everyone (it is read-only). What each caller gets back
(drafts hidden, restricted rows refused) is tested in tests/integration/catalogue/test_ckan_*.py
and tests/integration/catalogue/test_restricted_data.py."""

from tests.access.rules import PUBLIC, Route


def package(world):
    return {"name": "package_list"}


ACCESS = {
    "ckan:version": Route(PUBLIC),
    "ckan:action-v3": Route(PUBLIC, kwargs=package, methods=("GET", "POST")),
    "ckan:action": Route(PUBLIC, kwargs=package, methods=("GET", "POST")),
}
