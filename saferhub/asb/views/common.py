"""What the ASB pages share: the page around a form, rule errors on a form."""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

PER_PAGE = 25
STALE_MESSAGE = (
    "Someone else changed this case's ASB details after you opened the page. Your changes have not been saved. "
    "The form now shows the details as they are: check them and make your changes again."
)


def form_page(
    request: HttpRequest,
    form: Any,
    *,
    title: str,
    back_url: str,
    submit: str,
    caption: str = "",
    intro: str = "",
    status: int = 200,
    **extra: Any,
) -> HttpResponse:
    context = {
        "form": form,
        "page_title": title,
        "back_url": back_url,
        "submit": submit,
        "caption": caption,
        "intro": intro,
        **extra,
    }
    return render(request, "asb/form.html", context, status=status)


def _rule_errors(form: Any, exc: ValidationError) -> None:
    """Put a rule's message beside the field it concerns (or at the top)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
