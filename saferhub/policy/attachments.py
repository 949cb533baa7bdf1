"""Attachments: a file is seen by whoever sees what it is attached to, and added by whoever may work on it.

- on a case: seen with the case (``visible_cases``); added by those who may contribute to it;
- on a referral: seen and added by the team it was sent to and the team that sent it;
- on a panel meeting: seen and added by the partnership's panel coordinators.
"""

from typing import Any

from django.db import models
from django.http import Http404, HttpRequest

from saferhub.policy.cases import can_contribute, case_access, visible_cases
from saferhub.policy.panels import can_coordinate_panel
from saferhub.policy.referrals import _sees_referral
from saferhub.policy.roles import works_cases


def can_see_attachments_of(user: Any, parent: Any) -> bool:
    from saferhub.cases.models import Case, Referral
    from saferhub.panels.models import Meeting

    if isinstance(parent, Case):
        return case_access(user, parent) is not None
    if isinstance(parent, Referral):
        return _sees_referral(user, parent)
    if isinstance(parent, Meeting):
        return can_coordinate_panel(user, parent.panel_type)
    return False


def can_attach(user: Any, parent: Any) -> bool:
    from saferhub.cases.models import Case

    if isinstance(parent, Case):
        return can_contribute(user, parent)
    return can_see_attachments_of(user, parent)


def visible_attachments(user: Any) -> Any:
    """Attachments on the cases, referrals and meetings the user may see."""
    from saferhub.cases.models import Referral
    from saferhub.search.models import Attachment

    if not works_cases(user):
        return Attachment.objects.none()
    grounds = models.Q(case__in=visible_cases(user))
    if user.team_id is not None:
        referrals = Referral.objects.filter(partnership_id=user.partnership_id).filter(
            models.Q(to_team_id=user.team_id) | models.Q(from_team_id=user.team_id)
        )
        grounds |= models.Q(referral__in=referrals)
    if can_coordinate_panel(user):
        grounds |= models.Q(meeting__partnership_id=user.partnership_id)
    return Attachment.objects.filter(partnership_id=user.partnership_id).filter(grounds)


def get_attachment_for_user(request: HttpRequest, pk: int) -> Any:
    """The attachment, or 404 for anyone who may not see what it is attached to."""
    from saferhub.search.models import Attachment

    attachment = Attachment.objects.select_related("case", "referral", "meeting__panel_type").filter(pk=pk).first()
    if attachment is None or not can_see_attachments_of(request.user, attachment.parent):
        raise Http404("No such attachment")
    return attachment
