"""`manage.py load_demo` builds the Demo Borough partnership once, with a sign-in for every role."""

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings

from saferhub.accounts.models import AgencyKind, Role, User
from saferhub.cases.models import Case, CaseShare, CaseStatus, Referral
from saferhub.core.demo import DEMO_DOMAIN, DEMO_PASSWORD, DEMO_SLUG
from saferhub.policy import visible_cases

pytestmark = [pytest.mark.django_db, pytest.mark.demo]


def load() -> str:
    out = StringIO()
    # The module fixture runs outside conftest's per-test settings, so it names the fast test hasher itself.
    with override_settings(SAFERHUB_DEMO=True, PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        call_command("load_demo", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker):
    """Loaded once for the module (it takes seconds) and rolled back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield load()
        transaction.set_rollback(True)


def demo_user(local: str) -> User:
    return User.objects.get(email=f"{local}@{DEMO_DOMAIN}")


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def test_demo_has_a_sign_in_for_every_role(demo_output):
    output = demo_output

    users = User.objects.filter(partnership__slug=DEMO_SLUG)
    held = {role for user in users for role in user.roles}
    assert held == set(Role.values)
    assert all(user.check_password(DEMO_PASSWORD) for user in users)
    assert DEMO_PASSWORD in output
    assert f"caseworker@{DEMO_DOMAIN}" in output


def test_demo_is_shaped_like_a_partnership(demo_output):

    cases = Case.objects.filter(partnership__slug=DEMO_SLUG)
    assert 250 <= cases.count() <= 1000  # the core demo, then each module adds its own
    assert set(cases.values_list("case_type__prefix", flat=True)) >= {"GEN", "VCH", "ASB", "MAR"}
    assert cases.filter(status=CaseStatus.CLOSED).exists()
    assert cases.filter(restricted=True).count() == 1
    assert CaseShare.objects.filter(case__partnership__slug=DEMO_SLUG).exclude(purpose="").exists()
    pending = Referral.objects.filter(partnership__slug=DEMO_SLUG).pending()
    assert pending.count() >= 20
    assert pending.values("to_team").distinct().count() >= 3
    closed = cases.filter(status=CaseStatus.CLOSED).first()
    assert list(closed.stage_log.values_list("to_status", flat=True)) == ["open", "closed"]


def test_running_it_again_changes_nothing(demo_output):
    before = row_counts()

    output = load()

    assert row_counts() == before
    assert "already loaded" in output


def test_demo_caseworker_sees_own_team_cases_but_not_another_agencys_unshared_case(demo_output):
    caseworker = demo_user("caseworker")
    visible = visible_cases(caseworker)

    own_team = Case.objects.filter(owning_team=caseworker.team, restricted=False)
    assert own_team.exists()
    assert set(own_team.values_list("pk", flat=True)) <= set(visible.values_list("pk", flat=True))

    unshared_police = Case.objects.filter(owning_team__agency__kind=AgencyKind.POLICE).exclude(
        pk__in=CaseShare.objects.values("case_id")
    )
    assert unshared_police.exists()
    assert not visible.filter(pk__in=unshared_police.values("pk")).exists()


def test_restricted_demo_case_is_seen_by_the_named_caseworker_only(demo_output):
    restricted = Case.objects.get(partnership__slug=DEMO_SLUG, restricted=True)

    assert visible_cases(demo_user("caseworker")).filter(pk=restricted.pk).exists()
    assert not visible_cases(demo_user("vch.colleague")).filter(pk=restricted.pk).exists()


def test_refuses_to_run_outside_the_demo(settings):
    settings.SAFERHUB_DEMO = False
    settings.DEBUG = False

    before = row_counts()

    with pytest.raises(CommandError, match="SAFERHUB_DEMO"):
        call_command("load_demo", stdout=StringIO())
    assert row_counts() == before
