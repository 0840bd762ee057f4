"""Datasets as other modules need them: by slug, the field names their data carries, and the
published ones of given publishers (the sharing module reads the catalogue through these)."""

from collections.abc import Collection

from django.db.models import F

from interborough.catalogue.models import Dataset, DatasetStatus, ResourceVersion


def dataset_field_names(*, dataset: Dataset) -> set[str]:
    """Every field in the newest ready version of each of the dataset's resources."""
    schemas = ResourceVersion.objects.filter(
        resource__dataset=dataset, resource__latest=F("pk")
    ).values_list("schema", flat=True)
    names: set[str] = set()
    for schema in schemas:
        for field in (schema or {}).get("fields", []):
            if isinstance(field, dict) and isinstance(field.get("name"), str):
                names.add(field["name"])
    return names


def dataset_for_slug(*, slug: str) -> Dataset | None:
    """The dataset with this slug, whatever its status (agreements may name one not yet
    published); None when there is none."""
    return Dataset.objects.filter(slug=slug).select_related("publisher").first()


def datasets_for_slugs(*, slugs: list[str]) -> dict[str, Dataset]:
    """The datasets with these slugs, by slug (missing slugs are simply absent)."""
    return {d.slug: d for d in Dataset.objects.filter(slug__in=slugs).select_related("publisher")}


def published_dataset_choices(*, publisher_ids: Collection[int]) -> list[tuple[str, str]]:
    """(slug, title) of the published datasets of these publishers, by title."""
    rows = Dataset.objects.filter(status=DatasetStatus.PUBLISHED, publisher_id__in=publisher_ids)
    return list(rows.order_by("title", "slug").values_list("slug", "title"))
