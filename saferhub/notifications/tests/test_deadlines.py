"""The daily run and `asb_reminders` notify the teams holding ASB deadlines, once per deadline."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from saferhub.asb import actions
from saferhub.asb.tests.world import build_world, kind
from saferhub.notifications.models import Kind, Notification

pytestmark = pytest.mark.django_db


def test_asb_reminders_notify_the_team_once_per_deadline():
    w = build_world()
    today = timezone.localdate()
    actions.record_intervention(
        w.owner,
        w.case,
        partnership=w.partnership,
        kind=kind(w.partnership, "abc"),
        person=w.subject,
        served_on=today,
        review_on=today + datetime.timedelta(days=3),
    )
    review = actions.submit_case_review(
        w.owner,
        partnership=w.partnership,
        applicant_name="A",
        problem="x",
        applied_on=today - datetime.timedelta(days=30),
    )
    for _ in range(2):
        out = io.StringIO()
        call_command("asb_reminders", "--partnership", w.partnership.slug, stdout=out)
    assert "Notifications created: 0." in out.getvalue()  # the second run tells nobody again

    tools = Notification.objects.filter(kind=Kind.TOOL_REVIEW)
    assert {n.recipient for n in tools} == {w.owner, w.manager}
    assert all(w.case.reference in n.title and "review due on" in n.title for n in tools)
    steps = Notification.objects.filter(kind=Kind.CASE_REVIEW_STEP, reference=review.reference)
    assert steps.exists() and all(n.urgent for n in steps)
    # Nobody outside the team that holds them, and no analyst, is told.
    told = set(Notification.objects.values_list("recipient", flat=True))
    assert not told & {w.colleague.pk, w.other_agency.pk, w.shared.pk, w.analyst.pk}
