"""Shared helpers of the panel pages: object access that 404s outsiders, agenda loading, DOCX responses."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
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


def _panel_type(request: HttpRequest, code: str, *, coordinate: bool = True) -> PanelType:
    _require_casework(request)
    panel_type = get_object_or_404(
        PanelType.objects.select_related("case_type", "coordinating_team"),
        partnership_id=request.user.partnership_id,  # type: ignore[union-attr]
        code=code,
    )
    if coordinate and not policy.can_coordinate_panel(request.user, panel_type):
        raise PermissionDenied("Only panel coordinators manage panels.")
    return panel_type


def _meeting(request: HttpRequest, pk: int) -> Meeting:
    _require_casework(request)
    meeting = get_object_or_404(
        Meeting.objects.select_related("panel_type"),
        pk=pk,
        partnership_id=request.user.partnership_id,  # type: ignore[union-attr]
    )
    if not policy.can_coordinate_panel(request.user, meeting.panel_type):
        raise PermissionDenied("Only panel coordinators manage meetings.")
    return meeting


def _hearing(request: HttpRequest, pk: int) -> Hearing:
    _require_casework(request)
    hearing = get_object_or_404(
        Hearing.objects.select_related("meeting__panel_type", "panel_case__case", "panel_case__person"),
        pk=pk,
        meeting__partnership_id=request.user.partnership_id,  # type: ignore[union-attr]
    )
    if not policy.can_coordinate_panel(request.user, hearing.meeting.panel_type):
        raise PermissionDenied("Only panel coordinators record hearings.")
    if hearing.panel_case.case.restricted and not policy.can_view_case(request.user, hearing.panel_case.case):
        raise Http404("No such hearing")
    return hearing


def _agenda(meeting: Meeting) -> list[Hearing]:
    return list(
        meeting.hearings.select_related("panel_case__case", "panel_case__person").prefetch_related(
            Prefetch("information", queryset=_information()),
            Prefetch("agreed_actions", queryset=_agreed()),
        )
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
