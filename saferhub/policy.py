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
"""

import datetime
from enum import Enum
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.http import Http404, HttpRequest
from django.utils import timezone

from saferhub.accounts.models import CASEWORK_ROLES, REPORTING_ROLES, Role
from saferhub.audit import log
from saferhub.audit.models import AuditAction
from saferhub.cases.models import (
    BreakGlassGrant,
    Case,
    CaseQuerySet,
    CaseShare,
    Participant,
    Referral,
    ReferralQuerySet,
    RestrictedAccess,
)
from saferhub.people.models import Person, PersonQuerySet

if TYPE_CHECKING:
    from saferhub.asb.models import CaseReviewQuerySet


class Access(Enum):
    VIEW = 1
    CONTRIBUTE = 2
    EDIT = 3


def _active(user: Any) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.partnership_id)


def works_cases(user: Any) -> bool:
    return _active(user) and user.has_role(*CASEWORK_ROLES)


def can_view_reports(user: Any) -> bool:
    return _active(user) and user.has_role(*REPORTING_ROLES, Role.TEAM_MANAGER, Role.PARTNERSHIP_ADMIN)


def can_administer(user: Any) -> bool:
    return _active(user) and user.has_role(Role.PARTNERSHIP_ADMIN)


def can_view_audit(user: Any) -> bool:
    return _active(user) and user.has_role(Role.AUDITOR)


def can_review_break_glass(user: Any) -> bool:
    return _active(user) and user.has_role(Role.AUDITOR, Role.PARTNERSHIP_ADMIN)


def can_import(user: Any) -> bool:
    return _active(user) and user.has_role(Role.PARTNERSHIP_ADMIN, Role.ANALYST)


# Cases ---------------------------------------------------------------------


def _today() -> datetime.date:
    return timezone.localdate()


def _shared_case_ids(user: Any) -> models.QuerySet:
    return (
        CaseShare.objects.current(_today())
        .filter(models.Q(agency_id=user.agency_id) | models.Q(team_id=user.team_id))
        .values("case_id")
    )


def _break_glass_case_ids(user: Any) -> models.QuerySet:
    return BreakGlassGrant.objects.filter(user=user, expires_at__gt=timezone.now()).values("case_id")


def visible_cases(user: Any) -> CaseQuerySet:
    """Every case the user may open. Use it for lists, searches and counts shown to caseworkers.

    Built as a union of small indexed id sets (owned, shared, break glass, named) so the
    database never scans the whole partnership to decide visibility.
    """
    if not works_cases(user):
        return Case.objects.none()
    # Owned cases come from the team index; shares, grants and names are few, so they are read
    # from their own tables and their cases fetched by key. Each part applies the restriction
    # rule itself: an OR across the union would make the planner scan every case.
    owned = (
        Case.objects.filter(partnership_id=user.partnership_id, owning_team_id=user.team_id, restricted=False)
        .order_by()
        .values("pk")
    )
    # Shares only ever go to agencies and teams of the case's own partnership (see
    # cases.actions.share_case), and the user's agency and team are in theirs.
    shared = (
        CaseShare.objects.current(_today())
        .filter(models.Q(agency_id=user.agency_id) | models.Q(team_id=user.team_id))
        .filter(case__restricted=False)
        .order_by()
        .values("case_id")
    )
    broken_glass = (
        BreakGlassGrant.objects.filter(user=user, expires_at__gt=timezone.now())
        .filter(case__partnership_id=user.partnership_id, case__restricted=False)
        .order_by()
        .values("case_id")
    )
    named = (
        RestrictedAccess.objects.filter(user=user, case__partnership_id=user.partnership_id, case__restricted=True)
        .order_by()
        .values("case_id")
    )
    return Case.objects.live().filter(pk__in=owned.union(shared, broken_glass, named))


def case_access(user: Any, case: Case) -> Access | None:
    """The most the user may do with this case, or None when they may not see it."""
    if not works_cases(user) or case.partnership_id != user.partnership_id or case.is_archived:
        return None
    owner = user.team_id is not None and case.owning_team_id == user.team_id
    if case.restricted:
        if not RestrictedAccess.objects.filter(case=case, user=user).exists():
            return None
        return Access.EDIT if owner else Access.CONTRIBUTE
    if owner:
        return Access.EDIT
    if (
        CaseShare.objects.current(_today())
        .filter(case=case)
        .filter(models.Q(agency_id=user.agency_id) | models.Q(team_id=user.team_id))
        .exists()
    ):
        return Access.CONTRIBUTE
    if BreakGlassGrant.objects.filter(case=case, user=user, expires_at__gt=timezone.now()).exists():
        return Access.VIEW
    return None


def can_view_case(user: Any, case: Case) -> bool:
    return case_access(user, case) is not None


def can_contribute(user: Any, case: Case) -> bool:
    access = case_access(user, case)
    return access is not None and access.value >= Access.CONTRIBUTE.value


def can_edit_case(user: Any, case: Case) -> bool:
    return case_access(user, case) == Access.EDIT


def can_create_case(user: Any) -> bool:
    return works_cases(user) and user.team_id is not None


def can_break_glass(user: Any, case: Case) -> bool:
    """Emergency access is for unrestricted cases in the user's own partnership that they cannot already see."""
    return (
        works_cases(user)
        and case.partnership_id == user.partnership_id
        and not case.restricted
        and not case.is_archived
        and case_access(user, case) is None
    )


