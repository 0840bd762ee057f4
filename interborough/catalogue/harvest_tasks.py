"""The harvest's background task: it takes a run's id and calls the service.

(Here rather than in catalogue/tasks.py only because that file belongs to another part of
the module; it can move there.)
"""

from django_tasks import task

from interborough.catalogue.services import harvest


@task()
def run_harvest(run_id: int) -> None:
    """Harvest one source for a queued run."""
    harvest.harvest_run(run_id=run_id)
