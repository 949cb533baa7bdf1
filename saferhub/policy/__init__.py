"""Who may see and change what. The one place access is decided.

Views, exports, searches and reports ask here and never re-implement a rule.

A user works with case files only when they hold a casework role (caseworker,
team manager, panel coordinator) in their partnership. Such a user sees a case
when:
- their team owns it;
- it is shared, unexpired and unrevoked, with their agency or their team;
- they hold an unexpired break-glass grant for it.
A restricted case is seen only by the users named on it, whatever else holds.
Analysts and board members see aggregates only; administrators and auditors
see administration and the audit trail, not case files.

What a user may do with a visible case:
- VIEW: read it;
- CONTRIBUTE: add notes and actions (owning team, shares, named users);
- EDIT: change details, participants, status and sharing (owning team only).

The rules live in one module per subject (``roles``, ``cases``, ``people``,
``referrals``, ``panels``, ``asb``, ``victims``, ``setup``); callers import this package
and use the names below, never a submodule's private helpers. A new module adds
its own submodule here and re-exports its public names.
"""

from saferhub.core.access import Access
from saferhub.policy.asb import (
    can_change_asb_details,
    can_manage_pspos,
    can_see_pspos,
    get_case_review_for_user,
    visible_asb_case_parts,
    visible_case_reviews,
    visible_fixed_penalties,
    visible_fixed_penalty_parts,
    visible_intervention_parts,
    works_case_reviews,
)
from saferhub.policy.cases import (
    can_break_glass,
    can_contribute,
    can_create_case,
    can_edit_case,
    can_view_case,
    case_access,
    find_case_for_break_glass,
    get_case_for_user,
    grant_break_glass,
    visible_case_grounds,
    visible_case_parts,
    visible_cases,
)
from saferhub.policy.crime import can_edit_crime_commentary, can_view_crime_dashboard
from saferhub.policy.governance import (
    can_manage_governance,
    can_view_governance,
    get_action_plan_for_user,
    get_activity_for_user,
    get_commitment_for_user,
    visible_action_plans,
    visible_activities,
    visible_commitments,
)
from saferhub.policy.panels import (
    can_coordinate_panel,
    can_refer_to_panel,
    can_view_panel_summary,
    get_hearing_for_user,
    get_panel_summary_for_user,
    own_panel_referrals,
    panel_actions_for_owner,
    panel_referral_access,
    panel_summary_access,
    readable_repeat_referrals,
    referable_panel_people,
    referable_panel_types,
    visible_hearings,
    visible_listed_count,
    visible_open_cases_count,
    visible_panel_actions,
    visible_panel_case_parts,
    visible_panel_cases,
    visible_panel_referral_parts,
    visible_panel_referrals,
)
from saferhub.policy.people import (
    can_edit_person,
    can_see_confidential_contacts,
    get_person_for_user,
    visible_people,
)
from saferhub.policy.places import (
    can_manage_places,
    can_view_places,
    get_lsoa_for_user,
    get_population_for_user,
    get_ward_for_user,
    visible_lsoas,
    visible_population,
    visible_wards,
)
from saferhub.policy.referrals import (
    can_decide_referral,
    get_referral_for_user,
    visible_referral_parts,
    visible_referrals,
)
from saferhub.policy.reports import visible_report_builds
from saferhub.policy.retention import (
    can_export_subject_access,
    can_manage_retention,
    can_review_retention,
    get_case_for_erasure,
    get_person_for_subject_access,
    retention_cases,
    subject_access_cases,
    subject_access_people,
)
from saferhub.policy.roles import (
    can_administer,
    can_import,
    can_review_break_glass,
    can_view_audit,
    can_view_reports,
    works_cases,
)
from saferhub.policy.setup import can_set_up
from saferhub.policy.victims import (
    can_manage_directory,
    can_read_directory,
    can_set_targets,
    visible_hub_referral_parts,
    visible_hub_referrals,
)

__all__ = [
    "Access",
    "can_administer",
    "can_break_glass",
    "can_change_asb_details",
    "can_contribute",
    "can_coordinate_panel",
    "can_create_case",
    "can_decide_referral",
    "can_edit_case",
    "can_edit_crime_commentary",
    "can_edit_person",
    "can_export_subject_access",
    "can_import",
    "can_manage_directory",
    "can_manage_governance",
    "can_manage_places",
    "can_manage_pspos",
    "can_manage_retention",
    "can_read_directory",
    "can_refer_to_panel",
    "can_review_break_glass",
    "can_review_retention",
    "can_see_confidential_contacts",
    "can_see_pspos",
    "can_set_up",
    "visible_report_builds",
    "can_set_targets",
    "can_view_audit",
    "can_view_case",
    "can_view_crime_dashboard",
    "can_view_governance",
    "get_action_plan_for_user",
    "get_activity_for_user",
    "get_commitment_for_user",
    "visible_action_plans",
    "visible_activities",
    "visible_commitments",
    "can_view_panel_summary",
    "can_view_places",
    "can_view_reports",
    "case_access",
    "find_case_for_break_glass",
    "get_case_for_erasure",
    "get_case_for_user",
    "get_case_review_for_user",
    "get_hearing_for_user",
    "get_lsoa_for_user",
    "get_panel_summary_for_user",
    "get_person_for_subject_access",
    "get_person_for_user",
    "get_population_for_user",
    "get_referral_for_user",
    "get_ward_for_user",
    "grant_break_glass",
    "own_panel_referrals",
    "panel_actions_for_owner",
    "panel_referral_access",
    "panel_summary_access",
    "referable_panel_people",
    "referable_panel_types",
    "retention_cases",
    "subject_access_cases",
    "subject_access_people",
    "visible_asb_case_parts",
    "visible_case_reviews",
    "visible_case_grounds",
    "visible_case_parts",
    "visible_cases",
    "visible_fixed_penalties",
    "visible_fixed_penalty_parts",
    "visible_hearings",
    "visible_hub_referral_parts",
    "visible_intervention_parts",
    "visible_hub_referrals",
    "visible_listed_count",
    "visible_lsoas",
    "visible_open_cases_count",
    "visible_panel_actions",
    "visible_panel_case_parts",
    "visible_panel_cases",
    "visible_panel_referral_parts",
    "visible_panel_referrals",
    "readable_repeat_referrals",
    "visible_people",
    "visible_population",
    "visible_referral_parts",
    "visible_referrals",
    "visible_wards",
    "works_case_reviews",
    "works_cases",
]
