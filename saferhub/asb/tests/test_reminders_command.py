"""`manage.py asb_reminders` lists what is due."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from saferhub.asb import actions
from saferhub.asb.tests.world import build_world, kind


@pytest.mark.django_db
def test_reminders_list_reviews_and_overdue_case_review_steps():
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
    actions.submit_case_review(
        w.owner,
        partnership=w.partnership,
        applicant_name="A",
        problem="x",
        applied_on=today - datetime.timedelta(days=30),
    )
    out = io.StringIO()
    call_command("asb_reminders", "--partnership", w.partnership.slug, stdout=out)
    text = out.getvalue()
    assert "Acceptable Behaviour Contract" in text and "OVERDUE" in text and "Acknowledge the application" in text
