"""The notification pages: the list (paged, own notices only), the header count, marking read, preferences."""

import pytest
from django.test import Client

from saferhub.audit.models import AuditEvent
from saferhub.cases.tests.test_case_world import build_world
from saferhub.notifications.models import Delivery, Kind, Notification, NotificationPreference, Subject

pytestmark = pytest.mark.django_db


def notice(user, case, n=0, **extra):
    return Notification.objects.create(
        partnership=user.partnership,
        recipient=user,
        kind=Kind.ACTION_DUE,
        title=f"An action on {case.reference} is due today ({n})",
        reference=case.reference,
        subject=Subject.CASE,
        object_id=case.pk,
        url=f"/cases/{case.reference}/",
        dedupe_key=f"test:{n}",
        **extra,
    )


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def w():
    return build_world()


def test_the_header_bell_loads_the_count_after_the_page(w):
    notice(w.owner, w.case)
    client = client_for(w.owner)
    page = client.get("/notifications/").content.decode()
    assert 'hx-get="/notifications/count/"' in page and 'hx-trigger="load"' in page
    count = client.get("/notifications/count/").content.decode()
    assert 'data-unread-count="1"' in count and "unread" in count
    # Someone else's notices never count.
    assert "data-unread-count" not in client_for(w.teammate).get("/notifications/count/").content.decode()


def test_the_list_is_paged_and_shows_only_ones_own(w, django_assert_max_num_queries):
    for n in range(30):
        notice(w.owner, w.case, n)
    notice(w.teammate, w.case, 99)
    client = client_for(w.owner)
    with django_assert_max_num_queries(12):
        page = client.get("/notifications/").content.decode()
    assert page.count("Mark as read<span") == 25
    assert "(29)" in page and "(99)" not in page
    assert "You have 30 unread notifications" in page
    second = client.get("/notifications/?page=2").content.decode()
    assert second.count("Mark as read<span") == 5


def test_mark_one_read_then_all(w):
    first = notice(w.owner, w.case, 1)
    notice(w.owner, w.case, 2)
    client = client_for(w.owner)
    assert client.post(f"/notifications/{first.pk}/read/").status_code == 302
    first.refresh_from_db()
    assert first.read_at is not None
    assert AuditEvent.objects.filter(object_type="notifications.notification", object_id=str(first.pk)).exists()
    unread = client.get("/notifications/?show=unread").content.decode()
    assert "(2)" in unread and "(1)" not in unread
    client.post("/notifications/read-all/")
    assert not Notification.objects.filter(recipient=w.owner, read_at__isnull=True).exists()


def test_another_users_notification_is_not_found(w):
    theirs = notice(w.teammate, w.case)
    assert client_for(w.owner).post(f"/notifications/{theirs.pk}/read/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_preferences_are_saved_per_kind(w):
    client = client_for(w.owner)
    page = client.get("/notifications/preferences/").content.decode()
    assert "Action assigned to you" in page and "In a daily digest e-mail" in page
    data = {kind: Delivery.DIGEST for kind in Kind.values}
    data[Kind.ACTION_ASSIGNED] = Delivery.IMMEDIATE
    data[Kind.RETURN_SUBMITTED] = Delivery.OFF
    assert client.post("/notifications/preferences/", data).status_code == 302
    assert dict(NotificationPreference.objects.filter(user=w.owner).values_list("kind", "delivery")) == {
        Kind.ACTION_ASSIGNED: Delivery.IMMEDIATE,
        Kind.RETURN_SUBMITTED: Delivery.OFF,
    }


def test_a_missing_choice_is_named(w):
    data = {kind: Delivery.DIGEST for kind in Kind.values}
    del data[Kind.CASE_SHARED]
    response = client_for(w.owner).post("/notifications/preferences/", data)
    assert response.status_code == 200
    assert "Choose how you are told about “Case shared with your agency or team”" in response.content.decode()
    assert not NotificationPreference.objects.exists()


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("owner", 200), ("teammate", 200), ("colleague", 200), ("other_agency", 200),
        ("shared", 200), ("analyst", 200), ("anonymous", "sign-in"),
    ],
)  # fmt: skip
def test_everyone_signed_in_has_their_own_list(w, who, expected):
    notice(w.owner, w.case)
    client = Client() if who == "anonymous" else client_for(getattr(w, who))
    response = client.get("/notifications/")
    if expected == "sign-in":
        assert response.status_code == 302 and "/sign-in/" in response.url
        return
    assert response.status_code == expected
    assert ("WLD-2024-00001 is due today" in response.content.decode()) == (who == "owner")
