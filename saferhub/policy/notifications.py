"""Notifications: a user's own notices, and who may be told about a record at all.

A notice goes only to a user who may see the record it is about (``may_be_told``): the
events and the daily run ask here for every recipient, and the e-mail task asks again before
sending, so a share revoked or a case restricted in between stops the e-mail.
"""

from typing import Any

from django.http import Http404

from saferhub.policy.cases import can_view_case
from saferhub.policy.roles import _active


def visible_notifications(user: Any) -> Any:
    """The user's own notifications (nobody else's, whatever their role)."""
    from saferhub.notifications.models import Notification

    if not _active(user):
        return Notification.objects.none()
    return Notification.objects.filter(recipient_id=user.pk, partnership_id=user.partnership_id)


def can_receive_notifications(user: Any) -> bool:
    return _active(user)


def get_notification_for_user(user: Any, pk: int) -> Any:
    found = visible_notifications(user).filter(pk=pk).first()
    if found is None:
        raise Http404("No such notification")
    return found


def _sees_action(user: Any, action: Any) -> bool:
    from saferhub.policy.panels import panel_actions_for_owner

    if action.owner_id != user.pk:
        return False
    return can_view_case(user, action.case) or panel_actions_for_owner(user).filter(pk=action.pk).exists()


def _sees_referral(user: Any, referral: Any) -> bool:
    from saferhub.policy.referrals import can_decide_referral

    return can_decide_referral(user, referral) or (referral.case_id is not None and can_view_case(user, referral.case))


def _sees_case_review(user: Any, review: Any) -> bool:
    from saferhub.policy.asb import visible_case_reviews

    return visible_case_reviews(user).filter(pk=review.pk).exists()


def _sees_episode(user: Any, episode: Any) -> bool:
    from saferhub.policy.missing import can_record_interview, episode_access

    return episode_access(user, episode) is not None or can_record_interview(user, episode)


def _sees_return(user: Any, provider_return: Any) -> bool:
    from saferhub.policy.governance import can_manage_governance

    return can_manage_governance(user) and provider_return.service.partnership_id == user.partnership_id


def may_be_told(user: Any, subject: str, obj: Any) -> bool:
    """Whether `user` may be sent a notice about `obj` (a record of the given notification subject)."""
    if obj is None or not _active(user):
        return False
    checks = {
        "case": lambda: can_view_case(user, obj),
        "action": lambda: _sees_action(user, obj),
        "referral": lambda: _sees_referral(user, obj),
        "hub_referral": lambda: _sees_referral(user, obj.referral),
        "case_review": lambda: _sees_case_review(user, obj),
        "intervention": lambda: obj.case is not None and can_view_case(user, obj.case),
        "episode": lambda: _sees_episode(user, obj),
        "provider_return": lambda: _sees_return(user, obj),
    }
    check = checks.get(subject)
    return bool(check and check())
