"""A dataset: what it is, who publishes it, how often it is refreshed and who may read it."""

from django.conf import settings
from django.db import models

from interborough.core.models import TimeStampedModel


class Licence(models.TextChoices):
    """The licences publishers choose from; each maps to its URI in the DCAT export."""

    OGL_3 = "OGL-UK-3.0", "Open Government Licence v3.0"
    CC_BY_4 = "CC-BY-4.0", "Creative Commons Attribution 4.0"
    CC0 = "CC0-1.0", "Creative Commons Zero 1.0 (public domain)"
    ODBL = "ODbL-1.0", "Open Data Commons Open Database Licence 1.0"
    RESTRICTED = "restricted", "No open licence: use under the data's access terms"


class AccessLevel(models.TextChoices):
    OPEN = "open", "Open: anyone"
    SIGNED_IN = "signed_in", "Signed-in people on the platform"
    RESTRICTED = "restricted", "Restricted: a grant is needed"


class Classification(models.TextChoices):
    """The UK Government Security Classifications the platform holds (nothing above OFFICIAL)."""

    OFFICIAL = "official", "OFFICIAL"
    OFFICIAL_SENSITIVE = "official_sensitive", "OFFICIAL-SENSITIVE"


class Frequency(models.TextChoices):
    """The promised update frequency (the EU frequency vocabulary DCAT-AP uses)."""

    CONTINUOUS = "CONT", "Continuously"
    DAILY = "DAILY", "Daily"
    WEEKLY = "WEEKLY", "Weekly"
    MONTHLY = "MONTHLY", "Monthly"
    QUARTERLY = "QUARTERLY", "Quarterly"
    ANNUAL = "ANNUAL", "Annually"
    IRREGULAR = "IRREG", "Irregularly"
    NEVER = "NEVER", "Never (a one-off)"


class DatasetStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    WITHDRAWN = "withdrawn", "Withdrawn"


DATASET_TRANSITIONS: dict[str, frozenset[str]] = {
    DatasetStatus.DRAFT: frozenset({DatasetStatus.PUBLISHED}),
    DatasetStatus.PUBLISHED: frozenset({DatasetStatus.WITHDRAWN}),
    DatasetStatus.WITHDRAWN: frozenset({DatasetStatus.PUBLISHED}),
}


class Topic(models.Model):
    """A topic (reference data, see catalogue/reference.py)."""

    slug = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=100, unique=True)
    data_theme = models.CharField(max_length=10, help_text="EU Data Theme code, e.g. SOCI.")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Keyword(models.Model):
    """A free tag on datasets, in lower case."""

    name = models.CharField(max_length=50, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Dataset(TimeStampedModel):
    """A dataset in the city data store. Its slug, once published, never changes."""

    publisher = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="datasets"
    )
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(help_text="Markdown.")
    licence = models.CharField(max_length=20, choices=Licence.choices, default=Licence.OGL_3)
    topics = models.ManyToManyField(Topic, blank=True, related_name="datasets")
    keywords = models.ManyToManyField(Keyword, blank=True, related_name="datasets")
    boroughs = models.ManyToManyField(
        "accounts.Organisation",
        blank=True,
        related_name="covered_by_datasets",
        help_text="Spatial coverage: the local authorities the data covers.",
    )
    temporal_start = models.DateField(null=True, blank=True)
    temporal_end = models.DateField(null=True, blank=True)
    frequency = models.CharField(
        max_length=10, choices=Frequency.choices, default=Frequency.IRREGULAR
    )
    contact_name = models.CharField(max_length=150, blank=True)
    contact_email = models.EmailField(blank=True)
    access_level = models.CharField(
        max_length=20, choices=AccessLevel.choices, default=AccessLevel.OPEN, db_index=True
    )
    classification = models.CharField(
        max_length=20, choices=Classification.choices, default=Classification.OFFICIAL
    )
    information_asset_owner = models.CharField(max_length=150, blank=True)
    status = models.CharField(
        max_length=20, choices=DatasetStatus.choices, default=DatasetStatus.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(null=True, blank=True)
    last_version_at = models.DateTimeField(
        null=True,
        blank=True,
        db_index=True,
        help_text="When the newest version of any resource landed.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    harvest_source = models.ForeignKey(
        "catalogue.HarvestSource",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="datasets",
        help_text="Set when the dataset is copied in from another catalogue.",
    )
    harvest_identifier = models.CharField(
        max_length=500, blank=True, help_text="The dataset's id in the harvested catalogue."
    )
    harvest_url = models.URLField(max_length=500, blank=True)

    class Meta:
        ordering = ["title"]
        # The search index checks the newest edit on every request (selectors/search_cache.py).
        indexes = [models.Index(fields=["updated_at"], name="dataset_updated_at")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(temporal_end__isnull=True)
                | models.Q(temporal_start__isnull=True)
                | models.Q(temporal_end__gte=models.F("temporal_start")),
                name="dataset_temporal_in_order",
            ),
            models.UniqueConstraint(
                fields=["harvest_source", "harvest_identifier"],
                condition=models.Q(harvest_source__isnull=False),
                name="harvested_dataset_once",
            ),
        ]

    def __str__(self) -> str:
        return self.title
