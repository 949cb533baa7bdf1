"""Cohort review meetings: the IOM team's monthly review of its cohort, run through the panels app.

Every partnership gets an "IOM cohort review" panel type (code `iom_review`, kind "Other
multi-agency panel", case type `iom`), coordinated by the IOM team once there is one. A panel
type whose case type is `iom` never opens cases of its own: a cohort stay's `iom` case is its
panel case. The IOM team lists a stay on a meeting from the cohort record (or a coordinator refers
the person on the panels pages); the meeting, its agenda, information shared, agreed actions,
outcomes and minutes are the panels app's. An outcome "Closed" ends the reviews; the cohort
record stays open until the person is deselected.
"""

import datetime
from typing import Any

from django.db import transaction
from django.db.models import Max, Prefetch, QuerySet
from django.http import HttpRequest

from saferhub import policy
from saferhub.accounts.models import Partnership
from saferhub.audit import log
from saferhub.audit.models import AuditAction
from saferhub.core import dates
from saferhub.iom.models import CohortStay, Rag
from saferhub.iom.setup import CASE_TYPE_CODE, iom_case_type, iom_team
from saferhub.panels import actions as panel_actions
from saferhub.panels.actions import PanelError
from saferhub.panels.models import (
    Cadence,
    Hearing,
    HearingAction,
    Meeting,
    MeetingStatus,
    PanelCase,
    PanelKind,
    PanelType,
)

REVIEW_CODE = "iom_review"
REVIEW_NAME = "IOM cohort review"
REVIEW_CRITERIA = (
    "People in the Integrated Offender Management cohort. The IOM team and its partners review each "
    "person's RAG status, plan and contacts at least monthly, and agree who does what next."
)
UPCOMING = 6


def install_review_panel(partnership: Partnership) -> None:
    """The partnership's cohort review panel type, when missing; an existing one keeps its settings.

    Coordinated by the IOM team when the panel type has no coordinating team yet. Idempotent.
    """
    case_type = iom_case_type(partnership.pk)
    if case_type is None:
        return
    panel_type = PanelType.objects.filter(partnership=partnership, code=REVIEW_CODE).first()
    if panel_type is None:
        panel_type = PanelType.objects.create(
            partnership=partnership,
            code=REVIEW_CODE,
            kind=PanelKind.GENERAL,
            name=REVIEW_NAME,
            cadence=Cadence.MONTHLY,
            referral_criteria=REVIEW_CRITERIA,
            case_type=case_type,
            summary_days_before=7,
            summary_days_after=7,
            review_interval_days=28,
        )
    team = iom_team(partnership.pk)
    if team is not None and panel_type.coordinating_team_id is None:
        panel_type.coordinating_team = team
        panel_type.save(update_fields=["coordinating_team", "modified_at"])


def review_panel_types(partnership_id: int | None) -> QuerySet[PanelType]:
    """Active panel types that review the cohort (the shipped one and any the partnership added)."""
    return PanelType.objects.active().filter(partnership_id=partnership_id, case_type__code=CASE_TYPE_CODE)  # type: ignore[misc]


def upcoming_meetings(partnership_id: int | None, day: datetime.date) -> QuerySet[Meeting]:
    """Scheduled cohort review meetings from `day`, soonest first."""
    return (
        Meeting.objects.filter(
            panel_type__in=review_panel_types(partnership_id), status=MeetingStatus.SCHEDULED, date__gte=day
        )
        .select_related("panel_type")
        .order_by("date", "pk")[:UPCOMING]
    )


def stay_hearings(stay: CohortStay) -> list[Hearing]:
    """The stay's hearings at review meetings, latest first, with the actions agreed at each."""
    actions = HearingAction.objects.select_related("action", "action__owner", "owner_agency")
    return list(
        Hearing.objects.filter(panel_case__case_id=stay.case_id)
        .exclude(meeting__status=MeetingStatus.CANCELLED)
        .select_related("meeting__panel_type")
        .prefetch_related(Prefetch("agreed_actions", queryset=actions))
        .order_by("-meeting__date", "-pk")
    )


