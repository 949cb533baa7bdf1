"""Overdue strategy meetings and return home interviews reach the coordinators outside `/missing/`: on their home
page (counted as on `/missing/`, in a bounded number of queries) and as notices of the daily run."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from saferhub.core.dashboards import MISSING_LENGTH
from saferhub.missing import actions
from saferhub.missing.config import UK
from saferhub.missing.models import Episode
from saferhub.missing.tests.world import at, build_world
from saferhub.notifications import deadlines
from saferhub.notifications.models import Kind, Notification
from saferhub.people.models import YesNoUnknown

pytestmark = pytest.mark.django_db

HOURS = datetime.timedelta(hours=1)


@pytest.fixture
def world():
    w = build_world()
    # The world's 2024 episode had its interview offered: only the episodes below are overdue.
    Episode.objects.filter(pk=w.episode.pk).update(rhi_offered_at=at("2024-06-02 12:00"))
    return w


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def overdue(w, now):
    """A child still missing past the strategy meeting's deadline, one back whose interview was not offered
    in time (assigned to the provider), and one back who declined the interview (nothing owed)."""
    still = actions.record_episode(w.coordinator, w.child, missing_from=now - 80 * HOURS)
    back = actions.record_episode(w.coordinator, w.child, missing_from=now - 120 * HOURS, returned_at=now - 100 * HOURS)
    back = actions.assign_rhi(w.coordinator, back, expected_version=back.version, provider=w.provider, team=w.rhi_team)
    declined = actions.record_episode(
        w.coordinator, w.child, missing_from=now - 130 * HOURS, returned_at=now - 110 * HOURS
    )
    Episode.objects.filter(pk=declined.pk).update(rhi_declined=YesNoUnknown.YES)
    return still, back


def _day(moment):
    local = moment.astimezone(UK)
    return f"{local.day} {local:%B %Y}"


def test_the_coordinators_home_page_lists_what_is_overdue_as_the_missing_page_does(world):
    still, back = overdue(world, timezone.now())
    client = signed_in(world.coordinator)
    home = client.get(reverse("core:home"))
    context = home.context
    assert [e.pk for e in context["missing_strategy_overdue"]] == [still.pk]
    assert [e.pk for e in context["missing_rhi_overdue"]] == [back.pk]
    assert context["missing_strategy_overdue_count"] == 1 and context["missing_rhi_overdue_count"] == 1
    index = client.get(reverse("missing:index")).context
    assert context["missing_strategy_overdue"] == index["overdue_strategy"]
    assert context["missing_rhi_overdue"] == index["overdue_rhi"]
    html = home.content.decode()
    section = html[html.index('data-testid="missing-overdue"') :]
    assert 'data-count="missing-strategy">1<' in section and 'data-count="missing-rhi">1<' in section
    for episode in (still, back):
        assert f'href="{reverse("missing:episode", args=[episode.pk])}">Tia Testchild</a>' in section
    assert f"Due {_day(still.strategy_due_at)}" in section and f"To be offered by {_day(back.rhi_due_at)}" in section
    assert "see them all on Missing children" not in section  # every overdue item is listed
    # Nobody outside the coordinators' team has the section: a colleague of the same council, the provider's
    # worker who holds the interview, the Early Help Hub the record is shared with, an analyst of the team.
    for user in (world.colleague, world.worker, world.hub_worker, world.analyst):
        response = signed_in(user).get(reverse("core:home"))
        assert "missing_strategy_overdue" not in response.context
        assert 'data-testid="missing-overdue"' not in response.content.decode()


def test_the_coordinators_home_page_is_bounded(world):
    now = timezone.now()
    client = signed_in(world.coordinator)
    overdue(world, now)
    client.get(reverse("core:home"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("core:home"))
    for _ in range(3 * MISSING_LENGTH):
        overdue(world, now)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("core:home"))
    context = response.context
    assert len(context["missing_strategy_overdue"]) == len(context["missing_rhi_overdue"]) == MISSING_LENGTH
    total = 3 * MISSING_LENGTH + 1
    assert context["missing_strategy_overdue_count"] == context["missing_rhi_overdue_count"] == total
    assert 'data-count="missing-strategy">16<' in response.content.decode()
    assert "see them all on Missing children" in response.content.decode()
    # Full lists are counted too (two queries); otherwise the page asks the same whatever the number of episodes.
    assert len(many) == len(few) + 2
    assert len(many) <= COORDINATOR_HOME_QUERIES


COORDINATOR_HOME_QUERIES = 24


def test_missing_notices_tell_the_coordinators_and_the_provider_once_per_deadline(world):
    now = timezone.now()
    still, back = overdue(world, now)
    assert deadlines.missing_notices(world.partnership, now) == 5
    strategy = Notification.objects.filter(kind=Kind.STRATEGY_MEETING)
    assert {(n.recipient, n.object_id) for n in strategy} == {(world.coordinator, still.pk), (world.manager, still.pk)}
    assert all(
        n.urgent
        and n.url == reverse("missing:episode", args=[still.pk])
        and n.title == f"Missing episode {still.pk}: the strategy meeting was due on {_day(still.strategy_due_at)}"
        for n in strategy
    )
    rhi = Notification.objects.filter(kind=Kind.RETURN_HOME_INTERVIEW)
    episode_url, interview_url = (reverse(name, args=[back.pk]) for name in ("missing:episode", "missing:interview"))
    assert {(n.recipient, n.url) for n in rhi} == {
        (world.coordinator, episode_url),
        (world.manager, episode_url),
        (world.worker, interview_url),  # the provider's worker opens the interview, not the episode
    }
    assert all(n.urgent and n.object_id == back.pk and _day(back.rhi_due_at) in n.title for n in rhi)
    # Each notice opens for its reader; none names the child.
    for notification in Notification.objects.all():
        assert signed_in(notification.recipient).get(notification.url).status_code == 200
        assert "Tia" not in notification.title and "Testchild" not in notification.title
    told = set(Notification.objects.values_list("recipient", flat=True))
    assert not told & {u.pk for u in (world.colleague, world.hub_worker, world.analyst, world.other_agency)}
    # The next run tells nobody again; a strategy meeting sets a new deadline, which is told once it passes.
    assert deadlines.missing_notices(world.partnership, now) == 0
    actions.record_strategy_meeting(world.coordinator, still, held_at=now - HOURS, attendees="Police, social care")
    still.refresh_from_db()
    assert still.strategy_due_at > now
    assert deadlines.missing_notices(world.partnership, now) == 0
    later = still.strategy_due_at + HOURS
    assert deadlines.missing_notices(world.partnership, later) == 2
    assert Notification.objects.filter(kind=Kind.STRATEGY_MEETING).count() == 4
