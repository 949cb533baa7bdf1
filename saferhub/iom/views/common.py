"""What the IOM pages share: the page around one form and the risk-matched contact rule."""

import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone

from saferhub.core.form_pages import form_page, refilled
from saferhub.iom.models import RAG_SETTING, SETTING_DEFAULTS, CohortStay, IomSetting

PAGE_SIZE = 25


def today() -> datetime.date:
    return timezone.localdate()


def stay_url(stay: CohortStay) -> str:
    return reverse("iom:stay", args=[stay.pk])


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


__all__ = ["PAGE_SIZE", "contact_days", "contact_due", "form_page", "refilled", "stay_url", "today"]