def review_panel_case(stay: CohortStay, panel_type: PanelType) -> PanelCase:
    """The stay's own case as a panel case of this review panel type (made on first listing)."""
    if panel_type.case_type_id != stay.case.case_type_id or panel_type.partnership_id != stay.partnership_id:
        raise PanelError(f"{panel_type.name} does not review the IOM cohort.")
    existing = PanelCase.objects.select_related("panel_type").filter(case_id=stay.case_id).first()
    if existing is not None:
        if existing.panel_type_id != panel_type.pk:
            raise PanelError(f"This cohort record is reviewed at {existing.panel_type.name}.")
        return existing
    return PanelCase.objects.create(
        case=stay.case, partnership_id=stay.partnership_id, panel_type=panel_type, person=stay.person
    )


@transaction.atomic
def put_on_review(user: Any, stay: CohortStay, meeting: Meeting, *, request: HttpRequest | None = None) -> Hearing:
    """List a current stay on a cohort review meeting's agenda (the panel's own `list_case`)."""
    if stay.left_on is not None:
        raise PanelError("This person has left the cohort: their record is no longer reviewed.")
    panel_case = review_panel_case(stay, meeting.panel_type)
    hearing = panel_actions.list_case(user, meeting, panel_case, request=request)
    log.record(user, AuditAction.UPDATE, stay.case, request=request, detail={"iom_review_listed": meeting.pk})
    return hearing


# Hooks the panels app calls (registered in IomConfig.ready).


def panel_case_source(user: Any, panel_type: PanelType, person: Any) -> PanelCase | None:
    """A referral to a cohort review joins the person's current stay; no second `iom` case is opened."""
    if panel_type.case_type.code != CASE_TYPE_CODE:
        return None
    if person is None:
        raise PanelError("A cohort review is about someone in the IOM cohort: choose the person.")
    # Only a stay the referrer may see: otherwise the refusal would tell any coordinator who is in the cohort.
    stay = (
        policy.visible_stays(user)
        .select_related("case", "person")
        .filter(partnership_id=panel_type.partnership_id, person=person, left_on__isnull=True)
        .order_by("-adopted_on", "-pk")
        .first()
    )
    if stay is None:
        raise PanelError(
            f"{person.display_name} has no cohort record you can see: the IOM team adopts people into the cohort"
            " and refers them to the review."
        )
    return review_panel_case(stay, panel_type)


def keeps_case_open(case: Any) -> bool:
    """A current stay's case stays open whatever a review meeting decides (deselection closes it)."""
    return CohortStay.objects.filter(case_id=case.pk, left_on__isnull=True).exists()


def agenda_details(hearings: list[Any]) -> dict[int, list[tuple[str, str]]]:
    """The RAG status and next contact due of each cohort member on an agenda (a fixed number of queries)."""
    from saferhub.iom.views.common import contact_days, contact_due, today

    by_case: dict[int, list[int]] = {}
    for hearing in hearings:
        by_case.setdefault(hearing.panel_case.case_id, []).append(hearing.pk)
    day = today()
    stays = list(
        CohortStay.objects.filter(case_id__in=by_case)
        .with_rag_on(day)
        .annotate(last_contact=Max("contacts__contacted_on"))
    )
    if not stays:
        return {}
    days = contact_days(stays[0].partnership_id, day)
    found: dict[int, list[tuple[str, str]]] = {}
    for stay in stays:
        rag = stay.rag_now  # type: ignore[attr-defined]
        due = contact_due(stay, rag, stay.last_contact, days)  # type: ignore[attr-defined]
        if due is None:
            when = "None due"
        else:
            when = dates.uk_date(due) + (" (overdue)" if due < day else "")
        items = [("RAG status", Rag(rag).label if rag else "Not rated"), ("Next contact due", when)]
        for pk in by_case[stay.case_id]:
            found[pk] = items
    return found
