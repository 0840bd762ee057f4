"""The city data store's records: datasets, their resources, and each resource's versions."""

from interborough.catalogue.models.datasets import (
    AccessLevel,
    Classification,
    Dataset,
    DatasetStatus,
    Frequency,
    Keyword,
    Licence,
    Topic,
)
from interborough.catalogue.models.resources import Resource, ResourceVersion, VersionStatus

__all__ = [
    "AccessLevel",
    "Classification",
    "Dataset",
    "DatasetStatus",
    "Frequency",
    "Keyword",
    "Licence",
    "Resource",
    "ResourceVersion",
    "Topic",
    "VersionStatus",
]
