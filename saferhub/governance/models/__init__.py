"""Partnership governance models: action plans and activities (`plans`), issues raised on activities
(`issues`), strategies and indicators (`strategy`), commissioned services and their returns (`providers`)."""

from saferhub.governance.models.issues import ActivityIssue, ActivityIssueQuerySet
from saferhub.governance.models.plans import (
    RAG_OF_STATUS,
    ActionPlan,
    ActionPlanQuerySet,
    Activity,
    ActivityKind,
    ActivityQuerySet,
    Audience,
    Commitment,
    CommitmentQuerySet,
    CommitmentStatus,
    CommitmentUpdate,
    Rag,
    derived_rag,
)
from saferhub.governance.models.providers import (
    CommissionedService,
    ProviderReturn,
    ProviderReturnValue,
    ReturnStatus,
    ServiceKpi,
)
from saferhub.governance.models.strategy import (
    Frequency,
    GoodDirection,
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    Priority,
    Source,
    Strategy,
    Unit,
)

__all__ = [
    "RAG_OF_STATUS",
    "ActionPlan",
    "ActionPlanQuerySet",
    "Activity",
    "ActivityIssue",
    "ActivityIssueQuerySet",
    "ActivityKind",
    "ActivityQuerySet",
    "Audience",
    "CommissionedService",
    "Commitment",
    "CommitmentQuerySet",
    "CommitmentStatus",
    "CommitmentUpdate",
    "Frequency",
    "GoodDirection",
    "Indicator",
    "IndicatorTarget",
    "IndicatorValue",
    "Priority",
    "ProviderReturn",
    "ProviderReturnValue",
    "Rag",
    "ReturnStatus",
    "ServiceKpi",
    "Source",
    "Strategy",
    "Unit",
    "derived_rag",
]
