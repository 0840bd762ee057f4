from django.urls import include, path

from interborough.api.v1 import api as api_v1

urlpatterns = [
    path("", include("interborough.ui.urls")),
    path("", include("interborough.accounts.urls")),
    path("", include("interborough.pipeline.urls")),
    path("", include("interborough.catalogue.urls")),
    path("agreements/", include("interborough.sharing.urls")),
    path("audit/", include("interborough.core.urls")),
    path("api/v1/", api_v1.urls),
    path("api/", include("interborough.catalogue.ckan.urls")),
]

handler403 = "interborough.ui.views.error_403"
handler404 = "interborough.ui.views.error_404"
handler500 = "interborough.ui.views.error_500"
