"""Pipeline pages: projects, people and projects, imports and exports, the market view and the
contract register. Mounted at the site root (see config/urls.py)."""

from django.urls import path

from interborough.pipeline.views import (
    contracts,
    exchange,
    market,
    people,
    project_search,
    projects,
)

app_name = "pipeline"

urlpatterns = [
    # --- projects (the list in views/project_search.py, the rest in views/projects.py) ---
    path("projects/", project_search.project_list, name="project-list"),
    path("projects/new", projects.project_create, name="project-create"),
    path("projects/<int:pk>/", projects.project_detail, name="project-detail"),
    path("projects/<int:pk>/edit", projects.project_edit, name="project-edit"),
    path("projects/<int:pk>/publish", projects.project_publish, name="project-publish"),
    path("projects/<int:pk>/archive", projects.project_archive, name="project-archive"),
    path("projects/<int:pk>/restore", projects.project_restore, name="project-restore"),
    path("projects/<int:pk>/delete", projects.project_delete, name="project-delete"),
    path("projects/<int:pk>/updates/new", projects.status_update_add, name="status-update-add"),
    # --- people and projects (views/people.py) ---
    path("projects/<int:pk>/watch", people.project_watch, name="project-watch"),
    path("projects/<int:pk>/contribute", people.contribution_request, name="project-contribute"),
    path(
        "projects/<int:pk>/contribute/withdraw",
        people.contribution_withdraw,
        name="contribution-withdraw",
    ),
    path("projects/<int:pk>/contributions", people.contribution_list, name="contribution-list"),
    path(
        "projects/<int:pk>/contributions/<int:request_pk>",
        people.contribution_decide,
        name="contribution-decide",
    ),
    path("projects/subscriptions", people.subscription_list, name="subscription-list"),
    path(
        "projects/subscriptions/<int:pk>/delete",
        people.subscription_delete,
        name="subscription-delete",
    ),
    # --- imports and exports (views/exchange.py) ---
    path("projects/export.csv", exchange.project_export_csv, name="project-export-csv"),
    path("projects/export.json", exchange.project_export_json, name="project-export-json"),
    path("projects/feed.atom", exchange.project_feed, name="project-feed"),
    path("projects/import", exchange.project_import, name="project-import"),
    path("contracts/import", exchange.contract_import, name="contract-import"),
    path("imports/<uuid:pk>/", exchange.import_detail, name="import-detail"),
    path("imports/<uuid:pk>/confirm", exchange.import_confirm, name="import-confirm"),
    path("imports/<uuid:pk>/discard", exchange.import_discard, name="import-discard"),
    # --- the market view (views/market.py) ---
    path("market/", market.market_view, name="market"),
    path("market/ocds.json", market.market_ocds, name="market-ocds"),
    # --- the contract register (views/contracts.py) ---
    path("contracts/", contracts.contract_list, name="contract-list"),
    path("contracts/new", contracts.contract_create, name="contract-create"),
    path("contracts/export.csv", contracts.contract_export_csv, name="contract-export-csv"),
    path("contracts/<int:pk>/", contracts.contract_detail, name="contract-detail"),
    path("contracts/<int:pk>/edit", contracts.contract_edit, name="contract-edit"),
    path("contracts/<int:pk>/delete", contracts.contract_delete, name="contract-delete"),
]
