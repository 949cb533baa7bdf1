"""Hearings: information shared, agreed actions and outcomes; overdue panel actions."""

import datetime
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from saferhub.audit import log
from saferhub.audit.models import AuditAction
from saferhub.cases import actions as case_actions
from saferhub.cases.models import Action, Case, CaseStatus
from saferhub.core.versioning import StaleEdit, claim_version
from saferhub.panels.actions.common import PanelError
from saferhub.panels.extensions import kept_open
from saferhub.panels.models import (
    Hearing,
    HearingAction,
    HearingOutcome,
    PanelReferral,
    SharedInformation,
)


@transaction.atomic
def share_information(
    user: Any,
    hearing: Hearing,
    *,
    agency: Any,
    information: str,
    lawful_basis: str,
    request: HttpRequest | None = None,
) -> SharedInformation:
    if not information.strip():
        raise PanelError("Enter the information the agency shared.")
    row = SharedInformation.objects.create(
        hearing=hearing, agency=agency, information=information.strip(), lawful_basis=lawful_basis, recorded_by=user
    )
    case = hearing.panel_case.case
    log.record(
        user,
        AuditAction.SHARE,
        case,
        request=request,
        detail={"meeting": hearing.meeting_id, "agency": agency.name, "lawful_basis": lawful_basis},
    )
    return row


@transaction.atomic
def agree_action(
    user: Any,
    hearing: Hearing,
    *,
    title: str,
    owner: Any,
    owner_agency: Any,
    due_on: datetime.date,
    request: HttpRequest | None = None,
) -> HearingAction:
    """A `cases.Action` on the panel case (so it shows on the owner's home page) and the agency owning it."""
    if owner.agency_id != owner_agency.pk:
        raise PanelError(f"{owner} does not work for {owner_agency.name}.")
    action = case_actions.add_action(
        user, hearing.panel_case.case, title=title.strip(), owner=owner, due_on=due_on, request=request
    )
    return HearingAction.objects.create(hearing=hearing, action=action, owner_agency=owner_agency)


@transaction.atomic
def record_outcome(
    user: Any,
    hearing: Hearing,
    *,
    outcome: str,
    risks: str = "",
    decisions: str = "",
    review_due_on: datetime.date | None = None,
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> Hearing:
    """Record what the meeting decided; closing closes the panel case, reviewing sets when it is due back.

    With `expected_version` (the outcome form), refuses with StaleEdit when someone recorded it since.
    """
    if outcome not in HearingOutcome.values:
        raise PanelError("Choose whether the case is reviewed again or closed.")
    if expected_version is not None:
        claim_version(hearing, expected_version)
    panel_case = hearing.panel_case
    case = Case.objects.get(pk=panel_case.case_id)
    meeting = hearing.meeting
    hearing.outcome, hearing.risks, hearing.decisions = outcome, risks.strip(), decisions.strip()
    hearing.save(update_fields=["outcome", "risks", "decisions", "modified_at"])
    PanelReferral.objects.filter(panel_case=panel_case, heard_on__isnull=True, referral_date__lte=meeting.date).update(
        heard_on=meeting.date
    )
    if outcome == HearingOutcome.CLOSED:
        panel_case.review_due_on = None
        # A case another module's record keeps open (an IOM cohort stay) leaves the reviews but stays open.
        if case.status != CaseStatus.CLOSED and not kept_open(case):
            case_actions.change_status(
                user,
                case,
                CaseStatus.CLOSED,
                expected_version=case.version,
                closure_reason="risk_reduced",
                reason=f"Closed at {meeting}",
                on=meeting.date,
                request=request,
            )
    else:
        panel_case.review_due_on = review_due_on or meeting.date + datetime.timedelta(
            days=meeting.panel_type.review_interval()
        )
    panel_case.save(update_fields=["review_due_on", "modified_at"])
    log.record(
        user,
        AuditAction.UPDATE,
        hearing,
        request=request,
        partnership=meeting.panel_type.partnership,
        detail={"outcome": outcome, "case": case.reference},
    )
    return hearing


def overdue_panel_actions(rows: Any, today: datetime.date | None = None) -> Any:
    """Open panel actions among `rows` (HearingActions, from `policy.visible_panel_actions`) past
    their due date, oldest first."""
    return (
        rows.filter(action__in=Action.objects.overdue(today or timezone.localdate()))
        .select_related("action", "action__owner", "action__case", "owner_agency", "hearing__meeting__panel_type")
        .order_by("action__due_on", "pk")
    )


@transaction.atomic
def record_outcomes(
    user: Any,
    decided: list[tuple[Hearing, str, int]],
    *,
    may_record: Any,
    request: HttpRequest | None = None,
) -> int:
    """Outcomes of several hearings of a meeting at once: (hearing, outcome, version seen) each through
    ``record_outcome`` (audited per hearing); all or nothing. `may_record(hearing)` is the policy check;
    a hearing recorded by someone else since the page was opened refuses the batch, naming its case."""
    for hearing, outcome, version in decided:
        reference = hearing.panel_case.case.reference
        if not may_record(hearing):
            raise PanelError(f"You cannot record the outcome for {reference}. Nothing has been saved.")
        try:
            record_outcome(
                user,
                hearing,
                outcome=outcome,
                risks=hearing.risks,
                decisions=hearing.decisions,
                expected_version=version,
                request=request,
            )
        except StaleEdit:
            raise PanelError(
                f"The outcome for {reference} was changed by someone else after you opened this page. "
                "Nothing has been saved: check it and try again."
            ) from None
    return len(decided)
