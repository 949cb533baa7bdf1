"""ASB casework pages: the module's index, ASB cases, reports, tools and powers, PSPOs and settings.

Case files are fetched through `saferhub.policy` (via `access.get_asb_case_for_user`);
every change goes through `saferhub.asb.actions`.
"""

from saferhub.asb.views.cases import (
    case_create,
    case_detail,
    details_edit,
    index,
    report_add,
    report_explained,
    victim_contact,
)
from saferhub.asb.views.common import PER_PAGE, STALE_MESSAGE, form_page
from saferhub.asb.views.configuration import desk_edit, setting_add, settings_page
from saferhub.asb.views.tools import (
    fpn_escalate,
    fpn_payment,
    fpn_register,
    intervention_add,
    intervention_status,
    pspo_breach,
    pspo_create,
    pspo_detail,
    pspo_list,
    pspo_renew,
    register,
)

__all__ = [
    "PER_PAGE",
    "STALE_MESSAGE",
    "case_create",
    "case_detail",
    "desk_edit",
    "details_edit",
    "form_page",
    "fpn_escalate",
    "fpn_payment",
    "fpn_register",
    "index",
    "intervention_add",
    "intervention_status",
    "pspo_breach",
    "pspo_create",
    "pspo_detail",
    "pspo_list",
    "pspo_renew",
    "register",
    "report_add",
    "report_explained",
    "setting_add",
    "settings_page",
    "victim_contact",
]