def get_case_for_user(request: HttpRequest, reference: str, need: Access = Access.VIEW) -> Case:
    """The case, audited as viewed, or 404 for anyone who may not see it (its existence is not revealed).

    A user who may see it but needs more than they have gets 403.
    """
    user = request.user
    if not works_cases(user):
        raise Http404("No such case")
    case = (
        Case.objects.select_related("case_type", "owning_team", "owning_team__agency", "assigned_to")
        .filter(partnership_id=user.partnership_id, reference=reference)  # type: ignore[union-attr,misc]  # signed in; None matches no row
        .first()
    )
    if case is None:
        raise Http404("No such case")
    access = case_access(user, case)
    if access is None:
        raise Http404("No such case")
    case.access = access
    if access.value < need.value:
        log.record(user, AuditAction.DENIED, case, request=request, detail={"needed": need.name})
        raise PermissionDenied("You cannot change this case.")
    if request.method == "GET":
        log.record(user, AuditAction.VIEW, case, request=request)
    return case


def find_case_for_break_glass(user: Any, reference: str) -> Case:
    case = Case.objects.filter(partnership_id=user.partnership_id, reference=reference).first()
    if case is None or not can_break_glass(user, case):
        raise Http404("No such case")
    return case


def grant_break_glass(user: Any, case: Case, reason: str, request: HttpRequest | None = None) -> BreakGlassGrant:
    reason = reason.strip()
    if len(reason) < 10:
        raise ValueError("Give the reason for emergency access in at least 10 characters.")
    if not can_break_glass(user, case):
        raise PermissionDenied("Emergency access is not available for this case.")
    with transaction.atomic():
        grant = BreakGlassGrant.objects.create(
            case=case,
            user=user,
            reason=reason,
            expires_at=timezone.now() + datetime.timedelta(minutes=settings.BREAK_GLASS_MINUTES),
        )
        log.record(user, AuditAction.BREAK_GLASS, case, request=request, reason=reason, flagged=True)
    return grant


# People ---------------------------------------------------------------------


def visible_people(user: Any) -> PersonQuerySet:
    """People taking part in cases the user may see, or named on referrals to their team.

    A person's part in cases the user cannot see is never revealed.
    """
    if not works_cases(user):
        return Person.objects.none()
    in_cases = Participant.objects.filter(case__in=visible_cases(user)).values("person_id")
    referred = Referral.objects.filter(to_team_id=user.team_id, person__isnull=False).values("person_id")
    return (
        Person.objects.live()
        .filter(partnership_id=user.partnership_id)
        .filter(models.Q(pk__in=in_cases) | models.Q(pk__in=referred))
    )


def get_person_for_user(request: HttpRequest, pk: int) -> Person:
    person = visible_people(request.user).filter(pk=pk).first()
    if person is None:
        raise Http404("No such person")
    if request.method == "GET":
        log.record(request.user, AuditAction.VIEW, person, request=request)
    return person


def can_see_confidential_contacts(user: Any, person: Person) -> bool:
    """Confidential details (a refuge address, a safe number) stay with the teams that own the person's cases."""
    if not works_cases(user) or user.team_id is None:
        return False
    return Participant.objects.filter(
        person=person, case__owning_team_id=user.team_id, case__archived_at__isnull=True
    ).exists()


def can_edit_person(user: Any, person: Person) -> bool:
    return can_see_confidential_contacts(user, person)


# Referrals ------------------------------------------------------------------


