"""Types shared by views and forms; used in annotations only."""

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.http import HttpRequest

if TYPE_CHECKING:
    from saferhub.accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """A request the sign-in middleware let through to a view that is not `@public`.

    Django still passes a plain HttpRequest; this only tells the type checker that `user`
    is a signed-in `User` rather than `User | AnonymousUser`.
    """

    user: "User"


def model_choice_field(form: forms.BaseForm, name: str) -> "forms.ModelChoiceField[Any]":
    """The named field as a ModelChoiceField, to narrow its queryset at run time.

    `form.fields` is typed as plain `Field`; this casts and checks nothing.
    """
    return cast("forms.ModelChoiceField[Any]", form.fields[name])


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """The named field as a ChoiceField, to set its choices at run time (a cast, no check)."""
    return cast(forms.ChoiceField, form.fields[name])
