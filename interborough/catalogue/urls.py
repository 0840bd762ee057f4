"""Data store pages, downloads and standard exports. Mounted at the site root (config/urls.py).

Each section belongs to one part of the module; keep new routes in their section.
"""

from django.urls import path

from interborough.catalogue.views import (  # dataset pages  # access, follow, usage
    access,
    data,  # filtered downloads, source files
    datasets,
    following,
    harvest,
    resources,
    search,  # search and the dataset list
    standards,
    usage,
    versions,
)

app_name = "catalogue"

urlpatterns: list = [
    # --- search and the dataset list (views/search.py) ---
    path("datasets/", search.dataset_list, name="dataset-list"),
    # --- dataset pages, resources, uploads and versions (views/datasets.py, views/resources.py) ---
    path("datasets/new", datasets.dataset_create, name="dataset-create"),
    path("datasets/<slug:slug>/", datasets.dataset_detail, name="dataset-detail"),
    path("datasets/<slug:slug>/edit", datasets.dataset_edit, name="dataset-edit"),
    path("datasets/<slug:slug>/publish", datasets.dataset_publish, name="dataset-publish"),
    path("datasets/<slug:slug>/withdraw", datasets.dataset_withdraw, name="dataset-withdraw"),
    path("datasets/<slug:slug>/resources/new", resources.resource_create, name="resource-create"),
    path(
        "datasets/<slug:slug>/resources/<uuid:resource_id>/",
        resources.resource_detail,
        name="resource-detail",
    ),
    path(
        "datasets/<slug:slug>/resources/<uuid:resource_id>/upload",
        resources.version_upload,
        name="version-upload",
    ),
    path(
        "datasets/<slug:slug>/resources/<uuid:resource_id>/versions/<int:number>/",
        versions.version_detail,
        name="version-detail",
    ),
    path(
        "datasets/<slug:slug>/resources/<uuid:resource_id>/versions/<int:number>/status.json",
        versions.version_status,
        name="version-status",
    ),
    path(
        "datasets/<slug:slug>/resources/<uuid:resource_id>/versions/<int:number>/schema",
        versions.version_schema,
        name="version-schema",
    ),
    # --- end of dataset pages, resources, uploads and versions ---
    # --- data: previews, downloads (views/data.py) ---
    path(
        "datasets/<slug:slug>/resources/<uuid:resource_id>/download.<str:fmt>",
        data.resource_download,
        name="resource-download",
    ),
    path(
        "datasets/<slug:slug>/resources/<uuid:resource_id>/versions/<int:number>/download.<str:fmt>",
        data.version_download,
        name="version-download",
    ),
    path(
        "datasets/<slug:slug>/resources/<uuid:resource_id>/versions/<int:number>/source",
        data.version_source,
        name="version-source",
    ),
    # --- end of data: previews, downloads ---
    # --- access requests and grants, following, usage (views/access.py, views/following.py) ---
    path("datasets/<slug:slug>/request-access", access.access_request, name="access-request"),
    path("data-access/", access.access_request_list, name="access-request-list"),
    path("data-access/<int:pk>/", access.access_request_detail, name="access-request-detail"),
    path("data-access/<int:pk>/decide", access.access_request_decide, name="access-request-decide"),
    path(
        "data-access/<int:pk>/withdraw",
        access.access_request_withdraw,
        name="access-request-withdraw",
    ),
    path(
        "data-access/grants/<int:pk>/revoke", access.access_grant_revoke, name="access-grant-revoke"
    ),
    path("datasets/<slug:slug>/follow", following.dataset_follow, name="dataset-follow"),
    path("datasets/<slug:slug>/usage", usage.dataset_usage, name="dataset-usage"),
    # --- end of access requests, following and usage ---
    # --- standards: DCAT-AP, Frictionless data packages (views/standards.py) ---
    path("catalog.<str:fmt>", standards.catalog, name="catalog"),
    path("datasets/<slug:slug>/dcat.<str:fmt>", standards.dataset_dcat, name="dataset-dcat"),
    path(
        "datasets/<slug:slug>/datapackage.json",
        standards.dataset_datapackage,
        name="dataset-datapackage",
    ),
    path(
        "datasets/<slug:slug>/datapackage.zip",
        standards.dataset_datapackage_zip,
        name="dataset-datapackage-zip",
    ),
    # --- harvesting other catalogues (views/harvest.py) ---
    path("harvest/", harvest.harvest_source_list, name="harvest-source-list"),
    path("harvest/new", harvest.harvest_source_create, name="harvest-source-create"),
    path("harvest/<int:pk>/", harvest.harvest_source_detail, name="harvest-source-detail"),
    path("harvest/<int:pk>/run", harvest.harvest_run, name="harvest-run"),
    # --- end of standards and harvesting ---
]
