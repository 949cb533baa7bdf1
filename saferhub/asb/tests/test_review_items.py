"""Recommendations and the action plan are tracked items (owner, due date, status); action plan items are
actions on the ASB case, on their owner's home page. The victim is consulted on the plan before the outcome."""

import datetime
import io

import docx
import pytest
from django.urls import reverse
from django.utils import timezone

from saferhub.asb import actions
from saferhub.asb.models import Channel, ReviewItem, ReviewItemKind
from saferhub.asb.tests.world import build_world
from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.cases.models import Action, ActionStatus

D = datetime.date


@pytest.fixture
def world(db):
    return build_world()


def held_review(w, link=True):
    today = timezone.localdate()
    review = actions.submit_case_review(
        w.owner,
        partnership=w.partnership,
        applicant_name="Vera Testvictim",
        applicant_address="1 Invented Row",
        channel=Channel.PHONE,
        applied_on=today - datetime.timedelta(days=30),
    )
    if link:
        actions.link_case_review(w.owner, review, w.case)
    actions.acknowledge_case_review(w.owner, review, today - datetime.timedelta(days=29))
    actions.decide_threshold(
        w.owner, review, met=True, reason="Officer judgement", on=today - datetime.timedelta(days=20)
    )
    actions.record_review_meeting(w.owner, review, held_on=today - datetime.timedelta(days=10), attendees="Partners")
    return review


def add(w, review, kind, text="Weekly joint visits", owner=None, due_on=None):
    return actions.add_review_item(
        w.owner,
        review,
        kind=kind,
        text=text,
        owner=owner or w.owner,
        due_on=due_on or timezone.localdate() + datetime.timedelta(days=30),
    )


def test_adding_an_action_plan_item_puts_an_action_on_the_case_for_its_owner(world, client):
    review = held_review(world)
    client.force_login(world.owner)
    due = timezone.localdate() + datetime.timedelta(days=14)
    response = client.post(
        reverse("asb:review-plan-add", args=[review.reference]),
        {"text": "Fit a noise monitor", "owner": world.manager.pk, "due_on": due.isoformat()},
    )
    assert response.status_code == 302
    item = ReviewItem.objects.get()
    assert item.kind == ReviewItemKind.ACTION and item.owner == world.manager and item.due_on == due
    action = item.action
    assert action.case == world.case and action.owner == world.manager and action.due_on == due
    assert review.reference in action.title and "Fit a noise monitor" in action.title
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_type__endswith="reviewitem").exists()
    client.force_login(world.manager)
    assert "Fit a noise monitor" in client.get(reverse("core:home")).content.decode()


def test_adding_a_recommendation_marks_the_review_as_making_recommendations(world, client):
    review = held_review(world)
    assert review.recommendations_made is False
    client.force_login(world.owner)
    response = client.post(
        reverse("asb:review-recommendation-add", args=[review.reference]),
        {"text": "Police to patrol on Friday nights", "owner": world.other_agency.pk, "due_on": "2099-01-31"},
    )
    assert response.status_code == 302
    item = ReviewItem.objects.get()
    assert item.action is None and item.owner == world.other_agency
    review.refresh_from_db()
    assert review.recommendations_made is True


def test_an_item_needs_what_who_and_when(world, client):
    review = held_review(world)
    client.force_login(world.owner)
    response = client.post(reverse("asb:review-plan-add", args=[review.reference]), {"text": ""})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"text", "owner", "due_on"}
    assert not ReviewItem.objects.exists() and not Action.objects.filter(title__contains="action plan").exists()


def test_an_action_plan_owner_must_be_able_to_see_the_case(world, client):
    review = held_review(world)
    client.force_login(world.owner)
    response = client.post(
        reverse("asb:review-plan-add", args=[review.reference]),
        {"text": "Visit", "owner": world.other_agency.pk, "due_on": "2099-01-31"},
    )
    assert response.status_code == 200 and "cannot see" in response.context["form"].errors["owner"][0]
    assert not ReviewItem.objects.exists()


def test_items_wait_for_the_meeting_and_plan_items_for_a_linked_case(world):
    review = actions.submit_case_review(world.owner, partnership=world.partnership, channel=Channel.PHONE)
    with pytest.raises(actions.StepRefused, match="review meeting"):
        add(world, review, ReviewItemKind.RECOMMENDATION)
    unlinked = held_review(world, link=False)
    with pytest.raises(actions.StepRefused, match="Link the application"):
        add(world, unlinked, ReviewItemKind.ACTION)
    add(world, unlinked, ReviewItemKind.RECOMMENDATION)  # recommendations need no case


def test_status_of_a_plan_item_is_its_actions(world, client):
    review = held_review(world)
    item = add(world, review, ReviewItemKind.ACTION)
    client.force_login(world.owner)
    url = reverse("asb:review-item-status", args=[review.reference, item.pk])
    assert client.post(url, {"status": ActionStatus.DONE}).status_code == 302
    item.refresh_from_db()
    item.action.refresh_from_db()
    assert item.current_status == ActionStatus.DONE and item.action.status == ActionStatus.DONE
    # Done from the owner's home page (the cases app) shows on the review too.
    actions.case_actions.set_action_status(world.owner, item.action, ActionStatus.OPEN)
    assert ReviewItem.objects.select_related("action").get(pk=item.pk).current_status == ActionStatus.OPEN


