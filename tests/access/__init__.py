"""Permission tables: one module per app (tests/access/<app>.py), each with an `ACCESS` dict.

Keys are URL names ('accounts:member-list') for pages and 'METHOD /api/v1/path' for API
operations. tests/integration/test_authorisation.py walks every route in the project and fails
for any route without an entry here, and for any entry whose route no longer exists.
"""

import importlib
import pkgutil

from tests.access.rules import Route

_NOT_TABLES = {"rules", "world"}


def table_modules() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules(__path__) if m.name not in _NOT_TABLES)


def all_routes() -> dict[str, tuple[str, Route]]:
    """Every table entry by key, with the module it comes from; a key in two tables fails."""
    routes: dict[str, tuple[str, Route]] = {}
    for name in table_modules():
        module = importlib.import_module(f"{__name__}.{name}")
        for key, route in module.ACCESS.items():
            if key in routes:
                raise ValueError(f"{key!r} is in tests/access/{routes[key][0]}.py and {name}.py")
            routes[key] = (name, route)
    return routes
