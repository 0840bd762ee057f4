"""Routes of one agreement (joined into sharing/urls.py, after every fixed path): reading a
version, printing, exporting and comparing versions (views/agreements.py), and the decisions on
it: approve, request changes, withdraw, suspend, resume, terminate, start a new version
(views/decisions.py)."""

from django.urls import URLPattern, path

from interborough.sharing.views import agreements, decisions

VERSION = "<str:reference>/v<int:version>/"

urlpatterns: list[URLPattern] = [
    path("<str:reference>/", agreements.agreement_detail, name="agreement-detail"),
    path("<str:reference>/diff/", agreements.version_diff, name="version-diff"),
    path(VERSION, agreements.version_detail, name="version-detail"),
    path(VERSION + "print/", agreements.version_print, name="version-print"),
    path(VERSION + "agreement.<str:fmt>", agreements.version_export, name="version-export"),
    path(VERSION + "approve/", decisions.version_approve, name="version-approve"),
    path(
        VERSION + "request-changes/",
        decisions.version_request_changes,
        name="version-request-changes",
    ),
    path(VERSION + "withdraw/", decisions.version_withdraw, name="version-withdraw"),
    path(VERSION + "suspend/", decisions.version_suspend, name="version-suspend"),
    path(VERSION + "resume/", decisions.version_resume, name="version-resume"),
    path(VERSION + "terminate/", decisions.version_terminate, name="version-terminate"),
    path(VERSION + "new-version/", decisions.version_new, name="version-new"),
]
