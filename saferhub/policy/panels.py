"""Multi-agency panels: coordinators, meeting windows, panel summaries and online referrals."""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest

from saferhub.accounts.models import Role
from saferhub.audit import log
from saferhub.audit.models import AuditAction
from saferhub.cases.models import (
    Case,
    RestrictedAccess,
)
from saferhub.core.keyset import capped_count, union_queryset
from saferhub.policy.cases import case_access, visible_case_grounds
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
    # The days are read through their bounds: a row saved before the bounds existed cannot overflow.
    for panel_type in PanelType.objects.filter(partnership_id=user.partnership_id).only(
        "pk", "summary_days_before", "summary_days_after"
    ):
        in_window |= models.Q(
            meeting__panel_type_id=panel_type.pk,
            meeting__date__gte=at - datetime.timedelta(days=panel_type.days_after()),
            meeting__date__lte=at + datetime.timedelta(days=panel_type.days_before()),
        )
    return Hearing.objects.filter(
        in_window,
        meeting__partnership_id=user.partnership_id,
        meeting__attendance__agency_id=user.agency_id,
    ).exclude(meeting__status=MeetingStatus.CANCELLED)


def _panel_cases(user: Any) -> models.QuerySet[Case]:
    return Case.objects.live().filter(partnership_id=user.partnership_id, panel__isnull=False)


def visible_panel_case_parts(user: Any, at: datetime.date | None = None) -> list[models.QuerySet[Case]]:
    """Panel cases whose summary the user may see on `at`, one indexed part per ground (for keyset lists).

    The grounds of case visibility, restricted to panel cases; then every unrestricted panel
    case for a coordinator, or, for anyone else, those listed at a meeting whose window is open.
    """
    if not works_cases(user):
        return []
    at = at or _today()
    parts = [Case.objects.filter(ground, panel__isnull=False) for ground in visible_case_grounds(user)]
    if can_coordinate_panel(user):
        return [*parts, _panel_cases(user).filter(restricted=False)]
    window = _panel_window_hearings(user, at).values("panel_case__case_id")
    return [*parts, _panel_cases(user).filter(restricted=False, pk__in=window)]


def visible_panel_cases(user: Any, at: datetime.date | None = None) -> models.QuerySet[Case]:
    """Panel cases whose panel summary the user may see on `at` (today by default)."""
    return union_queryset(Case.objects.all(), visible_panel_case_parts(user, at))


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


def _named_or_unrestricted(user: Any, case_path: str) -> models.Q:
    """The restriction rule as a filter on the case at `case_path`: unrestricted, or the user is named on it."""
    named = RestrictedAccess.objects.filter(user=user).values("case_id")
    return models.Q(**{f"{case_path}__restricted": False}) | models.Q(**{f"{case_path}__in": named})


def panel_actions_for_owner(user: Any) -> models.QuerySet:
    """Outstanding panel actions the user owns: theirs to see even on a case file they cannot open,
    unless the case is restricted and they are not named on it (then even its reference is withheld)."""
    from saferhub.cases.models import Action

    if not works_cases(user):
        return Action.objects.none()
    return Action.objects.outstanding().filter(
        _named_or_unrestricted(user, "case"),
        owner=user,
        case__partnership_id=user.partnership_id,
        panel_action__isnull=False,
    )


# Coordinators' listings (meeting pages, agendas, minutes, panel type pages, overdue actions,
# counts) show a hearing, action or referral only when its panel case is one the user may see
# (`visible_panel_cases`): a restricted case only to its named users. Returns are aggregates
# and count every case; they show no identity.


def visible_hearings(user: Any, meeting: Any = None) -> models.QuerySet:
    """Hearings (cases listed at meetings) whose panel case the user may see; of one meeting if given."""
    from saferhub.panels.models import Hearing

    if not works_cases(user):
        return Hearing.objects.none()
    rows = Hearing.objects.filter(
        meeting__partnership_id=user.partnership_id, panel_case__case__in=visible_panel_cases(user)
    )
    return rows if meeting is None else rows.filter(meeting=meeting)


def get_hearing_for_user(user: Any, pk: int) -> Any:  # a panels.Hearing
    """A hearing for a coordinator's hearing pages: 404 if the user may not see its case (its
    existence is not revealed), 403 if they may see the case but do not coordinate the panel."""
    hearing = (
        visible_hearings(user)
        .select_related("meeting__panel_type", "panel_case__case", "panel_case__person")
        .filter(pk=pk)
        .first()
    )
    if hearing is None:
        raise Http404("No such hearing")
    if not can_coordinate_panel(user, hearing.meeting.panel_type):
        raise PermissionDenied("Only panel coordinators record hearings.")
    return hearing


