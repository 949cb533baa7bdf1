"""The page around one form, shared by the modules whose pages are one form each (IOM, RJ).

An action refuses a change with `RuleRefused` (its message names the field and what to do);
the page shows it on that field. A stale version answers 409 with the form refilled from the
record as it is now.
"""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from saferhub.core.versioning import CONFLICT_STATUS, StaleEdit, conflict_form

FORM_TEMPLATE = "core/form_page.html"


class RuleRefused(Exception):
    """A change the rules refuse; the message names the field and what to do."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


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
    """Show `form`; on a valid POST call `save(cleaned_data)` and go to `success_url(saved)` (default `back_url`)."""
    status = 200
    shown: forms.BaseForm = form
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form.cleaned_data)
        except RuleRefused as exc:
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
