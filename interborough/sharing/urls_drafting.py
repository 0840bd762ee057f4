"""Routes of the sharing app's drafting pages (joined into sharing/urls.py): starting an
agreement (from a template, a blank document or an imported file), the task list, one section
at a time, submitting for approval, and the template library (views/drafting*.py)."""

from django.urls import URLPattern, path

from interborough.sharing.views import drafting, drafting_sections, drafting_start

urlpatterns: list[URLPattern] = [
    # Fixed paths first: they must win over the <reference>/ routes.
    path("new/", drafting_start.agreement_new, name="agreement-new"),
    path("import/", drafting_start.agreement_import, name="agreement-import"),
    path("templates/", drafting_start.template_list, name="template-list"),
    path("templates/<slug:key>/", drafting_start.template_detail, name="template-detail"),
    path("<str:reference>/v<int:version>/edit/", drafting.draft_tasks, name="draft-tasks"),
    path(
        "<str:reference>/v<int:version>/edit/data/<slug:key>/",
        drafting_sections.draft_dataset,
        name="draft-dataset",
    ),
    path(
        "<str:reference>/v<int:version>/edit/<slug:section>/",
        drafting_sections.draft_section,
        name="draft-section",
    ),
    path("<str:reference>/v<int:version>/submit/", drafting.draft_submit, name="draft-submit"),
]