def test_a_recommendation_keeps_its_own_status(world):
    review = held_review(world)
    item = add(world, review, ReviewItemKind.RECOMMENDATION)
    actions.set_review_item_status(world.owner, item, ActionStatus.CANCELLED)
    assert ReviewItem.objects.get(pk=item.pk).current_status == ActionStatus.CANCELLED


def test_victim_consultation_needs_a_plan_and_is_required_before_the_outcome(world):
    review = held_review(world)
    today = timezone.localdate()
    with pytest.raises(actions.StepRefused, match="Add the action plan items"):
        actions.record_victim_consultation(world.owner, review, victim_consulted_on=today, victim_views="Fine")
    add(world, review, ReviewItemKind.ACTION)
    with pytest.raises(actions.StepRefused, match="Consult the victim"):
        actions.send_outcome(world.owner, review, on=today, summary="Plan agreed")
    actions.record_victim_consultation(world.owner, review, victim_consulted_on=today, victim_views="Agrees")
    actions.send_outcome(world.owner, review, on=today, summary="Plan agreed")
    with pytest.raises(actions.StepRefused, match="outcome has been sent"):
        add(world, review, ReviewItemKind.ACTION)


def test_a_plan_item_added_after_the_consultation_needs_a_new_one(world, client):
    review = held_review(world)
    today = timezone.localdate()
    add(world, review, ReviewItemKind.ACTION)
    actions.record_victim_consultation(world.owner, review, victim_consulted_on=today, victim_views="Agrees")
    add(world, review, ReviewItemKind.ACTION, text="Another visit")
    with pytest.raises(actions.StepRefused, match="consult the victim again"):
        actions.send_outcome(world.owner, review, on=today, summary="Plan agreed")
    client.force_login(world.owner)
    assert "consult again" in client.get(reverse("asb:review", args=[review.reference])).content.decode()
    actions.record_victim_consultation(world.owner, review, victim_consulted_on=today, victim_views="Still agrees")
    actions.send_outcome(world.owner, review, on=today, summary="Plan agreed")


def test_the_outcome_letter_lists_items_with_agency_and_date(world, client, settings, tmp_path):
    review = held_review(world)
    today = timezone.localdate()
    add(
        world,
        review,
        ReviewItemKind.RECOMMENDATION,
        text="Police to patrol",
        owner=world.other_agency,
        due_on=D(2099, 3, 1),
    )
    add(world, review, ReviewItemKind.ACTION, text="Fit a noise monitor", due_on=D(2099, 2, 1))
    actions.record_victim_consultation(world.owner, review, victim_consulted_on=today, victim_views="Agrees")
    actions.send_outcome(world.owner, review, on=today, summary="Plan agreed")
    client.force_login(world.owner)
    response = issued_outcome_letter(client, review, settings, tmp_path)
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(b"".join(response.streaming_content))).paragraphs)
    assert "Police to patrol (Invented Police, by 1 March 2099)" in text
    assert "Fit a noise monitor (Invented Council, by 1 February 2099)" in text
    assert "consulted on the action plan" in text
    assert "Olive Officer" not in text.split("Action plan")[1].split("\n")[1]  # agencies, not officers, in the plan


def issued_outcome_letter(client, review, settings, tmp_path):
    """Issue the outcome letter (the letters module files it) and download it as the applicant gets it."""
    settings.MEDIA_ROOT = tmp_path
    issued = client.post(
        reverse("letters:review-new", args=[review.reference]), {"deadline": "18/12/2099", "issue": ""}
    )
    assert issued.status_code == 302
    return client.get(reverse("asb:review-letter", args=[review.reference]))


@pytest.mark.parametrize(
    "who, status", [("owner", 200), ("manager", 200), ("colleague", 404), ("other_agency", 404), ("analyst", 404)]
)
def test_who_may_add_items(world, client, who, status):
    review = held_review(world)
    client.force_login(getattr(world, who))
    assert client.get(reverse("asb:review-plan-add", args=[review.reference])).status_code == status
    assert client.get(reverse("asb:review-recommendation-add", args=[review.reference])).status_code == status


def test_item_status_of_another_review_is_not_found(world, client):
    review = held_review(world)
    other = held_review(world)
    item = add(world, other, ReviewItemKind.RECOMMENDATION)
    client.force_login(world.owner)
    assert client.get(reverse("asb:review-item-status", args=[review.reference, item.pk])).status_code == 404


def test_review_page_queries_do_not_grow_with_items(world, client, django_assert_max_num_queries):
    review = held_review(world)
    for n in range(8):
        add(world, review, ReviewItemKind.ACTION, text=f"Plan item {n}")
        add(world, review, ReviewItemKind.RECOMMENDATION, text=f"Recommendation {n}", owner=world.manager)
    client.force_login(world.owner)
    with django_assert_max_num_queries(18):
        response = client.get(reverse("asb:review", args=[review.reference]))
    assert response.status_code == 200 and "Plan item 7" in response.content.decode()
