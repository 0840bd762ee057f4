"""The city data store's records: datasets, their resources and versions, access to restricted
data, usage and follows, and harvesting."""

from interborough.catalogue.models.access import (
    AccessDuration,
    AccessGrant,
    AccessRequest,
    AccessRequestStatus,
)
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
from interborough.catalogue.models.harvest import (
    HarvestKind,
    HarvestRun,
    HarvestSource,
    HarvestStatus,
)
from interborough.catalogue.models.resources import Resource, ResourceVersion, VersionStatus
from interborough.catalogue.models.usage import DatasetFollow, DatasetUsage, UsageKind

__all__ = [
    "AccessDuration",
    "AccessGrant",
    "AccessLevel",
    "AccessRequest",
    "AccessRequestStatus",
    "Classification",
    "Dataset",
    "DatasetFollow",
    "DatasetStatus",
    "DatasetUsage",
    "Frequency",
    "HarvestKind",
    "HarvestRun",
    "HarvestSource",
    "HarvestStatus",
    "Keyword",
    "Licence",
    "Resource",
    "ResourceVersion",
    "Topic",
    "UsageKind",
    "VersionStatus",
]
