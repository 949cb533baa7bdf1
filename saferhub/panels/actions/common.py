"""The panel case a referral lands on, and the error every panel action raises."""

import datetime
from typing import Any

from django.http import HttpRequest

from saferhub.accounts.duties import missing_message
from saferhub.cases import actions as case_actions
from saferhub.cases.models import CaseStatus, ParticipantRole
from saferhub.panels.extensions import module_panel_case
from saferhub.panels.models import (
    PanelCase,
    PanelKind,
    PanelType,
)


class PanelError(Exception):
    """A change the panel's rules do not allow; the message says why."""


def _participant_role(panel_type: PanelType) -> str:
    return (
        ParticipantRole.DIRECT_VICTIM
        if panel_type.kind in (PanelKind.DA_MARAC, PanelKind.CS_MARAC)
        else ParticipantRole.SUBJECT
    )


def owning_team(panel_type: PanelType, user: Any = None) -> Any:
    team = panel_type.coordinating_team or getattr(user, "team", None)
    if team is None:
        what = f"the coordinators of {panel_type.name}, who own its cases"
        raise PanelError(missing_message(f"panel:{panel_type.code}", what).capitalize() + ".")
    return team


def _title(panel_type: PanelType, person: Any) -> str:
    return f"{panel_type.name}: {person.display_name}" if person is not None else f"{panel_type.name} referral"


def panel_case_for(
    user: Any, panel_type: PanelType, person: Any, opened_on: datetime.date, *, request: HttpRequest | None = None
) -> PanelCase:
    """The person's open panel case of this type, or a new one owned by the coordinating team."""
    if person is not None:
        existing = (
            PanelCase.objects.select_related("case")
            .filter(panel_type=panel_type, person=person)
            .exclude(case__status=CaseStatus.CLOSED)
            .order_by("-case__opened_on", "-pk")
            .first()
        )
        if existing is not None:
            return existing
    # A panel reviewing another module's cases (IOM's cohort review) takes the person's case from it.
    given = module_panel_case(user, panel_type, person)
    if given is not None:
        return given  # type: ignore[no-any-return]
    case = case_actions.create_case(
        user,
        case_type=panel_type.case_type,
        owning_team=owning_team(panel_type, user),
        title=_title(panel_type, person),
        opened_on=opened_on,
        request=request,
    )
    if person is not None:
        case_actions.add_participant(user, case, person, _participant_role(panel_type), request=request)
    return PanelCase.objects.create(
        case=case, partnership_id=panel_type.partnership_id, panel_type=panel_type, person=person
    )
