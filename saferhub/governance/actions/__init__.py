"""Every change to the governance records, each in one transaction with its audit row.

`plans`: action plans and activities; `issues`: issues raised on an activity and the actions they
become; `indicators`: strategies and indicators;
`providers`: commissioned services and their returns; `archive`: archiving and restoring
strategies, priorities, commissioned services and KPIs.
"""

from saferhub.core.versioning import StaleEdit
from saferhub.governance.actions.archive import archive, restore
from saferhub.governance.actions.indicators import (
    add_priority,
    create_indicator,
    create_strategy,
    recompute,
    record_value,
    set_target,
    store_computed,
    update_indicator,
    update_priority,
    update_strategy,
)
from saferhub.governance.actions.issues import record_issue, turn_issue_into_action, update_issue
from saferhub.governance.actions.plans import add_commitment, record_activity, record_status, update_activity
from saferhub.governance.actions.providers import (
    ReturnRefused,
    accept_return,
    add_kpi,
    create_service,
    remind,
    request_return,
    return_to_provider,
    save_return,
    update_kpi,
    update_service,
)

__all__ = [
    "ReturnRefused",
    "StaleEdit",
    "accept_return",
    "add_commitment",
    "add_kpi",
    "add_priority",
    "archive",
    "create_indicator",
    "create_service",
    "create_strategy",
    "recompute",
    "record_activity",
    "record_issue",
    "record_status",
    "record_value",
    "remind",
    "request_return",
    "restore",
    "return_to_provider",
    "save_return",
    "set_target",
    "store_computed",
    "turn_issue_into_action",
    "update_activity",
    "update_indicator",
    "update_issue",
    "update_kpi",
    "update_priority",
    "update_service",
    "update_strategy",
]
