import factory
from django.utils import timezone

from interborough.pipeline.models import (
    ContractRecord,
    ContributionRequest,
    Project,
    ProjectStatus,
    StatusUpdate,
    Tag,
    Theme,
    Watch,
)
from interborough.pipeline.reference import THEMES
from tests.factories.accounts import OrganisationFactory, UserFactory


def load_reference_themes() -> None:
    """The themes migration 0002 loads (for tests that run after a transactional test's flush)."""
    for position, ref in enumerate(THEMES):
        Theme.objects.update_or_create(
            slug=ref.slug,
            defaults={"name": ref.name, "description": ref.description, "position": position},
        )


def theme(slug: str = "housing") -> Theme:
    """A theme loaded by migration 0002."""
    return Theme.objects.get(slug=slug)


class ProjectFactory(factory.django.DjangoModelFactory):
    """A draft project; pass status=ProjectStatus.PUBLISHED (published_at is then set)."""

    class Meta:
        model = Project
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Test project {n}")
    summary = "A short summary of what the project does."
    problem = "Residents wait too long for repairs to be booked."
    organisation = factory.SubFactory(OrganisationFactory)
    status = ProjectStatus.DRAFT
    published_at = factory.LazyAttribute(
        lambda o: timezone.now() if o.status != ProjectStatus.DRAFT else None
    )

    @factory.post_generation
    def themes(obj, create, extracted, **kwargs):
        if create:
            obj.themes.set([theme(s) for s in (extracted or ["housing"])])

    @factory.post_generation
    def tags(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.tags.set([Tag.objects.get_or_create(name=t)[0] for t in extracted])


class StatusUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StatusUpdate

    project = factory.SubFactory(ProjectFactory)
    author = factory.SubFactory(UserFactory)
    text = "Discovery finished; moving to alpha."


class WatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Watch

    project = factory.SubFactory(ProjectFactory)
    user = factory.SubFactory(UserFactory)


class ContributionRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContributionRequest

    project = factory.SubFactory(ProjectFactory, status=ProjectStatus.PUBLISHED)
    user = factory.SubFactory(UserFactory)
    message = "We built something similar and can share our research."


class ContractRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContractRecord

    organisation = factory.SubFactory(OrganisationFactory)
    product = factory.Sequence(lambda n: f"Housing system {n}")
    category = "Housing management"
    supplier_name = "Example Systems Ltd"
