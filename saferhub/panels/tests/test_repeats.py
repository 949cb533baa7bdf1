"""Repeat referrals: same person, same panel type, earlier date no more than 12 calendar months before."""

import pytest

from saferhub.panels.models import PanelReferral
from saferhub.panels.repeats import is_within_window, months_before, recompute_repeats
from saferhub.panels.tests.world import build_world, d, person, refer

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("day", "expected"),
    [("2024-05-15", "2023-05-15"), ("2024-02-29", "2023-02-28"), ("2023-01-31", "2022-01-31")],
)
def test_twelve_calendar_months_before(day, expected):
    assert months_before(d(day), 12) == d(expected)


@pytest.mark.parametrize(
    ("earlier", "later", "repeat"),
    [
        ("2023-05-15", "2024-05-15", True),  # exactly 12 calendar months
        ("2023-05-14", "2024-05-15", False),  # a day more
        ("2024-05-15", "2024-05-15", False),  # same day is not an earlier date
        ("2024-01-01", "2024-05-15", True),
    ],
)
def test_window(earlier, later, repeat):
    assert is_within_window(d(earlier), d(later)) is repeat


@pytest.fixture
def world():
    return build_world()


def test_typed_in_referral_is_flagged_automatically(world):
    ivy = person(world)
    first = refer(world, ivy, d("2024-01-10"))
    second = refer(world, ivy, d("2024-06-01"))
    assert first.is_repeat is False
    assert second.is_repeat is True and second.repeat_of == first
    # Same person, another panel type: not a repeat of the DA MARAC referral.
    assert refer(world, ivy, d("2024-07-01"), panel_type=world.cs).is_repeat is False
    # Another person: not a repeat.
    assert refer(world, person(world, "Ola", "Brindlemoor"), d("2024-06-02")).is_repeat is False


def test_more_than_twelve_months_later_is_a_new_referral(world):
    ivy = person(world)
    refer(world, ivy, d("2022-03-01"))
    assert refer(world, ivy, d("2023-03-02")).is_repeat is False


def test_entering_out_of_date_order_gives_the_same_flags(world):
    ivy = person(world)
    late = refer(world, ivy, d("2024-06-01"))
    assert late.is_repeat is False
    early = refer(world, ivy, d("2024-01-10"))
    late.refresh_from_db()
    assert early.is_repeat is False
    assert late.is_repeat is True and late.repeat_of == early


def test_recompute_is_idempotent_and_reports_changes(world):
    ivy = person(world)
    refer(world, ivy, d("2024-01-10"))
    refer(world, ivy, d("2024-02-10"))
    PanelReferral.objects.update(is_repeat=False, repeat_of=None)
    assert recompute_repeats([(world.da.pk, ivy.pk)]) == 1
    assert recompute_repeats([(world.da.pk, ivy.pk)]) == 0
    assert list(PanelReferral.objects.order_by("referral_date").values_list("is_repeat", flat=True)) == [False, True]
