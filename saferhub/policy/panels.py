"""Multi-agency panels: coordinators, meeting windows, panel summaries and online referrals."""

import datetime
from typing import Any

from django.db import models
from django.http import Http404, HttpRequest

from saferhub.accounts.models import Role
from saferhub.audit import log
from saferhub.audit.models import AuditAction
from saferhub.cases.models import (
    Case,
)
from saferhub.policy.cases import case_access, visible_cases
from saferhub.policy.roles import _today, works_cases

# Panel coordinators of the partnership manage panels (types, referrals, meetings,
# hearings). Agencies listed for a meeting see the listed cases' PANEL SUMMARIES
# (never the case file) during the meeting's window: from `summary_days_before`
# the meeting (agenda publication) to `summary_days_after` it, both set on the
# panel type. Every such view is audited. Outside the window the ordinary case
# rules above apply: whoever may see the case file may see its summary.
# Restricted cases are seen only by their named users, whatever else holds.


def can_coordinate_panel(user: Any, panel_type: Any = None) -> bool:
    if not (works_cases(user) and user.has_role(Role.PANEL_COORDINATOR)):
        return False
    return panel_type is None or panel_type.partnership_id == user.partnership_id


def _panel_window_hearings(user: Any, at: datetime.date) -> models.QuerySet:
    """Hearings on meetings the user's agency is listed for, whose summary window includes `at`."""
    from saferhub.panels.models import Hearing, MeetingStatus, PanelType

    if not works_cases(user) or user.agency_id is None:
        return Hearing.objects.none()
    in_window = models.Q(pk__in=[])
    # One condition per panel type (a handful per partnership): each has its own window.
    for panel_type in PanelType.objects.filter(partnership_id=user.partnership_id).only(
        "pk", "summary_days_before", "summary_days_after"
    ):
        in_window |= models.Q(
            meeting__panel_type_id=panel_type.pk,
            meeting__date__gte=at - datetime.timedelta(days=panel_type.summary_days_after),
            meeting__date__lte=at + datetime.timedelta(days=panel_type.summary_days_before),
        )
    return Hearing.objects.filter(
        in_window,
        meeting__partnership_id=user.partnership_id,
        meeting__attendance__agency_id=user.agency_id,
    ).exclude(meeting__status=MeetingStatus.CANCELLED)


def _panel_cases(user: Any) -> models.QuerySet[Case]:
    return Case.objects.live().filter(partnership_id=user.partnership_id, panel__isnull=False)


def visible_panel_cases(user: Any, at: datetime.date | None = None) -> models.QuerySet[Case]:
    """Panel cases whose panel summary the user may see on `at` (today by default)."""
    if not works_cases(user):
        return Case.objects.none()
    at = at or _today()
    ordinary = models.Q(pk__in=visible_cases(user).values("pk"))
    if can_coordinate_panel(user):
        return _panel_cases(user).filter(ordinary | models.Q(restricted=False))
    window = models.Q(restricted=False) & models.Q(
        pk__in=_panel_window_hearings(user, at).values("panel_case__case_id")
    )
    return _panel_cases(user).filter(ordinary | window)


def panel_summary_access(user: Any, case: Case, at: datetime.date | None = None) -> str | None:
    """Why the user may see the case's panel summary ("case", "coordinator", "meeting_window"), or None."""
    if not works_cases(user) or case.partnership_id != user.partnership_id or case.is_archived:
        return None
    if not hasattr(case, "panel"):
        return None
    if case_access(user, case) is not None:
        return "case"
    if case.restricted:
        return None
    if can_coordinate_panel(user):
        return "coordinator"
    if _panel_window_hearings(user, at or _today()).filter(panel_case__case_id=case.pk).exists():
        return "meeting_window"
    return None


def can_view_panel_summary(user: Any, case: Case, at: datetime.date | None = None) -> bool:
    return panel_summary_access(user, case, at) is not None


def get_panel_summary_for_user(request: HttpRequest, reference: str) -> Case:
    """The panel case, audited as a panel-summary view (with the ground of access), or 404."""
    user = request.user
    if not works_cases(user):
        raise Http404("No such panel case")
    case = (
        Case.objects.select_related("case_type", "owning_team", "panel", "panel__panel_type", "panel__person")
        .filter(partnership_id=user.partnership_id, reference=reference)  # type: ignore[union-attr,misc]  # signed in; None matches no row
        .first()
    )
    ground = panel_summary_access(user, case) if case is not None else None
    if case is None or ground is None:
        raise Http404("No such panel case")
    case.summary_access = ground  # type: ignore[attr-defined]
    if request.method == "GET":
        log.record(user, AuditAction.VIEW, case, request=request, detail={"panel_summary": True, "access": ground})
    return case


def panel_actions_for_owner(user: Any) -> models.QuerySet:
    """Outstanding panel actions the user owns: always theirs to see, even on a case file they cannot open."""
    from saferhub.cases.models import Action

    if not works_cases(user):
        return Action.objects.none()
    return Action.objects.outstanding().filter(
        owner=user, case__partnership_id=user.partnership_id, panel_action__isnull=False
    )


# Online referrals: any caseworker of a member agency of an active panel type may refer to it;
# the referral waits for a coordinator. The referrer sees their own referrals (status and
# what they wrote), not the panel case beyond what the rules above allow.


def referable_panel_types(user: Any) -> models.QuerySet:
    """Active panel types the user's agency is a member of."""
    from saferhub.panels.models import PanelType

    if not works_cases(user) or user.agency_id is None:
        return PanelType.objects.none()
    return PanelType.objects.active().filter(partnership_id=user.partnership_id, member_agencies=user.agency_id)


def can_refer_to_panel(user: Any, panel_type: Any) -> bool:
    return referable_panel_types(user).filter(pk=panel_type.pk).exists()


def own_panel_referrals(user: Any) -> models.QuerySet:
    """Referrals the user submitted online, whatever became of them."""
    from saferhub.panels.models import PanelReferral

    if not works_cases(user):
        return PanelReferral.objects.none()
    return PanelReferral.objects.filter(partnership_id=user.partnership_id, created_by=user, submitted_online=True)


def panel_referral_access(user: Any, referral: Any) -> str | None:
    """Why the user may read the referral ("coordinator", "referrer"), or None."""
    if not works_cases(user) or referral.partnership_id != user.partnership_id:
        return None
    case = referral.panel_case.case if referral.panel_case_id else None
    if can_coordinate_panel(user, referral.panel_type) and (case is None or can_view_panel_summary(user, case)):
        return "coordinator"
    if referral.submitted_online and referral.created_by_id == user.pk:
        return "referrer"
    return None
