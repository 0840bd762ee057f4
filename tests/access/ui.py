"""Who may reach the site's general pages."""

from tests.access.rules import PUBLIC, Route

ACCESS = {
    "ui:home": Route(PUBLIC),
    "ui:privacy": Route(PUBLIC),
    "ui:accessibility": Route(PUBLIC),
    "ui:healthz": Route(PUBLIC),
}
