from django.urls import path

from interborough.core import views

app_name = "core"

urlpatterns = [
    path("", views.audit_list, name="audit-list"),
]
