"""CKAN Action API routes, mounted at /api/ (config/urls.py)."""

from django.urls import path

from interborough.catalogue.ckan import views

app_name = "ckan"

urlpatterns = [
    path("3", views.version, name="version"),
    path("3/action/<str:name>", views.action, name="action-v3"),
    path("action/<str:name>", views.action, name="action"),
]
