"""Seeding reference codes from the CSV files shipped with the app."""

import pytest

from saferhub.accounts.tests.factories import PartnershipFactory
from saferhub.core.models import ReferenceCode, ReferenceList
from saferhub.core.seeding import REFERENCE_DATA_DIR, read_list, seed_reference_codes

pytestmark = pytest.mark.django_db


def test_every_reference_list_has_a_file_with_unique_codes():
    for code_list in ReferenceList.values:
        assert (REFERENCE_DATA_DIR / f"{code_list}.csv").exists(), code_list
        codes = [row.code for row in read_list(code_list)]
        assert codes, code_list
        assert len(codes) == len(set(codes)), code_list


def test_lists_with_other_column_names_are_read():
    fpn = {row.code: row.label for row in read_list("fpn_offence_codes")}
    assert fpn["CST01"].startswith("Environmental Protection Act 1990")
    rights = read_list("vcop_rights")
    assert (rights[0].code, rights[0].label) == ("1", "Understand and be understood")
    ethnicity = read_list("ethnicity")
    assert ethnicity[0].group == "Asian"


def test_seeding_is_idempotent_and_keeps_local_edits():
    partnership = PartnershipFactory()
    added = seed_reference_codes(partnership)
    assert added == ReferenceCode.objects.filter(partnership=partnership).count() > 50
    code = ReferenceCode.objects.get(partnership=partnership, code_list="victim_hub_crime_types", code="fraud")
    code.label = "Fraud and scams"
    code.active = False
    code.save()
    code.__class__.objects.filter(partnership=partnership, code_list="ethnicity", code="asian_chinese").delete()
    assert seed_reference_codes(partnership) == 1
    code.refresh_from_db()
    assert (code.label, code.active) == ("Fraud and scams", False)


def test_each_partnership_gets_its_own_codes():
    first, second = PartnershipFactory(), PartnershipFactory()
    seed_reference_codes(first)
    seed_reference_codes(second)
    assert (
        ReferenceCode.objects.filter(partnership=first).count()
        == ReferenceCode.objects.filter(partnership=second).count()
    )
