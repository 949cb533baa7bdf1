"""State changes of panels: referrals, meetings, agendas, hearings, information shared and actions.

Each function is one transaction that writes its audit rows with the change.
Callers check permission first through `saferhub.policy` (`can_coordinate_panel`).
The public names are re-exported here, so callers keep `from saferhub.panels import actions`.
"""

from saferhub.panels.actions.common import PanelError, owning_team, panel_case_for
from saferhub.panels.actions.hearings import (
    agree_action,
    overdue_panel_actions,
    record_outcome,
    record_outcomes,
    share_information,
)
from saferhub.panels.actions.meetings import (
    add_meeting_agency,
    agenda_candidates,
    build_agenda,
    cancel_meeting,
    list_case,
    mark_held,
    move_hearing,
    open_at_holding,
    record_attendance,
    remove_from_agenda,
    schedule_meeting,
)
from saferhub.panels.actions.panel_types import update_panel_type
from saferhub.panels.actions.referrals import (
    accept_referral,
    add_incident_person,
    create_referral,
    remove_incident_person,
    return_referral,
    submit_referral,
    update_referral,
)

__all__ = [
    "PanelError",
    "accept_referral",
    "add_incident_person",
    "add_meeting_agency",
    "agenda_candidates",
    "agree_action",
    "build_agenda",
    "cancel_meeting",
    "create_referral",
    "list_case",
    "mark_held",
    "open_at_holding",
    "move_hearing",
    "overdue_panel_actions",
    "owning_team",
    "panel_case_for",
    "record_attendance",
    "record_outcome",
    "record_outcomes",
    "remove_from_agenda",
    "remove_incident_person",
    "return_referral",
    "schedule_meeting",
    "share_information",
    "submit_referral",
    "update_panel_type",
    "update_referral",
]
