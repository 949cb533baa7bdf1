"""The old `women_aged_16_plus` setting becomes a population figure (migration 0003)."""

import importlib

import pytest
from django.apps import apps

from saferhub.accounts.tests.factories import PartnershipFactory
from saferhub.places.models import Population

pytestmark = pytest.mark.django_db

migration = importlib.import_module("saferhub.places.migrations.0003_population_from_partnership_setting")


def test_setting_moves_to_the_only_area_or_the_whole_partnership():
    one_area = PartnershipFactory(areas=["e09000901"], women_aged_16_plus=120_000)
    two_areas = PartnershipFactory(areas=["E09000901", "E09000902"], women_aged_16_plus=90_000)
    PartnershipFactory(women_aged_16_plus=None)
    migration.forwards(apps, None)
    figures = {(f.partnership_id, f.area_code, f.measure, f.value) for f in Population.objects.all()}
    assert figures == {
        (one_area.pk, "E09000901", "women_16_plus", 120_000),
        (two_areas.pk, "", "women_16_plus", 90_000),
    }
    migration.forwards(apps, None)  # running twice adds nothing
    assert Population.objects.count() == 2
