"""The coordinators' journey through the pages: a child goes missing, deadlines appear, the child returns, the
interview goes to the out-of-borough provider whose worker records it; strategy meetings, repeats, reminders,
the ward map and the network."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from saferhub.missing import actions
from saferhub.missing.models import (
    Episode,
    Group,
    IntelLink,
    LinkSource,
    MissingChild,
    MissingSetting,
    PlaceKind,
    PlaceOfConcern,
    SettingKey,
    Visibility,
)
from saferhub.missing.tests.world import at, build_world, with_intelligence
from saferhub.people.tests.factories import PersonFactory
from saferhub.reporting.periods import quarter_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_a_child_goes_missing_returns_and_the_provider_completes_the_interview(world):
    coordinator = signed_in(world.coordinator)
    response = coordinator.post(
        reverse("missing:episode-new"),
        {
            "first_name": "Remy",
            "last_name": "Testmissing",
            "date_of_birth": "2011-02-03",
            "missing_from": "2026-03-02 18:30",
            "police_reference": "CAD 4242",
            "risk": "high",
            "placed_out_of_area": "yes",
        },
    )
    assert response.status_code == 302
    episode = Episode.objects.get(police_reference="CAD 4242")
    assert episode.child.case.owning_team == world.tve and episode.child.case.reference.startswith("MIS-")
    assert episode.strategy_due_at == at("2026-03-05 18:30")
    page = coordinator.get(response.url).content.decode()
    assert "Due by 5 March 2026, 18:30" in page
    # Back the next day: no strategy meeting owed, the interview to be offered within 72 hours.
    response = coordinator.post(
        reverse("missing:episode-return", args=[episode.pk]),
        {"returned_at": "2026-03-03 09:15", "where_found": "Bus station", "version": episode.version},
    )
    assert response.status_code == 302
    episode.refresh_from_db()
    assert episode.strategy_due_at is None and episode.rhi_due_at == at("2026-03-06 09:15")
    assert "To be offered by 6 March 2026, 09:15" in coordinator.get(response.url).content.decode()
    response = coordinator.post(
        reverse("missing:interview-assign", args=[episode.pk]),
        {"team": world.rhi_team.pk, "version": episode.version},
    )
    assert response.status_code == 302
    episode.refresh_from_db()
    assert episode.rhi_provider == world.provider
    # The provider's worker sees it in their list and records it.
    worker = signed_in(world.worker)
    assert episode.pk in [e.pk for e in worker.get(reverse("missing:interviews")).context["episodes"]]
    response = worker.post(
        reverse("missing:interview", args=[episode.pk]),
        {
            "rhi_offered_at": "2026-03-04 10:00",
            "rhi_declined": "no",
            "rhi_completed_at": "2026-03-05 16:00",
            "push_factors": "Arguments at the placement",
            "pull_factors": "Older friends",
            "disclosures": "",
            "concerns_raised": "Possible county lines",
            "onward_referrals": "Youth service",
            "version": episode.version,
        },
    )
    assert response.status_code == 302 and response.url == reverse("missing:interviews")
    episode.refresh_from_db()
    assert episode.rhi_completed_at == at("2026-03-05 16:00") and episode.pull_factors == "Older friends"


def test_errors_name_the_field_and_what_to_do(world):
    client = signed_in(world.coordinator)
    response = client.post(reverse("missing:episode-new"), {"first_name": "", "missing_from": "yesterday"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["first_name"] == ["Enter first name"]
    assert errors["missing_from"] == ["Missing from must be a real date and time"]
    response = client.post(
        reverse("missing:episode-return", args=[world.episode.pk]),
        {"returned_at": "2024-05-01 10:00", "version": world.episode.version},
    )
    assert response.context["form"].errors["returned_at"] == [
        "Returned at must be after the time the child went missing"
    ]
    response = signed_in(world.worker).post(
        reverse("missing:interview", args=[world.episode.pk]),
        {"rhi_declined": "no", "rhi_completed_at": "2024-06-03 10:00", "version": world.episode.version},
    )
    assert response.context["form"].errors["rhi_offered_at"] == ["Enter when the interview was offered: it was held"]


def test_strategy_meetings_move_the_deadline_weekly_and_settings_are_dated(world):
    child = world.child
    episode = actions.record_episode(world.coordinator, child, missing_from=at("2026-01-10 12:00"))
    assert episode.strategy_due_at == at("2026-01-13 12:00")
    actions.record_strategy_meeting(world.coordinator, episode, held_at=at("2026-01-13 10:00"), attendees="Police")
    episode.refresh_from_db()
    assert episode.strategy_due_at == at("2026-01-20 12:00")
    # A later value of the setting applies to episodes that begin after it.
    MissingSetting.objects.create(
        partnership=world.partnership,
        key=SettingKey.LONG_MISSING_HOURS,
        value=48,
        effective_from=datetime.date(2026, 2, 1),
    )
    later = actions.record_episode(world.coordinator, child, missing_from=at("2026-02-10 12:00"))
    assert later.strategy_due_at == at("2026-02-12 12:00")
    episode.refresh_from_db()
    assert episode.strategy_due_at == at("2026-01-20 12:00")


def test_three_episodes_in_90_days_make_a_repeat(world):
    child = world.child
    assert not MissingChild.objects.get(pk=child.pk).repeat
    actions.record_episode(world.coordinator, child, missing_from=at("2024-07-01 12:00"))
    assert not MissingChild.objects.get(pk=child.pk).repeat
    actions.record_episode(world.coordinator, child, missing_from=at("2024-08-20 12:00"))
    assert MissingChild.objects.get(pk=child.pk).repeat
    actions.record_episode(world.coordinator, child, missing_from=at("2025-06-01 12:00"))
    assert not MissingChild.objects.get(pk=child.pk).repeat


def test_the_childs_page_names_the_repeat_rule_in_force(world):
    child, client = world.child, signed_in(world.coordinator)
    actions.record_episode(world.coordinator, child, missing_from=at("2024-07-01 12:00"))
    actions.record_episode(world.coordinator, child, missing_from=at("2024-08-20 12:00"))
    page = client.get(reverse("missing:child", args=[child.pk])).content.decode()
    assert "3 or more episodes within 90 days" in page
    # From 2025 the local protocol makes two episodes within 60 days a repeat.
    for key, value in ((SettingKey.REPEAT_EPISODES, 2), (SettingKey.REPEAT_WINDOW_DAYS, 60)):
        MissingSetting.objects.create(
            partnership=world.partnership, key=key, value=value, effective_from=datetime.date(2025, 1, 1)
        )
    actions.record_episode(world.coordinator, child, missing_from=at("2025-03-01 12:00"))
    assert not MissingChild.objects.get(pk=child.pk).repeat
    page = client.get(reverse("missing:child", args=[child.pk])).content.decode()
    assert 'Repeat missing</dt><dd class="govuk-summary-list__value">No</dd>' in page
    actions.record_episode(world.coordinator, child, missing_from=at("2025-04-15 12:00"))
    page = client.get(reverse("missing:child", args=[child.pk])).content.decode()
    assert "2 or more episodes within 60 days" in page and "3 or more" not in page


def test_overdue_items_on_the_coordinators_page_and_in_reminders(world, django_capture_on_commit_callbacks):
    now = timezone.now().replace(second=0, microsecond=0)
    Episode.objects.filter(pk=world.episode.pk).update(rhi_offered_at=at("2024-06-02 12:00"))
    still = actions.record_episode(world.coordinator, world.child, missing_from=now - datetime.timedelta(hours=80))
    back = actions.record_episode(
        world.coordinator,
        world.child,
        missing_from=now - datetime.timedelta(hours=120),
        returned_at=now - datetime.timedelta(hours=100),
    )
    back = actions.assign_rhi(
        world.coordinator, back, expected_version=back.version, provider=world.provider, team=world.rhi_team
    )
    page = signed_in(world.coordinator).get(reverse("missing:index"))
    assert [e.pk for e in page.context["overdue_strategy"]] == [still.pk]
    assert [e.pk for e in page.context["overdue_rhi"]] == [back.pk]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        call_command("missing_reminders", "--partnership", world.partnership.slug, stdout=io.StringIO())
    assert len(callbacks) == 3  # sent once the command's transaction commits
    to = {message.to[0]: message for message in mail.outbox}
    assert set(to) == {world.coordinator.email, world.manager.email, world.worker.email}
    assert "2 missing-children items are overdue" in to[world.coordinator.email].body
    worker_mail = to[world.worker.email].body
    assert (
        "1 missing-children item is overdue" in worker_mail
        and reverse("missing:interview", args=[back.pk]) in worker_mail
    )
    # No child is named in any e-mail.
    assert all("Testchild" not in m.body and "Tia" not in m.body for m in mail.outbox)


def test_map_network_and_quarterly_counts(world):
    with_intelligence(world)
    client = signed_in(world.coordinator)
    child_page = client.get(reverse("missing:child", args=[world.child.pk]))
    assert b"<svg" in child_page.content and b"Testing skate park" in child_page.content
    assert len(child_page.context["link_rows"]) == 2
    place = client.get(reverse("missing:place", args=[world.place_ceam.pk]))
    assert b"Links around Testing skate park" in place.content
    # Dated relative to today: the last four quarters end with this one.
    today = timezone.localdate()
    quarters = [quarter_of(today)]
    for _ in range(4):
        quarters.insert(0, quarter_of(quarters[0].start - datetime.timedelta(days=1)))
    too_old, *shown = quarters
    this, last = shown[-1], shown[-2]
    PlaceOfConcern.objects.filter(pk=world.place_team.pk).update(identified_on=this.start)
    PlaceOfConcern.objects.filter(pk=world.place_ceam.pk).update(identified_on=last.end)
    Group.objects.filter(pk=world.group.pk).update(identified_on=today)
    IntelLink.objects.filter(pk=world.link_ceam.pk).update(recorded_on=last.start)
    IntelLink.objects.filter(pk=world.link_team.pk).update(recorded_on=today)
    second = PersonFactory.create(partnership=world.partnership, first_name="Sol", last_name="Testsecond")
    actions.child_record(world.coordinator, second)
    for place, group in ((world.place_ceam, None), (None, world.group)):  # two links, one young person
        actions.add_link(
            world.coordinator, world.partnership, person=second, place=place, group=group,
            source=LinkSource.CEAM, recorded_on=this.start, visibility=Visibility.CEAM,
        )  # fmt: skip
    removed = actions.add_link(
        world.coordinator, world.partnership, person=PersonFactory.create(partnership=world.partnership),
        place=world.place_team, source=LinkSource.POLICE, recorded_on=today,
    )  # fmt: skip
    actions.archive_link(world.coordinator, removed)
    actions.create_place(
        world.coordinator, world.partnership, name="Testing old yard", kind=PlaceKind.OTHER, identified_on=too_old.end
    )

    def counts(places_groups_children):
        return [
            {"quarter": q.label, "places": p, "groups": g, "children": c}
            for q, (p, g, c) in zip(shown, places_groups_children, strict=True)
        ]

    overview = client.get(reverse("missing:intelligence"))
    assert overview.context["quarters"] == counts([(0, 0, 0), (0, 0, 0), (1, 0, 1), (1, 1, 2)])
    page = overview.content.decode()
    assert f'<th scope="row" class="govuk-table__header">{this.label}</th>' in page
    # A CEAM member agency's caseworker counts only what is shared with the meeting: the skate park, and
    # the links to it (a link to the team's own group stays hidden).
    member = signed_in(world.other_agency).get(reverse("missing:intelligence"))
    assert member.context["quarters"] == counts([(0, 0, 0), (0, 0, 0), (1, 0, 1), (0, 0, 1)])


def test_the_manager_changes_a_deadline_from_a_date_and_the_episodes_it_reaches_are_recomputed(world):
    episode = world.episode  # returned: its return home interview is due 72 hours after the return
    assert episode.rhi_due_at == episode.returned_at + datetime.timedelta(hours=72)
    page = signed_in(world.coordinator).get(reverse("missing:settings")).content.decode()
    assert "Hours after return to offer (and hold) the return home interview" in page and "rhi_hours" not in page
    assert reverse("missing:setting-add") not in page  # a coordinator reads; the manager changes
    assert signed_in(world.coordinator).get(reverse("missing:setting-add")).status_code == 403
    manager = signed_in(world.manager)
    day = timezone.localtime(episode.missing_from).date()
    response = manager.post(
        reverse("missing:setting-add"),
        {"key": SettingKey.RHI_HOURS, "value": "24", "effective_from": day.isoformat()},
    )
    assert response.status_code == 302
    episode.refresh_from_db()
    assert episode.rhi_due_at == episode.returned_at + datetime.timedelta(hours=24)
    page = manager.get(reverse("missing:settings")).content.decode()
    assert f"{day.day} {day:%B %Y}" in page and "Mina Manager" in page


def test_a_bad_setting_names_the_field_and_writes_nothing(world):
    count = MissingSetting.objects.count()
    response = signed_in(world.manager).post(
        reverse("missing:setting-add"), {"key": SettingKey.RHI_HOURS, "value": "0", "effective_from": ""}
    )
    page = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in page
    assert "New value" in page and "Applies from" in page
    assert MissingSetting.objects.count() == count
