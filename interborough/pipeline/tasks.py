"""Background tasks of the pipeline: they take ids and call a service."""

from django_tasks import task

from interborough.pipeline.services import people


@task()
def notify_project_published(project_id: int) -> None:
    """Tell owners of similar projects elsewhere, and subscribers, about a newly published one."""
    people.project_published_notify(project_id=project_id)
