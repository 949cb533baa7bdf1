"""What the RJ pages share: the page around one form, with the stale-edit and rule-refusal handling."""

import datetime

from django.urls import reverse
from django.utils import timezone

from saferhub.core.form_pages import form_page, refilled
from saferhub.rj.models import RjCase

PAGE_SIZE = 25


def today() -> datetime.date:
    return timezone.localdate()


def case_url(rj: RjCase) -> str:
    return reverse("rj:case", args=[rj.pk])


__all__ = ["PAGE_SIZE", "case_url", "form_page", "refilled", "today"]
