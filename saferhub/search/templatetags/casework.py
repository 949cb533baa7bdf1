"""``{% attachments obj %}``: the files attached to a case, referral or meeting, on its page."""

from typing import Any

from django import template
from django.urls import reverse

from saferhub import policy
from saferhub.cases.models import Case, Referral

register = template.Library()


def _add_url(parent: Any) -> str:
    if isinstance(parent, Case):
        return reverse("casework:case-attachment-add", args=[parent.reference])
    if isinstance(parent, Referral):
        return reverse("casework:referral-attachment-add", args=[parent.pk])
    return reverse("casework:meeting-attachment-add", args=[parent.pk])


@register.inclusion_tag("casework/_attachments.html", takes_context=True)
def attachments(context: Any, parent: Any) -> dict[str, Any]:
    """The parent's page has already asked the policy for the parent; the tag asks again, so it shows nothing on its own."""
    user = context["request"].user
    if not policy.can_see_attachments_of(user, parent):
        return {"rows": [], "add_url": "", "shown": False}
    return {
        "rows": list(parent.attachments.select_related("uploaded_by")),
        "add_url": _add_url(parent) if policy.can_attach(user, parent) else "",
        "shown": True,
    }
