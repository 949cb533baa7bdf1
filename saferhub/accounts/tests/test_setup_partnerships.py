from io import StringIO

import pytest
from django.core.management import call_command

from saferhub.accounts.partnerships import create_partnership, register_setup
from saferhub.cases.models import CaseType
from saferhub.core.models import ReferenceCode

pytestmark = pytest.mark.django_db


def test_setup_is_idempotent_and_runs_registered_steps():
    calls = []
    step = register_setup(lambda partnership: calls.append(partnership.slug))
    try:
        partnership = create_partnership("setup-test", "Setup Test Partnership")
        codes = ReferenceCode.objects.filter(partnership=partnership).count()
        out = StringIO()
        call_command("setup_partnerships", "--partnership", "setup-test", stdout=out)
        assert "setup-test: up to date" in out.getvalue()
        assert calls == ["setup-test", "setup-test"]
        assert ReferenceCode.objects.filter(partnership=partnership).count() == codes
        assert CaseType.objects.filter(partnership=partnership, code="general").count() == 1
    finally:
        from saferhub.accounts import partnerships

        partnerships._SETUP_STEPS.remove(step)
