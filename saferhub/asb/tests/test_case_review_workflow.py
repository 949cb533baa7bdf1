"""The officer's Case Review steps: in order, with deadlines in working days, an outcome letter and an appeal."""

import datetime
import io

import docx
import pytest

from saferhub.asb import actions, deadlines
from saferhub.asb.models import CaseReviewStatus, Channel, ReportedTo, ReviewItemKind
from saferhub.asb.tests.test_review_items import issued_outcome_letter
from saferhub.asb.tests.world import build_world
from saferhub.core.workingdays import add_working_days, working_days_between

D = datetime.date


@pytest.fixture
def world(db):
    return build_world()


APPLIED_ON = D(2024, 6, 3)


def apply(w, applied_on=APPLIED_ON):
    return actions.submit_case_review(
        w.owner,
        partnership=w.partnership,
        applicant_name="Vera Testvictim",
        channel=Channel.PHONE,
        applied_on=applied_on,
        problem="Noise",
    )


def test_working_days_skip_weekends_and_bank_holidays():
    assert add_working_days(D(2024, 5, 24), 1) == D(2024, 5, 28)  # Friday, then the spring bank holiday Monday
    assert add_working_days(D(2024, 12, 24), 2) == D(2024, 12, 30)
    assert working_days_between(D(2024, 5, 24), D(2024, 5, 28)) == 1


def test_deadlines_come_from_settings_and_show_overdue(world):
    review = apply(world)
    steps = {s.key: s for s in deadlines.steps(review)}
    assert steps["acknowledge"].due_on == D(2024, 6, 10)  # 5 working days
    assert steps["decide"].due_on == D(2024, 6, 24)  # 15 working days
    assert steps["acknowledge"].overdue(D(2024, 6, 11)) and not steps["acknowledge"].overdue(D(2024, 6, 10))


def test_steps_must_be_taken_in_order(world):
    review = apply(world)
    with pytest.raises(actions.StepRefused, match="Acknowledge"):
        actions.decide_threshold(world.owner, review, met=False, reason="", on=D(2024, 6, 5))
    with pytest.raises(actions.StepRefused, match="Decide the threshold"):
        actions.record_review_meeting(world.owner, review, held_on=D(2024, 6, 5), attendees="x")
    actions.acknowledge_case_review(world.owner, review, D(2024, 6, 4))
    with pytest.raises(actions.StepRefused, match="reason"):
        actions.decide_threshold(world.owner, review, met=True, reason="", on=D(2024, 6, 5))  # computed: not met


def test_full_flow_to_outcome_letter_and_appeal(world, client, settings, tmp_path):
    for day in (2, 9, 16):
        actions.record_report(
            world.owner,
            world.case,
            reported_to=ReportedTo.POLICE,
            reported_on=D(2024, 5, day + 1),
            behaviour_on=D(2024, 5, day),
            summary="Shouting",
            reporter=world.victim,
        )
    review = apply(world)
    actions.link_case_review(world.owner, review, world.case, world.owner)
    actions.acknowledge_case_review(world.owner, review, D(2024, 6, 4))
    actions.decide_threshold(world.owner, review, met=True, reason="", on=D(2024, 6, 10))
    assert review.status == CaseReviewStatus.THRESHOLD_MET and "3 qualifying reports" in review.threshold_reason
    actions.record_review_meeting(world.owner, review, held_on=D(2024, 7, 1), attendees="Council, police, housing")
    for text in ("Install a noise monitor", "Joint visit"):
        actions.add_review_item(
            world.owner, review, kind=ReviewItemKind.RECOMMENDATION, text=text, owner=world.owner, due_on=D(2024, 8, 1)
        )
    actions.add_review_item(
        world.owner, review, kind=ReviewItemKind.ACTION, text="Weekly visits", owner=world.owner, due_on=D(2024, 9, 1)
    )
    with pytest.raises(actions.StepRefused, match="Consult the victim"):
        actions.send_outcome(world.owner, review, on=D(2024, 7, 3), summary="A plan is in place")
    actions.record_victim_consultation(world.owner, review, victim_consulted_on=D(2024, 7, 2), victim_views="Agrees")
    actions.send_outcome(world.owner, review, on=D(2024, 7, 3), summary="A plan is in place")
    assert review.recommendations_made
    client.force_login(world.owner)
    response = issued_outcome_letter(client, review, settings, tmp_path)
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(b"".join(response.streaming_content))).paragraphs)
    assert "Install a noise monitor (Invented Council, by 1 August 2024)" in text
    assert "Weekly visits" in text and review.reference in text and "Olive Officer" in text
    actions.record_appeal(world.owner, review, received_on=D(2024, 7, 10), grounds="Too slow")
    actions.decide_appeal(
        world.owner, review, decided_on=D(2024, 7, 20), upheld=False, outcome="Response was reasonable"
    )
    assert review.status == CaseReviewStatus.CLOSED
    assert [s.key for s in deadlines.steps(review)] == ["acknowledge", "decide", "meeting", "outcome", "appeal"]


def test_a_review_not_meeting_the_threshold_goes_straight_to_the_outcome(world):
    review = apply(world)
    actions.acknowledge_case_review(world.owner, review, D(2024, 6, 4))
    actions.decide_threshold(world.owner, review, met=False, reason="", on=D(2024, 6, 10))
    assert [s.key for s in deadlines.steps(review)] == ["acknowledge", "decide", "outcome"]
    actions.send_outcome(world.owner, review, on=D(2024, 6, 12), summary="Not met; the case stays open")
    assert review.status == CaseReviewStatus.OUTCOME_SENT
