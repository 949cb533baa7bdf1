"""What the hub's pages share: fetching a referral in the state a page needs, and the page around a form."""

import datetime
import functools
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from saferhub.cases.models import Case, CaseStatus
from saferhub.core.versioning import CONFLICT_STATUS, StaleEdit
from saferhub.policy import Access
from saferhub.victims.access import get_hub_for_user
from saferhub.victims.actions import HubError
from saferhub.victims.models import HubReferral

PAGE_SIZE = 25
NEEDS_RISK_TEMPLATE = "victim_needs_risk"


def hub_url(hub: HubReferral) -> str:
    return reverse("victims:referral", args=[hub.pk])


def _today() -> datetime.date:
    return timezone.localdate()


# One page per recorded thing --------------------------------------------------------


def _form_page(
    request: HttpRequest,
    hub: HubReferral,
    form: forms.Form,
    save: Callable[[dict[str, Any]], Any],
    *,
    title: str,
    submit: str,
    done: str,
    intro: str = "",
    on_conflict: Callable[[forms.Form], forms.BaseForm] | None = None,
    still_open: list[str] | None = None,
) -> HttpResponse:
    """Show `form`; on a valid POST call `save(cleaned_data)` and go back to the referral.

    When the record changed since the form was opened, `on_conflict(form)` gives the form refilled
    from the record as it is now (versioning.conflict_form), answered 409.
    """
    status = 200
    shown: forms.BaseForm = form
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except HubError as exc:
            form.add_error(None, str(exc))
        except StaleEdit as exc:
            if on_conflict is None:
                form.add_error(None, f"{exc} Nothing was saved: check the case and try again.")
            else:
                shown, status = on_conflict(form), CONFLICT_STATUS
        else:
            messages.success(request, done)
            return redirect(hub_url(hub))
    context = {"hub": hub, "form": shown, "title": title, "submit": submit, "intro": intro, "still_open": still_open}
    return render(request, "victims/form_page.html", context, status=status)


def _editable(request: HttpRequest, pk: int) -> HubReferral:
    return get_hub_for_user(request, pk, need=Access.EDIT)


class NotNow(Exception):
    """A change that this referral's state does not allow yet (or any more): explained on the referral page."""

    def __init__(self, hub: HubReferral, message: str) -> None:
        super().__init__(message)
        self.hub = hub


def _explained(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    # A 403 page would tell a hub worker they may not see the record; say what to do instead.
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotNow as exc:
            messages.error(request, str(exc))
            return redirect(hub_url(exc.hub))

    return wrapped


def _accepted(request: HttpRequest, pk: int) -> HubReferral:
    hub = _editable(request, pk)
    if hub.referral.case_id is None:
        raise NotNow(hub, "Accept the referral first: that opens the hub case this is recorded on.")
    return hub


def _recording(hub: HubReferral) -> HubReferral:
    """The referral, if its case is not closed: a closed case's record is complete."""
    if hub.referral.case is not None and hub.referral.case.status == CaseStatus.CLOSED:
        raise NotNow(hub, "The case is closed. To record more, reopen it from the case page.")
    return hub


def _case(hub: HubReferral) -> Case:
    """The case of a hub referral that `_accepted` has already checked."""
    case = hub.referral.case
    if case is None:
        raise PermissionDenied("Accept the referral first.")
    return case
