"""Creating a partnership: `create_partnership()` and `manage.py create_partnership`."""

import io

import pytest
from django.core.management import CommandError, call_command

from saferhub.accounts.models import Partnership
from saferhub.accounts.partnerships import PartnershipExists, create_partnership
from saferhub.cases.models import CaseType
from saferhub.core.models import ReferenceCode, ReferenceList

pytestmark = pytest.mark.django_db


def test_creates_partnership_codes_and_general_case_type():
    partnership = create_partnership("testborough", "Testborough Safer Communities Partnership")
    assert partnership.name == "Testborough Safer Communities Partnership"
    case_type = CaseType.objects.get(partnership=partnership, code="general")
    assert (case_type.name, case_type.prefix) == ("General", "GEN")
    lists = set(ReferenceCode.objects.filter(partnership=partnership).values_list("code_list", flat=True))
    assert lists == set(ReferenceList.values)


def test_duplicate_slug_is_refused_and_nothing_changes():
    create_partnership("testborough", "Testborough")
    with pytest.raises(PartnershipExists, match="already exists"):
        create_partnership("testborough", "Another name")
    assert Partnership.objects.get().name == "Testborough"
    assert CaseType.objects.filter(code="general").count() == 1


def test_command_creates_a_partnership():
    out = io.StringIO()
    call_command("create_partnership", "testborough", "Testborough Safer Communities Partnership", stdout=out)
    assert "Created partnership testborough" in out.getvalue()
    assert Partnership.objects.filter(slug="testborough").exists()


@pytest.mark.parametrize(
    ("slug", "message"),
    [("test borough", "not a valid slug"), ("x" * 51, "50 characters")],
)
def test_command_refuses_a_bad_slug(slug, message):
    with pytest.raises(CommandError, match=message):
        call_command("create_partnership", slug, "Testborough")
    assert not Partnership.objects.exists()


def test_command_refuses_a_duplicate_slug():
    call_command("create_partnership", "testborough", "Testborough", stdout=io.StringIO())
    with pytest.raises(CommandError, match="A partnership with the slug 'testborough' already exists"):
        call_command("create_partnership", "testborough", "Testborough again")
