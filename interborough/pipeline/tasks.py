"""Background tasks of the pipeline: they take ids and call a service."""

from django_tasks import task

from interborough.pipeline.services import imports, people


@task()
def notify_project_published(project_id: int) -> None:
    """Tell owners of similar projects elsewhere, and subscribers, about a newly published one."""
    people.project_published_notify(project_id=project_id)


@task()
def validate_import(import_run_id: str) -> None:
    """Check every row of an uploaded file, reporting progress on the import as it goes."""
    imports.import_run_validate(import_run_id=import_run_id)


@task()
def run_import(import_run_id: str, by_id: int | None) -> None:
    """Create the confirmed rows of an import, all in one transaction."""
    imports.import_run_import(import_run_id=import_run_id, by_id=by_id)
