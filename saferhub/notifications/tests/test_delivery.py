"""Notices reach people through the task worker: straight away or in the daily digest, never twice,
never naming anyone, and only to recipients the policy lets see the record."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from saferhub.cases import actions as case_actions
from saferhub.cases.tests.factories import ActionFactory
from saferhub.cases.tests.test_case_world import build_world
from saferhub.notifications.models import Delivery, Kind, Notification, NotificationPreference

DATABASE_WORKER = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker():
    call_command("run_worker", "--batch", stdout=io.StringIO())


def assert_no_personal_data(message, w):
    text = message.body + "".join(str(part[0]) for part in message.alternatives)
    for secret in ("Olive", "Owner", "Tobias", "Teammate", "Invented case one", "invented victim", "Phone"):
        assert secret not in text, secret


@pytest.mark.django_db(transaction=True)
def test_an_assigned_action_reaches_its_owner_by_email_through_the_worker(settings):
    settings.TASKS = DATABASE_WORKER
    settings.SITE_URL = "https://saferhub.example.org"
    w = build_world()
    NotificationPreference.objects.create(user=w.teammate, kind=Kind.ACTION_ASSIGNED, delivery=Delivery.IMMEDIATE)

    action = case_actions.add_action(
        w.owner, w.case, title="Phone the invented victim", owner=w.teammate, due_on=datetime.date(2026, 12, 4)
    )
    # The request only queued the work.
    assert not mail.outbox and not Notification.objects.exists()

    run_worker()

    notification = Notification.objects.get()
    assert (notification.recipient, notification.kind, notification.object_id) == (
        w.teammate,
        Kind.ACTION_ASSIGNED,
        action.pk,
    )
    assert notification.emailed_at is not None
    (message,) = mail.outbox
    assert message.to == [w.teammate.email]
    assert "WLD-2024-00001" in message.body and "due 4 December 2026" in message.body
    assert "https://saferhub.example.org/cases/WLD-2024-00001/" in message.body
    html = message.alternatives[0]
    assert html[1] == "text/html" and 'href="https://saferhub.example.org/cases/WLD-2024-00001/"' in str(html[0])
    assert_no_personal_data(message, w)

    run_worker()  # nothing left to do: nobody is told twice
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_digest_by_default_immediate_when_urgent_and_never_twice(django_capture_on_commit_callbacks, settings):
    settings.SITE_URL = "https://saferhub.example.org"
    w = build_world()
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        case_actions.add_action(w.owner, w.case, title="Phone the invented victim", owner=w.teammate, due_on=today)
    # Assigned: in Saferhub at once, e-mailed in the digest (the default).
    assert Notification.objects.filter(recipient=w.teammate, kind=Kind.ACTION_ASSIGNED).count() == 1
    assert not mail.outbox
    # The world's own action (due in a week) becomes overdue: urgent, so e-mailed straight away.
    ActionFactory(case=w.case, owner=w.teammate, due_on=today - datetime.timedelta(days=1), title="Invented")

    for _ in range(2):  # the daily run twice the same day
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_notifications", "--partnership", w.partnership.slug, stdout=io.StringIO())

    kinds = sorted(Notification.objects.filter(recipient=w.teammate).values_list("kind", flat=True))
    assert kinds == sorted([Kind.ACTION_ASSIGNED, Kind.ACTION_DUE, Kind.ACTION_OVERDUE])
    subjects = sorted(m.subject for m in mail.outbox)
    assert subjects == ["Saferhub: Action overdue", "Saferhub: your daily digest (2 new items)"]
    digest = next(m for m in mail.outbox if "digest" in m.subject)
    assert "has been assigned to you" in digest.body and "is due today" in digest.body
    assert "Urgent" not in digest.body
    for message in mail.outbox:
        assert message.to == [w.teammate.email]
        assert_no_personal_data(message, w)
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


@pytest.mark.django_db
def test_a_kind_turned_off_is_only_shown_in_saferhub(django_capture_on_commit_callbacks):
    w = build_world()
    NotificationPreference.objects.create(user=w.teammate, kind=Kind.ACTION_OVERDUE, delivery=Delivery.OFF)
    ActionFactory(case=w.case, owner=w.teammate, due_on=timezone.localdate() - datetime.timedelta(days=3))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_notifications", stdout=io.StringIO())
    notification = Notification.objects.get(kind=Kind.ACTION_OVERDUE)
    assert notification.email_skipped and notification.urgent
    assert not mail.outbox


@pytest.mark.django_db
def test_an_email_is_not_sent_once_the_recipient_may_no_longer_see_the_record(django_capture_on_commit_callbacks):
    w = build_world()
    with django_capture_on_commit_callbacks(execute=True):
        case_actions.share_case(w.owner, w.case, purpose="Joint work", lawful_basis="public_task", team=w.police_team)
    notification = Notification.objects.get(recipient=w.other_agency, kind=Kind.CASE_SHARED)
    share = w.case.shares.get(team=w.police_team)
    case_actions.revoke_share(w.owner, share)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_notifications", stdout=io.StringIO())
    assert not mail.outbox
    notification.refresh_from_db()
    assert notification.emailed_at is None


WHO = ["owner", "teammate", "colleague", "other_agency", "shared", "restricted_outsider", "analyst"]


def _user(w, who):
    # The teammate is in the owning team but not named on the restricted case: its outsider.
    return w.teammate if who == "restricted_outsider" else getattr(w, who)


@pytest.mark.parametrize(
    ("who", "told"),
    [
        ("owner", {"referral"}),
        ("teammate", {"referral"}),
        ("colleague", set()),
        ("other_agency", set()),
        ("shared", {"shared case"}),
        ("restricted_outsider", {"referral"}),
        ("analyst", set()),
    ],
)
def test_recipients_only_get_what_the_policy_lets_them_see(who, told, django_capture_on_commit_callbacks, db):
    w = build_world()
    from saferhub.cases.tests.factories import ReferralFactory

    with django_capture_on_commit_callbacks(execute=True):
        # A new share of the open case, and of the restricted one, with housing.
        case_actions.share_case(w.owner, w.case, purpose="Safety plan", lawful_basis="public_task", team=w.housing_team)
        case_actions.share_case(
            w.owner, w.restricted_case, purpose="Safety plan", lawful_basis="public_task", agency=w.housing
        )
        # An action on the restricted case given to the owning team's member who is not named on it.
        case_actions.add_action(
            w.owner, w.restricted_case, title="Invented", owner=w.teammate, due_on=timezone.localdate()
        )
        referral = ReferralFactory.build(to_team=w.owner_team, case_type=w.case_type)
        case_actions.create_referral(
            w.colleague,
            partnership=w.partnership,
            to_team=w.owner_team,
            case_type=w.case_type,
            reason=referral.reason,
        )
    received = Notification.objects.filter(recipient=_user(w, who))
    labels = set()
    for notification in received:
        if notification.kind == Kind.REFERRAL_RECEIVED:
            labels.add("referral")
        elif notification.kind == Kind.CASE_SHARED and notification.reference == w.case.reference:
            labels.add("shared case")
        else:
            labels.add(f"{notification.kind} {notification.reference}")
    assert labels == told
    assert not Notification.objects.filter(reference=w.restricted_case.reference).exists()