def visible_referrals(user: Any) -> ReferralQuerySet:
    """Referrals sent to the user's team, and those their team made."""
    if not works_cases(user) or user.team_id is None:
        return Referral.objects.none()
    return Referral.objects.filter(partnership_id=user.partnership_id).filter(
        models.Q(to_team_id=user.team_id) | models.Q(from_team_id=user.team_id)
    )


def can_decide_referral(user: Any, referral: Referral) -> bool:
    return works_cases(user) and referral.partnership_id == user.partnership_id and referral.to_team_id == user.team_id


def get_referral_for_user(request: HttpRequest, pk: int, *, decide: bool = False) -> Referral:
    referral = (
        visible_referrals(request.user)
        .select_related("to_team", "from_team", "from_agency", "person", "case_type", "case")
        .filter(pk=pk)
        .first()
    )
    if referral is None:
        raise Http404("No such referral")
    if decide and not can_decide_referral(request.user, referral):
        raise PermissionDenied("Only the team the referral was sent to can decide it.")
    if request.method == "GET":
        log.record(request.user, AuditAction.VIEW, referral, request=request)
    return referral


# Panels ---------------------------------------------------------------------
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


# ASB ------------------------------------------------------------------------
# Tools and powers are seen with their case. A Case Review application belongs to the
# team that received it; PSPOs are public orders, seen by any caseworker and made or
# extended by team managers and administrators.


def works_case_reviews(user: Any) -> bool:
    return works_cases(user) and user.team_id is not None


def visible_case_reviews(user: Any) -> "CaseReviewQuerySet":
    """Case Review applications: the receiving team's, and unassigned ones for team managers."""
    from saferhub.asb.models import CaseReview

    if not works_case_reviews(user):
        return CaseReview.objects.none()
    mine = models.Q(owning_team_id=user.team_id)
    if user.has_role(Role.TEAM_MANAGER):
        mine |= models.Q(owning_team__isnull=True)  # nobody chosen to receive them yet
    return CaseReview.objects.filter(partnership_id=user.partnership_id).filter(mine)


def get_case_review_for_user(request: HttpRequest, reference: str) -> Any:
    review = (
        visible_case_reviews(request.user)
        .select_related("case", "owning_team", "single_point_of_contact", "partnership")
        .filter(reference=reference)
        .first()
    )
    if review is None:
        raise Http404("No such Case Review application")
    if request.method == "GET":
        log.record(request.user, AuditAction.VIEW, review, request=request)
    return review


def can_see_pspos(user: Any) -> bool:
    return works_cases(user) or can_administer(user)


def can_manage_pspos(user: Any) -> bool:
    return can_administer(user) or (works_cases(user) and user.has_role(Role.TEAM_MANAGER))


def can_change_asb_details(user: Any, case: Case) -> bool:
    """Category, ward, location and single points of contact of an ASB case: the owning team (EDIT)."""
    return can_edit_case(user, case)


def visible_fixed_penalties(user: Any) -> models.QuerySet:
    """Fixed penalties for the FPN register.

    A penalty on a case follows the case's visibility. One without a case (on-the-spot PSPO
    penalties, imported ones) is seen by caseworkers of the team that issued it and of the
    partnership's ASB team (which also sees those whose issuing team is not known).
    """
    from saferhub.asb.models import AsbDesk, Intervention, ToolKind

    if not works_cases(user):
        return Intervention.objects.none()
    fpns = Intervention.objects.filter(partnership_id=user.partnership_id, kind__code=ToolKind.FPN)
    on_cases = models.Q(case__in=visible_cases(user).order_by().values("pk"))
    if user.team_id is None:
        return fpns.filter(on_cases)
    caseless = models.Q(case__isnull=True, issuing_team_id=user.team_id)
    if AsbDesk.objects.filter(partnership_id=user.partnership_id, team_id=user.team_id).exists():
        caseless = models.Q(case__isnull=True)
    return fpns.filter(on_cases | caseless)


# Victim Care Hub and the directory of support services ----------------------


def can_set_targets(user: Any) -> bool:
    """Quarterly targets are set by analysts and partnership administrators."""
    return can_import(user)


def can_read_directory(user: Any) -> bool:
    return works_cases(user) or can_administer(user)


def can_manage_directory(user: Any) -> bool:
    """Administrators and team managers keep the directory current."""
    return can_administer(user) or (works_cases(user) and user.has_role(Role.TEAM_MANAGER))