def visible_listed_count(user: Any) -> models.Count:
    """Annotation for meetings: how many listed cases the user may see."""
    return models.Count(
        "hearings", filter=models.Q(hearings__panel_case__case__in=visible_panel_cases(user).values("pk"))
    )


def visible_open_cases_count(user: Any, panel_type: Any, cap: int) -> int:
    """How many open panel cases of the type the user may see, counting no further than `cap`."""
    from saferhub.panels.models import PanelCase

    cases = PanelCase.objects.filter(panel_type=panel_type, case__archived_at__isnull=True).exclude(
        case__status="closed"
    )
    if can_coordinate_panel(user):
        # The coordinator's union (visible_panel_case_parts) is every live unrestricted panel case
        # plus the restricted ones they are named on: read as that, not against the whole union.
        named = RestrictedAccess.objects.filter(user=user).values("case_id")
        parts = [cases.filter(case__restricted=False), cases.filter(case__restricted=True, case_id__in=named)]
    else:
        parts = [cases.filter(case__in=visible_panel_cases(user).values("pk"))]
    return capped_count(parts, cap)


def visible_panel_actions(user: Any) -> models.QuerySet:
    """Panel actions (HearingAction) the user may see listed: a coordinator's on the panel cases they
    may see, and the user's own unless the case is restricted and they are not named on it."""
    from saferhub.panels.models import HearingAction

    if not works_cases(user):
        return HearingAction.objects.none()
    allowed = models.Q(action__owner=user) & _named_or_unrestricted(user, "action__case")
    if can_coordinate_panel(user):
        allowed |= models.Q(action__case__in=visible_panel_cases(user))
    return HearingAction.objects.filter(allowed, hearing__meeting__partnership_id=user.partnership_id)


def visible_panel_referral_parts(user: Any) -> list[models.QuerySet]:
    """The grounds on which a coordinator sees panel referrals listed, one indexed queryset each (keyset lists).

    Not yet on a panel case; or on a panel case whose case they may see: on any ground of case
    visibility, or (a coordinator) any live unrestricted panel case. The same rows as
    ``visible_panel_cases`` gives, read without an ``OR`` the planner could not index.
    """
    from saferhub.panels.models import PanelReferral

    if not can_coordinate_panel(user):
        return []
    referrals = PanelReferral.objects.filter(partnership_id=user.partnership_id)
    on_case = "panel_case__case__"
    parts: list[models.QuerySet] = [referrals.filter(panel_case__isnull=True)]
    parts += [referrals.filter(ground) for ground in visible_case_grounds(user, prefix=on_case)]
    parts.append(
        referrals.filter(
            **{f"{on_case}partnership_id": user.partnership_id, f"{on_case}archived_at__isnull": True},
            **{f"{on_case}restricted": False},
        )
    )
    return parts


def visible_panel_referrals(user: Any) -> models.QuerySet:
    """Referrals a coordinator sees listed: those not yet on a panel case, and those on panel cases they may see."""
    from saferhub.panels.models import PanelReferral

    return union_queryset(PanelReferral.objects.all(), visible_panel_referral_parts(user))


def readable_repeat_referrals(user: Any, referral_ids: Any) -> set[int]:
    """Of these earlier referrals, those whose date the user may read. A repeat of a referral on a
    restricted case the user is not named on is still flagged (SafeLives counts it) but without its
    date, which would tell them the restricted case exists."""
    wanted = {pk for pk in referral_ids if pk is not None}
    if not wanted:
        return set()
    from saferhub.panels.models import PanelReferral

    # Each ground narrowed to these referrals first, so the union holds a handful of rows.
    readable = union_queryset(
        PanelReferral.objects.all(), visible_panel_referral_parts(user), lambda qs: qs.filter(pk__in=wanted)
    )
    return set(readable.values_list("pk", flat=True))


def referable_panel_people(user: Any) -> models.QuerySet:
    """People a coordinator may find and pick for a referral: on panel cases they may see, or in
    their ordinary view. A person only on restricted cases they are not named on is not found."""
    from saferhub.panels.models import PanelCase
    from saferhub.people.models import Person
    from saferhub.policy.people import visible_people

    if not works_cases(user):
        return Person.objects.none()
    on_panels = PanelCase.objects.filter(case__in=visible_panel_cases(user)).values("person_id")
    return (
        Person.objects.live()
        .filter(partnership_id=user.partnership_id)
        .filter(models.Q(pk__in=on_panels) | models.Q(pk__in=visible_people(user).values("pk")))
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
