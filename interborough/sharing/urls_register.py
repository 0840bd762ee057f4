"""Routes of the public register and what sits beside it (joined into sharing/urls.py): the
register and its exports, the published JSON Schema, the daily audit trail heads, and the page
of agreements waiting for the signed-in person. All fixed paths: they come before every
<reference>/ route (views/register.py, views/agreements.py)."""

from django.urls import URLPattern, path

from interborough.sharing.views import agreements, register

urlpatterns: list[URLPattern] = [
    path("", register.register, name="register"),
    path("register.csv", register.register_csv, name="register-csv"),
    path("register.json", register.register_json, name="register-json"),
    path("schema/v1.json", register.schema, name="schema"),
    path("audit-heads/", register.audit_heads, name="audit-heads"),
    path("audit-heads.json", register.audit_heads_json, name="audit-heads-json"),
    path("actions/", agreements.actions, name="actions"),
]
