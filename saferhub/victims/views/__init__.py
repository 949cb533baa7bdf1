"""Victim Care Hub pages: the hub's queue and cases, the referral form, one page per recorded thing.

Hub referrals are fetched through `saferhub.victims.access.get_hub_for_user`, which
asks `saferhub.policy` (404 for outsiders). Every change goes through
`saferhub.victims.actions`.
"""

from saferhub.victims.views.administration import add_setting, set_team, settings_page, targets
from saferhub.victims.views.common import NEEDS_RISK_TEMPLATE, PAGE_SIZE, NotNow, hub_url
from saferhub.victims.views.hubs import create, detail, index, open_cases, triage
from saferhub.victims.views.recording import (
    accept,
    care_plan_add,
    care_plan_update,
    close,
    contact_attempt,
    edit_details,
    onward_add,
    onward_outcome,
    right_record,
    rights_record,
    rj_informed,
    rj_referral,
    safety_item_add,
    start_scores,
    support_add,
)

__all__ = [
    "NEEDS_RISK_TEMPLATE",
    "NotNow",
    "PAGE_SIZE",
    "accept",
    "add_setting",
    "care_plan_add",
    "care_plan_update",
    "close",
    "contact_attempt",
    "create",
    "detail",
    "edit_details",
    "hub_url",
    "index",
    "onward_add",
    "onward_outcome",
    "open_cases",
    "right_record",
    "rights_record",
    "rj_informed",
    "rj_referral",
    "safety_item_add",
    "set_team",
    "settings_page",
    "start_scores",
    "support_add",
    "targets",
    "triage",
]
