"""Who may reach the import and export pages.

Exports are public: each person gets the projects they may see. The upload pages answer
everyone signed in (people who cannot import are told why, and a POST from them creates
nothing); an import itself is seen and acted on only by publishers and admins of its
organisation, and is a 404 for everyone else, platform staff included (the record is the
borough's). The world's import is a checked projects import of Camden with no valid rows, so
confirming it is refused with a message, and discarding it works.
"""

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.access.rules import ORG_ROLE, PUBLIC, SIGNED_IN, Route
from tests.access.world import World

# Publishers and admins of the import's organisation; a 404 for everyone else, staff too.
IMPORTERS = ORG_ROLE("publisher", "org_admin", staff=False, hidden=True)
GET_POST = ("GET", "POST")


def _upload(world: World) -> dict[str, Any]:
    content = b"title,summary,themes\nParking permits,Apply online,transport\n"
    return {
        "organisation": world.organisation.slug,
        "file": SimpleUploadedFile("projects.csv", content, content_type="text/csv"),
    }


def _on(name: str) -> Any:
    return lambda w: reverse(name, args=[w.pipeline.import_run.pk])


ACCESS = {
    "pipeline:project-export-csv": Route(PUBLIC),
    "pipeline:project-export-json": Route(PUBLIC),
    "pipeline:project-feed": Route(PUBLIC),
    "pipeline:project-import": Route(
        SIGNED_IN,
        methods=GET_POST,
        data=_upload,
        note="publishers and admins upload; others are told why they cannot (and nothing is made)",
    ),
    "pipeline:contract-import": Route(
        SIGNED_IN,
        methods=GET_POST,
        data=_upload,
        note="publishers and admins upload; others are told why they cannot (and nothing is made)",
    ),
    "pipeline:import-detail": Route(IMPORTERS, path=_on("pipeline:import-detail")),
    "pipeline:import-confirm": Route(
        IMPORTERS,
        methods=("POST",),
        data=lambda w: {"valid_rows_only": "on"},
        path=_on("pipeline:import-confirm"),
        note="the world's import has no valid rows: the refusal is shown on the import page",
    ),
    "pipeline:import-discard": Route(
        IMPORTERS, methods=("POST",), path=_on("pipeline:import-discard")
    ),
}
