"""Bulk pages: reassign or close the cases chosen on the case list, complete the actions chosen on a case.

The chosen items travel as ``item`` values ``<case id>:<version seen>`` (cases) or ``action`` ids;
the GET page shows them with the question, the POST does it through ``saferhub.cases.bulk``.
One URL and view per action.
"""

import re
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods, require_POST

from saferhub.accounts.models import User
from saferhub.cases import bulk
from saferhub.cases.forms import CloseCaseForm, UserChoiceField, _casework_users
from saferhub.cases.views import _require_caseworker
from saferhub.core.forms import GovukFormMixin
from saferhub.core.types import model_choice_field
from saferhub.core.versioning import CONFLICT_STATUS

MAX_ITEMS = 100


class BulkReassignForm(GovukFormMixin, forms.Form):
    assigned_to = UserChoiceField(
        label="Assign the chosen cases to",
        required=False,
        queryset=User.objects.none(),
        empty_label="Nobody (unassigned)",
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "assigned_to").queryset = _casework_users(user.partnership_id).filter(
            team_id=user.team_id
        )


class BulkCloseForm(CloseCaseForm):
    """The one-case closing form without its version: each chosen case carries its own."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["version"]


ID = re.compile(r"[0-9]{1,18}")


def _items(data: QueryDict) -> list[tuple[int, int]]:
    chosen: list[tuple[int, int]] = []
    for value in data.getlist("item")[:MAX_ITEMS]:
        pk, _, version = value.partition(":")
        if ID.fullmatch(pk) and ID.fullmatch(version) and int(pk) not in {p for p, _ in chosen}:
            chosen.append((int(pk), int(version)))
    return chosen


def _bulk_page(request: HttpRequest, *, template: str, form: forms.Form, do: Any, done: str) -> HttpResponse:
    _require_caseworker(request.user)
    data = request.POST if request.method == "POST" else request.GET
    chosen = bulk.selected_cases(request.user, _items(data))
    if not chosen:
        messages.info(request, "Choose at least one case from the list first")
        return redirect("cases:list")
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            count = do(chosen, form.cleaned_data)
        except bulk.BulkRefused as exc:
            form.add_error(None, str(exc))
            status = CONFLICT_STATUS if exc.stale else 200
        else:
            messages.success(request, done.format(count=count, s="" if count == 1 else "s"))
            return redirect("cases:list")
    return render(request, template, {"form": form, "chosen": chosen}, status=status)


@require_http_methods(["GET", "POST"])
def bulk_reassign(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = BulkReassignForm(request.POST if request.method == "POST" else None, user=user)

    def do(chosen: list[Any], data: dict[str, Any]) -> int:
        return bulk.reassign_cases(user, chosen, data["assigned_to"], request=request)

    return _bulk_page(request, template="cases/bulk_reassign.html", form=form, do=do, done="{count} case{s} reassigned")


@require_http_methods(["GET", "POST"])
def bulk_close(request: HttpRequest) -> HttpResponse:
    user = request.user
    partnership = getattr(user, "partnership", None)
    form = BulkCloseForm(request.POST if request.method == "POST" else None, partnership=partnership)

    def do(chosen: list[Any], data: dict[str, Any]) -> int:
        return bulk.close_cases(
            user, chosen, closure_reason=data["closure_reason"], reason=data.get("reason", ""), request=request
        )

    return _bulk_page(request, template="cases/bulk_close.html", form=form, do=do, done="{count} case{s} closed")


@require_POST
def bulk_actions_done(request: HttpRequest) -> HttpResponse:
    """Mark the chosen actions done, then go back to where they were chosen (a case, or the home page)."""
    _require_caseworker(request.user)
    ids = list(dict.fromkeys(int(v) for v in request.POST.getlist("action")[:MAX_ITEMS] if ID.fullmatch(v)))
    back = request.POST.get("back", "")
    target = back if back.startswith("/") and not back.startswith("//") else "/"
    if not ids:
        messages.info(request, "Choose at least one action first")
        return redirect(target)
    try:
        count = bulk.complete_actions(request.user, ids, request=request)
    except bulk.BulkRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{count} action{'s' if count != 1 else ''} marked done")
    return redirect(target)


urlpatterns = [
    path("bulk/reassign/", bulk_reassign, name="bulk-reassign"),
    path("bulk/close/", bulk_close, name="bulk-close"),
    path("actions/done/", bulk_actions_done, name="bulk-actions-done"),
]
