from django.urls import path

from interborough.core import views

app_name = "core"

urlpatterns = [
    path("", views.audit_list, name="audit-list"),
    path("verifications/", views.audit_verification_create, name="audit-verification-create"),
    path("verifications/<int:pk>/", views.audit_verification_detail, name="audit-verification"),
]
