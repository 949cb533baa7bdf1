"""One world for the crawler and the form fuzz, built once for this package and rolled back after."""

import pytest
from django.db import transaction

from saferhub.core.tests.crawl.world import build_world


@pytest.fixture(scope="package")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)
