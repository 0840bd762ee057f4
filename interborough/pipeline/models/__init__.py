"""The pipeline's records: projects and what hangs off them, and the contract register."""

from interborough.pipeline.models.contracts import ContractRecord, ValueBand
from interborough.pipeline.models.imports import ImportKind, ImportRun, ImportStatus
from interborough.pipeline.models.people import (
    ContributionRequest,
    ContributionStatus,
    Subscription,
    Watch,
)
from interborough.pipeline.models.projects import (
    BudgetBand,
    FundingSource,
    Phase,
    Project,
    ProjectStatus,
    SimilarityAlert,
    StatusUpdate,
    Tag,
    Theme,
)

__all__ = [
    "BudgetBand",
    "ContractRecord",
    "ContributionRequest",
    "ContributionStatus",
    "FundingSource",
    "ImportKind",
    "ImportRun",
    "ImportStatus",
    "Phase",
    "Project",
    "ProjectStatus",
    "SimilarityAlert",
    "StatusUpdate",
    "Subscription",
    "Tag",
    "Theme",
    "ValueBand",
    "Watch",
]
