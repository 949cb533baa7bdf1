"""Bands must not overlap and must cover every score from 0 to the highest possible."""

import pytest
from django.core.exceptions import ValidationError

from saferhub.accounts.tests.factories import PartnershipFactory
from saferhub.assessments.definitions import create_template, load_definitions
from saferhub.assessments.models import Band
from saferhub.assessments.scoring import check_bands, validate_bands


@pytest.mark.parametrize(
    ("bands", "max_score", "problems"),
    [
        ([("Standard", 0, 9), ("Medium", 10, 13), ("High", 14, 24)], 24, []),
        ([("High", 14, 24), ("Standard", 0, 9), ("Medium", 10, 13)], 24, []),
        ([("All", 0, 30)], 24, []),
        ([], 24, ["Add at least one band."]),
        ([("Standard", 0, 9), ("Medium", 9, 13), ("High", 14, 24)], 24, ["Bands 'Standard' and 'Medium' overlap."]),
        ([("Standard", 0, 9), ("High", 11, 24)], 24, ["No band covers a score of 10."]),
        ([("Standard", 0, 9), ("High", 12, 24)], 24, ["No band covers a score of 10–11."]),
        ([("Standard", 1, 9), ("High", 10, 24)], 24, ["No band covers a score of 0."]),
        (
            [("Standard", 0, 9), ("High", 10, 20)],
            24,
            ["No band covers scores from 21 to 24, the highest possible score."],
        ),
        (
            [("Odd", 5, 2), ("Rest", 0, 24)],
            24,
            ["Band 'Odd': the lowest score (5) is above the highest (2).", "Bands 'Rest' and 'Odd' overlap."],
        ),
    ],
)
def test_check_bands(bands, max_score, problems):
    assert check_bands(bands, max_score) == problems


@pytest.mark.django_db
def test_every_shipped_template_has_sound_bands():
    partnership = PartnershipFactory()
    for definition in load_definitions():
        template = create_template(partnership, definition)
        validate_bands(template)
        template.full_clean()


@pytest.mark.django_db
def test_a_definition_with_a_gap_in_its_bands_is_refused_and_nothing_is_kept():
    partnership = PartnershipFactory()
    definition = next(d for d in load_definitions() if d["code"] == "dash_risk_checklist")
    definition["bands"][1]["min_score"] = 11
    with pytest.raises(ValidationError, match="No band covers a score of 10"):
        create_template(partnership, definition)
    assert not partnership.assessment_templates.exists()


@pytest.mark.django_db
def test_template_clean_reports_overlapping_bands():
    partnership = PartnershipFactory()
    definition = next(d for d in load_definitions() if d["code"] == "asb_vulnerability")
    template = create_template(partnership, definition)
    Band.objects.create(template=template, label="Extra", min_score=3, max_score=4, risk_level="medium")
    with pytest.raises(ValidationError, match="overlap"):
        template.full_clean()
