"""What the IOM pages share: the page around one form and the risk-matched contact rule."""

import datetime
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from saferhub.core.versioning import CONFLICT_STATUS, StaleEdit, conflict_form
from saferhub.iom.actions import IomError
from saferhub.iom.models import RAG_SETTING, SETTING_DEFAULTS, CohortStay, IomSetting

PAGE_SIZE = 25
FORM_TEMPLATE = "iom/form_page.html"


def today() -> datetime.date:
    return timezone.localdate()


def stay_url(stay: CohortStay) -> str:
    return reverse("iom:stay", args=[stay.pk])


def form_page(
    request: HttpRequest,
    form: forms.Form,
    save: Callable[[dict[str, Any]], Any],
    *,
    title: str,
    submit: str,
    done: str,
    back_url: str,
    caption: str = "",
    intro: str = "",
    on_conflict: Callable[[forms.Form], forms.BaseForm] | None = None,
    success_url: Callable[[Any], str] | None = None,
) -> HttpResponse:
    """Show `form`; on a valid POST call `save(cleaned_data)` and go to `success_url(saved)` (default `back_url`).

    A stale version answers 409 with `on_conflict(form)` (the form refilled from the record as it is now).
    """
    status = 200
    shown: forms.BaseForm = form
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form.cleaned_data)
        except IomError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        except StaleEdit:
            if on_conflict is None:
                raise
            shown, status = on_conflict(form), CONFLICT_STATUS
        else:
            messages.success(request, done)
            return redirect(success_url(saved) if success_url else back_url)
    context = {
        "form": shown,
        "title": title,
        "submit": submit,
        "back_url": back_url,
        "caption": caption,
        "intro": intro,
    }
    return render(request, FORM_TEMPLATE, context, status=status)


def refilled(form_class: Any, instance: Any, names: list[str], **kwargs: Any) -> Callable[[forms.Form], forms.BaseForm]:
    """The conflict handler for an edit form: the form again from the record as it now is."""

    def handle(stale: forms.Form) -> forms.BaseForm:
        instance.refresh_from_db()
        current = {name: getattr(instance, name) for name in names}
        for name, value in list(current.items()):
            if hasattr(value, "pk"):
                current[name] = value.pk
        return conflict_form(form_class, stale_form=stale, instance=instance, current=current, form_kwargs=kwargs)

    return handle


def contact_days(partnership_id: int, day: datetime.date) -> dict[str, int]:
    """Days allowed between contacts at each RAG status on `day` (the settings in force then)."""
    return {
        rag: IomSetting.objects.value_on(partnership_id, key, day, SETTING_DEFAULTS[key])
        for rag, key in RAG_SETTING.items()
    }


def contact_due(
    stay: Any, rag: str | None, last_contact: datetime.date | None, days: dict[str, int]
) -> datetime.date | None:
    """The day the next contact is due: the last contact (or adoption) plus the days for the RAG status."""
    if stay.left_on is not None or rag is None:
        return None
    return (last_contact or stay.adopted_on) + datetime.timedelta(days=days[rag])
