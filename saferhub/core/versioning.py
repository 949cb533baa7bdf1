"""Optimistic locking for every edit form of a shared record: a second save never silently overwrites the first.

The form carries the record's `version` as the user saw it. Saving is a compare-and-set:
one UPDATE bumps the version only where it still matches (on PostgreSQL the row lock
makes a concurrent save wait and then find the version gone), and the rest of the
change is written in the same transaction. A stale form raises `StaleEdit`; the view
answers 409 with the form refilled from the record as it is now and a message naming
who changed it and which of the user's entries were not saved (`conflict`).
"""

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django import forms
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format

CONFLICT_STATUS = 409

# The hidden version is missing or altered only when the page is old or was tampered with.
_RELOAD = "The form is out of date: reload the page and make your changes again"
VERSION_ERRORS = {"required": _RELOAD, "invalid": _RELOAD, "min_value": _RELOAD}


class StaleEdit(Exception):
    """Someone saved the record after the user opened the form; nothing was written."""


class VersionedModel(models.Model):
    # Every save through `claim_version` bumps it; a form holding an older number is refused.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True


class VersionedFormMixin(forms.Form):
    """The record's version as the user saw it, carried in a hidden field."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, error_messages=VERSION_ERRORS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Forms built around an `instance` (ModelForms and the admin forms) start from its version.
        instance = getattr(self, "instance", None)
        if instance is not None and getattr(instance, "pk", None) is not None and hasattr(instance, "version"):
            self.initial.setdefault("version", instance.version)

    def changes(self) -> dict[str, Any]:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


def claim_version(instance: models.Model, expected_version: int, **also: Any) -> None:
    """Bump the version if it is still `expected_version`, else raise StaleEdit. Call inside the saving transaction.

    `also` are columns written by the same UPDATE (e.g. modified_by); the instance is left
    holding the new version so a following `save()` does not write the old one back.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("claim_version must run inside the transaction that saves the change")
    model = type(instance)
    values: dict[str, Any] = {"version": models.F("version") + 1, **also}
    if any(field.name == "modified_at" for field in model._meta.concrete_fields):
        values.setdefault("modified_at", timezone.now())
    if not model._default_manager.filter(pk=instance.pk, version=expected_version).update(**values):
        raise StaleEdit(f"This {model._meta.verbose_name} was changed by someone else after you opened it.")
    instance.version = expected_version + 1  # type: ignore[attr-defined]
    for name, value in also.items():
        setattr(instance, name, value)


def bump_version(instance: models.Model) -> None:
    """Record a change made without an edit form (a status change, the agenda), so that every
    form of the record opened before it is refused as stale. Call inside the saving transaction."""
    model = type(instance)
    model._default_manager.filter(pk=instance.pk).update(version=models.F("version") + 1)
    instance.refresh_from_db(fields=["version"])


def save_versioned_form(form: forms.ModelForm, *, commit_also: Callable[[Any], None] | None = None, **also: Any) -> Any:
    """Save a versioned ModelForm (with its many-to-many fields) if the record is unchanged since it was opened.

    `commit_also(instance)` runs in the same transaction after the save (the audit row, a log entry).
    """
    with transaction.atomic():
        instance = form.instance
        claim_version(instance, form.cleaned_data["version"], **also)
        instance = form.save()
        if commit_also is not None:
            commit_also(instance)
    return instance


def _display(value: Any) -> str:
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, list | tuple | set | models.QuerySet):
        return ",".join(sorted(_display(item) for item in value))
    if isinstance(value, Decimal):
        # 10 typed and 10.0 stored are the same number.
        return str(value.normalize()) if value.is_finite() else str(value)
    return "" if value is None else str(value)


def differing_fields(form: forms.BaseForm, current: dict[str, Any]) -> list[str]:
    """Labels of the fields where what the user entered differs from the record as it now is."""
    submitted = form.cleaned_data if hasattr(form, "cleaned_data") else {}
    labels = []
    for name, field in form.fields.items():
        if name == "version" or name not in submitted or name not in current:
            continue
        if _display(submitted[name]) != _display(current[name]):
            labels.append(str(field.label or name.replace("_", " ").capitalize()))
    return labels


def conflict_message(instance: models.Model, not_saved: list[str]) -> str:
    """What happened, who did it and when, and what to do."""
    noun = str(instance._meta.verbose_name)
    who = getattr(instance, "modified_by", None)
    when = getattr(instance, "modified_at", None)
    message = f"This {noun} was changed by someone else after you opened it"
    if who is not None:
        message = f"This {noun} was changed by {getattr(who, 'full_name', '') or who} after you opened it"
    if when is not None:
        local = timezone.localtime(when)
        message += f" (at {date_format(local, 'H:i')} on {local.day} {date_format(local, 'F Y')})"
    message += ". Nothing you entered has been saved."
    if not_saved:
        message += f" Your entries that differ from the saved record: {', '.join(not_saved)}."
    return message + " The form now shows the record as it is: check it and make your changes again."


def values_of(instance: models.Model, names: Any) -> dict[str, Any]:
    """The record's current values for the named form fields (those it has)."""
    return {name: getattr(instance, name) for name in names if name != "version" and hasattr(instance, name)}


def conflict_form(
    form_class: Callable[..., forms.BaseForm],
    *,
    stale_form: forms.BaseForm,
    instance: models.Model,
    current: dict[str, Any] | None = None,
    form_kwargs: dict[str, Any] | None = None,
) -> forms.BaseForm:
    """The form again, unbound and filled from the record as it now is, carrying the conflict message.

    `form_kwargs` are what the form class needs besides `initial` (e.g. the re-read instance).
    Without `current`, the values are those the form itself starts from for that instance.
    """
    form_kwargs = dict(form_kwargs or {})
    if current is None:
        probe = form_class(**form_kwargs)
        current = {name: value for name, value in probe.initial.items() if name != "version"}
    not_saved = differing_fields(stale_form, current)
    initial = {**form_kwargs.pop("initial", {}), **current, "version": instance.version}  # type: ignore[attr-defined]
    fresh = form_class(initial=initial, **form_kwargs)
    # Unbound, so the fields show the record as it is; the message goes to the error summary.
    fresh.cleaned_data = {}
    fresh.add_error(None, conflict_message(instance, not_saved))
    return fresh


def conflict(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    form_class: Callable[..., forms.BaseForm],
    stale_form: forms.BaseForm,
    instance: models.Model,
    current: dict[str, Any] | None = None,
    form_kwargs: dict[str, Any] | None = None,
    form_key: str = "form",
) -> HttpResponse:
    """The edit page again, answered 409 (Conflict), with `conflict_form` in place of the user's form."""
    fresh = conflict_form(
        form_class, stale_form=stale_form, instance=instance, current=current, form_kwargs=form_kwargs
    )
    return render(request, template, {**context, form_key: fresh}, status=CONFLICT_STATUS)
