import factory

from interborough.catalogue.models import Dataset, DatasetStatus, Resource
from tests.factories.accounts import OrganisationFactory


class DatasetFactory(factory.django.DjangoModelFactory):
    """A draft dataset; pass status=DatasetStatus.PUBLISHED for a published one."""

    class Meta:
        model = Dataset

    publisher = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Test dataset {n}")
    slug = factory.Sequence(lambda n: f"test-dataset-{n}")
    description = "Rough sleeping counts by ward."
    status = DatasetStatus.DRAFT


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resource

    dataset = factory.SubFactory(DatasetFactory)
    name = factory.Sequence(lambda n: f"Table {n}")


WARD_COUNTS = (
    b"borough_code,ward,count,latitude,longitude\n"
    b"E09000007,Kentish Town,12,51.5503,-0.1406\n"
    b"E09000007,Camden Town,7,51.5390,-0.1426\n"
    b"E09000012,Hackney Central,30,51.5465,-0.0553\n"
)


def ready_resource(
    *,
    by,
    dataset: Dataset,
    content: bytes = WARD_COUNTS,
    filename: str = "counts.csv",
    name: str = "Counts by ward",
    schema: dict | None = None,
) -> Resource:
    """A resource of `dataset` with one ready version, uploaded by `by` and checked at once."""
    from django.test import TestCase

    from interborough.catalogue.services.versions import resource_create, resource_version_upload

    resource = resource_create(by=by, dataset=dataset, name=name)
    with TestCase.captureOnCommitCallbacks(execute=True):
        resource_version_upload(
            by=by, resource=resource, filename=filename, chunks=[content], schema=schema
        )
    resource.refresh_from_db()
    assert resource.latest is not None, "the fixture upload did not become ready"
    return resource
