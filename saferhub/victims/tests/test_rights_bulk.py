"""Several Victims' Code rights recorded at once: each through record_right (audited), all or nothing."""

import pytest
from django.utils import timezone

from saferhub.audit.models import AuditEvent
from saferhub.core.models import ReferenceList
from saferhub.victims.models import RightRecord
from saferhub.victims.tests.world import accepted_referral, build_world, client_for, code

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = build_world()
    world.hub = accepted_referral(world)
    return world


def right(world, number):
    return code(world, ReferenceList.VCOP_RIGHT, str(number))


def test_record_several_rights_at_once(world):
    client = client_for(world, "owner")
    url = f"/victims/referrals/{world.hub.pk}/rights/several/"
    page = client.get(url).content.decode()
    assert "Record several Victims&#x27; Code rights" in page and 'name="seen"' in page
    today = timezone.localdate()
    chosen = [right(world, n).pk for n in (1, 3, 4)]
    response = client.post(url, {"rights": chosen, "informed_on": today.isoformat(), "seen": ""})
    assert response.status_code == 302
    records = RightRecord.objects.filter(hub_referral=world.hub)
    assert sorted(records.values_list("right__code", flat=True)) == ["1", "3", "4"]
    assert {r.informed_on for r in records} == {today}
    audited = AuditEvent.objects.filter(detail__hub="vcop_right").values_list("detail__right", flat=True)
    assert sorted(str(value) for value in audited) == ["1", "3", "4"]
    world.hub.refresh_from_db()
    assert world.hub.vcop_informed_on == today


def test_a_right_recorded_meanwhile_refuses_the_batch_and_is_named(world):
    client = client_for(world, "owner")
    url = f"/victims/referrals/{world.hub.pk}/rights/several/"
    today = timezone.localdate()
    # The page was opened with no right recorded; someone then records right 4.
    RightRecord.objects.create(hub_referral=world.hub, right=right(world, 4), informed_on=today)
    response = client.post(
        url, {"rights": [right(world, 1).pk, right(world, 4).pk], "informed_on": today.isoformat(), "seen": ""}
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Right 4 (" in text and "was recorded by someone else after you opened this page" in text
    assert not RightRecord.objects.filter(hub_referral=world.hub, right=right(world, 1)).exists()


def test_no_right_chosen_is_named(world):
    response = client_for(world, "owner").post(
        f"/victims/referrals/{world.hub.pk}/rights/several/", {"informed_on": timezone.localdate().isoformat()}
    )
    assert response.status_code == 200
    assert "Choose at least one Victims&#x27; Code right" in response.content.decode()


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("owner", 200), ("colleague", 404), ("other_agency", 404), ("shared", 403),
        ("restricted_outsider", 200), ("analyst", 404), ("anonymous", 302),
    ],
)  # fmt: skip
def test_who_may_record_several_rights(world, who, expected):
    response = client_for(world, who).get(f"/victims/referrals/{world.hub.pk}/rights/several/")
    assert response.status_code == expected
