"""Background tasks of the data store: they take ids and call a service."""

from django_tasks import task

from interborough.catalogue.services import versions


@task()
def check_version(version_id: int) -> None:
    """Check an uploaded version and convert it to Parquet."""
    versions.resource_version_check(version_id=version_id)
