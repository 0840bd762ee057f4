"""The sharing app's pages, all under /agreements/ (see each file for its routes)."""

from interborough.sharing import urls_decisions, urls_drafting, urls_register

app_name = "sharing"

# Fixed paths (register exports, schema, actions, new, import) come before <reference>/ routes.
urlpatterns = [
    *urls_register.urlpatterns,
    *urls_drafting.urlpatterns,
    *urls_decisions.urlpatterns,
]
