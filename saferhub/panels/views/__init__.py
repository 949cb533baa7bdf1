"""Panel pages: panel types, referrals, meetings, hearings, summaries and actions.

Coordinators (policy.can_coordinate_panel) manage everything here. Other caseworkers
see the panel summaries the policy allows and the panel actions they own. Every
change goes through `saferhub.panels.actions`. The views are re-exported here for
`saferhub.panels.urls`.
"""

from saferhub.panels.views.hearings import (
    add_action,
    add_information,
    hearing_detail,
    move_hearing_down,
    move_hearing_up,
    record_outcome,
    remove_hearing,
)
from saferhub.panels.views.home import index
from saferhub.panels.views.meetings import (
    add_agency,
    agenda_docx,
    attendance,
    build_agenda,
    cancel_meeting,
    mark_held,
    meeting_create,
    meeting_detail,
    meeting_outcomes,
    minutes_docx,
)
from saferhub.panels.views.panel_types import panel_type_detail, panel_type_settings
from saferhub.panels.views.referrals import refer, referral_create, referral_detail
from saferhub.panels.views.summaries import complete_action, overdue_actions, panel_summary

__all__ = [
    "add_action",
    "add_agency",
    "add_information",
    "agenda_docx",
    "attendance",
    "build_agenda",
    "cancel_meeting",
    "complete_action",
    "hearing_detail",
    "index",
    "mark_held",
    "meeting_create",
    "meeting_detail",
    "meeting_outcomes",
    "minutes_docx",
    "move_hearing_down",
    "move_hearing_up",
    "overdue_actions",
    "panel_summary",
    "panel_type_detail",
    "panel_type_settings",
    "record_outcome",
    "refer",
    "referral_create",
    "referral_detail",
    "remove_hearing",
]
