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
