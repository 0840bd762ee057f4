"""Slugs for new rows: readable, stable, and free."""

from collections.abc import Collection

from django.db.models import QuerySet
from django.utils.text import slugify


def free_slug(
    text: str,
    *,
    existing: QuerySet,
    fallback: str,
    max_stem: int = 90,
    reserved: Collection[str] = (),
) -> str:
    """The slugified text, then -2, -3 … on a clash with `existing` rows' slugs or `reserved`.

    `max_stem` leaves room for the suffix within the column.
    """
    stem = slugify(text)[:max_stem].strip("-") or fallback
    taken = set(existing.filter(slug__startswith=stem).values_list("slug", flat=True))
    taken |= set(reserved)
    if stem not in taken:
        return stem
    suffix = 2
    while f"{stem}-{suffix}" in taken:
        suffix += 1
    return f"{stem}-{suffix}"
