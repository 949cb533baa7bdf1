"""The shared lookup for settings with effective dates: the row in effect is the latest on or before the day."""

import datetime

import pytest

from saferhub.accounts.tests.factories import PartnershipFactory
from saferhub.asb.models import AsbSetting, SettingKey
from saferhub.victims.models import HubSetting
from saferhub.victims.models import SettingKey as HubSettingKey

KEY = SettingKey.REVIEW_REMINDER_DAYS
DEFAULT = 99


@pytest.fixture
def partnership():
    partnership = PartnershipFactory()
    AsbSetting.objects.create(partnership=partnership, key=KEY, value=28, effective_from=datetime.date(2024, 4, 1))
    AsbSetting.objects.create(partnership=partnership, key=KEY, value=14, effective_from=datetime.date(2025, 4, 1))
    return partnership


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("on_date", "expected"),
    [
        (datetime.date(2024, 3, 31), DEFAULT),  # before the first row: the default
        (datetime.date(2024, 4, 1), 28),  # on the effective day
        (datetime.date(2024, 12, 25), 28),  # between rows
        (datetime.date(2025, 3, 31), 28),  # the day before the later row
        (datetime.date(2025, 4, 1), 14),  # on the later row's effective day
        (datetime.date(2030, 1, 1), 14),  # after the latest row
    ],
)
def test_value_on_picks_the_row_in_effect(partnership, on_date, expected):
    assert AsbSetting.objects.value_on(partnership, KEY, on_date, DEFAULT) == expected
    assert AsbSetting.objects.value_on(partnership.pk, KEY, on_date, DEFAULT) == expected


@pytest.mark.django_db
def test_value_on_ignores_other_partnerships_and_keys(partnership):
    other = PartnershipFactory()
    on_date = datetime.date(2030, 1, 1)
    assert AsbSetting.objects.value_on(other, KEY, on_date, DEFAULT) == DEFAULT
    assert AsbSetting.objects.value_on(partnership, SettingKey.CPN_MIN_AGE, on_date, DEFAULT) == DEFAULT


@pytest.mark.django_db
def test_hub_settings_share_the_lookup(partnership):
    key = HubSettingKey.FIRST_CONTACT_WORKING_DAYS
    HubSetting.objects.create(partnership=partnership, key=key, value=3, effective_from=datetime.date(2024, 4, 1))
    assert HubSetting.objects.value_on(partnership, key, datetime.date(2024, 3, 31), 2) == 2
    assert HubSetting.objects.value_on(partnership, key, datetime.date(2024, 4, 1), 2) == 3
    assert str(HubSetting.objects.get()) == "Working days to first contact (Victims' Code): 3 from 2024-04-01"
