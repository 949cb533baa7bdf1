"""Shared helpers of the panel pages: object access that 404s outsiders, agenda loading, DOCX responses."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect

from saferhub import policy
from saferhub.panels.models import (
    Hearing,
    HearingAction,
    Meeting,
    PanelType,
)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
RECENT = 25


def _require_casework(request: HttpRequest) -> None:
    if not policy.works_cases(request.user):
        raise PermissionDenied("Only caseworkers and panel coordinators use the panel pages.")


def _require_coordinator(request: HttpRequest, message: str) -> None:
    """Role gate before any lookup, so the answer never depends on whether the object exists."""
    _require_casework(request)
    if not policy.can_coordinate_panel(request.user):
        raise PermissionDenied(message)


def _panel_type(request: HttpRequest, code: str, *, coordinate: bool = True) -> PanelType:
    if coordinate:
        _require_coordinator(request, "Only panel coordinators manage panels.")
    else:
        _require_casework(request)
    return get_object_or_404(
        PanelType.objects.select_related("case_type", "coordinating_team"),
        partnership_id=request.user.partnership_id,  # type: ignore[union-attr]
        code=code,
    )


def _meeting(request: HttpRequest, pk: int) -> Meeting:
    _require_coordinator(request, "Only panel coordinators manage meetings.")
    return get_object_or_404(
        Meeting.objects.select_related("panel_type"),
        pk=pk,
        partnership_id=request.user.partnership_id,  # type: ignore[union-attr]
    )


def _hearing(request: HttpRequest, pk: int) -> Hearing:
    """404 when the user may not see the hearing's case (restricted and not named, other agency...)."""
    _require_casework(request)
    hearing: Hearing = policy.get_hearing_for_user(request.user, pk)
    return hearing


def _agenda(user: Any, meeting: Meeting) -> list[Hearing]:
    """The meeting's listed cases the user may see, in agenda order."""
    return list(
        policy.visible_hearings(user, meeting)
        .select_related("panel_case__case", "panel_case__person")
        .prefetch_related(
            Prefetch("information", queryset=_information()),
            Prefetch("agreed_actions", queryset=_agreed()),
        )
        .order_by("position", "pk")
    )


def _information() -> Any:
    from saferhub.panels.models import SharedInformation

    return SharedInformation.objects.select_related("agency")


def _agreed() -> Any:
    return HearingAction.objects.select_related("action", "action__owner", "owner_agency")


def _back_to_meeting(request: HttpRequest, meeting: Meeting, exc: Exception) -> HttpResponse:
    messages.error(request, str(exc))
    return redirect("panels:meeting", pk=meeting.pk)


def _docx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
