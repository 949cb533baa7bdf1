"""Pages of boards: the list, a board's page (members, meetings, forward work programme) and the forms
that add and change boards, members and forward work programme items."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from saferhub import policy
from saferhub.audit import log
from saferhub.audit.models import AuditAction
from saferhub.boards import actions
from saferhub.boards.forms import (
    BoardChangeForm,
    BoardForm,
    ForwardItemChangeForm,
    ForwardItemForm,
    MemberChangeForm,
    MemberForm,
)
from saferhub.boards.views.common import must_manage, readers
from saferhub.core.types import AuthenticatedHttpRequest
from saferhub.core.versioning import conflict


@require_http_methods(["GET"])
@readers
def board_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    boards = list(
        policy.visible_boards(request.user)
        .select_related("parent")
        .annotate(meeting_count=Count("meetings"))
        .order_by("name")
    )
    # The partnership board first, each subgroup under its parent.
    children: dict[int | None, list[Any]] = {}
    for board in boards:
        children.setdefault(board.parent_id, []).append(board)
    ordered: list[tuple[Any, int]] = []

    def walk(parent: int | None, depth: int) -> None:
        for board in children.get(parent, []):
            if all(board is not seen for seen, _d in ordered):
                ordered.append((board, depth))
                walk(board.pk, depth + 1)

    walk(None, 0)
    context = {"boards": ordered, "can_add": policy.can_administer_boards(request.user)}
    return render(request, "boards/board_list.html", context)


@require_http_methods(["GET"])
@readers
def board_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    board = policy.get_board_for_user(request.user, pk)
    log.record(request.user, AuditAction.VIEW, board, request=request)
    today = timezone.localdate()
    members = list(board.members.select_related("agency", "user").order_by("ended_on", "name"))
    context = {
        "board": board,
        "subgroups": list(board.subgroups.order_by("name")),
        "current": [m for m in members if m.is_current(today)],
        "former": [m for m in members if not m.is_current(today)],
        "meetings": list(board.meetings.order_by("-starts_at")),
        "forward": list(board.forward_items.select_related("meeting").order_by("pk")),
        "can_manage": policy.can_manage_board(request.user, board),
        "access": policy.board_access(request.user, board),
        "full": policy.BOARD_FULL,
    }
    return render(request, "boards/board_detail.html", context)


@require_http_methods(["GET", "POST"])
@readers
def board_add(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not policy.can_administer_boards(request.user):
        raise PermissionDenied("Only partnership administrators can add boards.")
    form = BoardForm(request.POST or None, partnership_id=request.user.partnership_id or 0)
    if request.method == "POST" and form.is_valid():
        board = actions.add_board(request.user, request=request, **form.cleaned_data)
        messages.success(request, f"{board.name} added")
        return redirect("boards:board", pk=board.pk)
    return render(request, "boards/board_form.html", {"form": form, "creating": True})


def _board_values(board: Any) -> dict[str, Any]:
    return {"name": board.name, "parent": board.parent, "purpose": board.purpose}


@require_http_methods(["GET", "POST"])
@readers
def board_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    board = policy.get_board_for_user(request.user, pk)
    must_manage(request.user, board)
    kwargs = {"partnership_id": board.partnership_id, "board": board}
    form = BoardChangeForm(request.POST or None, initial={**_board_values(board), "version": board.version}, **kwargs)
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            actions.change(
                request.user, board, expected_version=form.cleaned_data["version"], request=request, **values
            )
        except actions.StaleEdit:
            board = policy.get_board_for_user(request.user, pk)
            return conflict(
                request,
                "boards/board_form.html",
                {"board": board},
                form_class=BoardChangeForm,
                stale_form=form,
                instance=board,
                current=_board_values(board),
                form_kwargs={**kwargs, "board": board},
            )
        messages.success(request, f"{board.name} saved")
        return redirect("boards:board", pk=board.pk)
    return render(request, "boards/board_form.html", {"form": form, "board": board})


MEMBER_FIELDS = ["name", "agency", "organisation", "role", "user", "started_on", "ended_on"]


@require_http_methods(["GET", "POST"])
@readers
def member_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    board = policy.get_board_for_user(request.user, pk)
    must_manage(request.user, board)
    form = MemberForm(
        request.POST or None, partnership_id=board.partnership_id, initial={"started_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        member = actions.add_member(request.user, board, request=request, **form.cleaned_data)
        messages.success(request, f"{member.name} added to {board.name}")
        return redirect("boards:board", pk=board.pk)
    return render(request, "boards/member_form.html", {"form": form, "board": board, "creating": True})


@require_http_methods(["GET", "POST"])
@readers
def member_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    member = policy.get_member_for_user(request.user, pk)
    board = member.board
    must_manage(request.user, board)
    current = {name: getattr(member, name) for name in MEMBER_FIELDS}
    form = MemberChangeForm(
        request.POST or None, partnership_id=board.partnership_id, initial={**current, "version": member.version}
    )
    context = {"board": board, "member": member}
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            actions.change(
                request.user, member, expected_version=form.cleaned_data["version"], request=request, **values
            )
        except actions.StaleEdit:
            member = policy.get_member_for_user(request.user, pk)
            return conflict(
                request,
                "boards/member_form.html",
                {**context, "member": member},
                form_class=MemberChangeForm,
                stale_form=form,
                instance=member,
                current={name: getattr(member, name) for name in MEMBER_FIELDS},
                form_kwargs={"partnership_id": board.partnership_id},
            )
        messages.success(request, f"{member.name} saved")
        return redirect("boards:board", pk=board.pk)
    return render(request, "boards/member_form.html", {**context, "form": form})


@require_http_methods(["GET", "POST"])
@readers
def forward_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    board = policy.get_board_for_user(request.user, pk)
    must_manage(request.user, board)
    form = ForwardItemForm(request.POST or None, board=board)
    if request.method == "POST" and form.is_valid():
        actions.add_forward_item(request.user, board, request=request, **form.cleaned_data)
        messages.success(request, "Item added to the forward work programme")
        return redirect("boards:board", pk=board.pk)
    return render(request, "boards/forward_form.html", {"form": form, "board": board, "creating": True})


FORWARD_FIELDS = ["title", "owner", "meeting"]


@require_http_methods(["GET", "POST"])
@readers
def forward_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    forward = policy.get_forward_item_for_user(request.user, pk)
    board = forward.board
    must_manage(request.user, board)
    current = {name: getattr(forward, name) for name in FORWARD_FIELDS}
    form = ForwardItemChangeForm(request.POST or None, board=board, initial={**current, "version": forward.version})
    context = {"board": board, "forward": forward}
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            actions.change(
                request.user, forward, expected_version=form.cleaned_data["version"], request=request, **values
            )
        except actions.StaleEdit:
            forward = policy.get_forward_item_for_user(request.user, pk)
            return conflict(
                request,
                "boards/forward_form.html",
                {**context, "forward": forward},
                form_class=ForwardItemChangeForm,
                stale_form=form,
                instance=forward,
                current={name: getattr(forward, name) for name in FORWARD_FIELDS},
                form_kwargs={"board": board},
            )
        messages.success(request, "Forward work programme item saved")
        return redirect("boards:board", pk=board.pk)
    return render(request, "boards/forward_form.html", {**context, "form": form})
