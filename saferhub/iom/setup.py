"""The per-partnership set-up IOM needs: the `iom` case type, the IOM team's configuration,
contact-frequency settings and the Home Office cost-of-crime table. Idempotent."""

import datetime
from typing import Any

from saferhub.accounts.models import Team
from saferhub.cases.models import CaseType
from saferhub.iom.models import SETTING_DEFAULTS, CostOfCrime, IomConfiguration, IomSetting

CASE_TYPE_CODE = "iom"
CASE_TYPE_NAME = "Integrated Offender Management"
CASE_TYPE_PREFIX = "IOM"
TEAM_NAME = "IOM team"
# Defaults apply from this date, before any partnership could have used Saferhub.
DEFAULTS_FROM = datetime.date(2000, 1, 1)

HOME_OFFICE_SOURCE = "Home Office, The economic and social costs of crime, second edition (Research Report 99), 2018"
HOME_OFFICE_PRICE_YEAR = "2015/16"
# RULES.md, "Cost of crime": unit cost per offence in 2015/16 prices.
HOME_OFFICE_COSTS = (
    ("homicide", "Homicide", 3_217_740),
    ("rape", "Rape", 39_360),
    ("violence_with_injury", "Violence with injury", 14_050),
    ("robbery", "Robbery", 11_320),
    ("theft_of_vehicle", "Theft of vehicle", 10_290),
    ("arson", "Arson", 8_420),
    ("other_sexual_offences", "Other sexual offences", 6_520),
    ("criminal_damage", "Other criminal damage", 1_350),
    ("theft_from_vehicle", "Theft from vehicle", 870),
    ("cyber_crime", "Cyber crime", 550),
)


def setup_iom(partnership: Any) -> None:
    CaseType.objects.get_or_create(
        partnership=partnership,
        code=CASE_TYPE_CODE,
        defaults={"name": CASE_TYPE_NAME, "prefix": CASE_TYPE_PREFIX},
    )
    config, _ = IomConfiguration.objects.get_or_create(partnership=partnership)
    if config.team_id is None:
        # Adopt a team already called "IOM team"; otherwise an administrator gives the duty to one.
        team = Team.objects.live().filter(partnership=partnership, name__iexact=TEAM_NAME).order_by("pk").first()
        if team is not None:
            config.team = team
            config.save(update_fields=["team", "modified_at"])
    for key, value in SETTING_DEFAULTS.items():
        if not IomSetting.objects.filter(partnership=partnership, key=key).exists():
            IomSetting.objects.create(
                partnership=partnership, key=key, value=value, effective_from=DEFAULTS_FROM, source="Saferhub default"
            )
    seed_cost_of_crime(partnership)


def seed_cost_of_crime(partnership: Any) -> None:
    """The Home Office table from DEFAULTS_FROM, for groups the partnership has no rate for yet."""
    have = set(CostOfCrime.objects.of(partnership.pk).values_list("offence_group", flat=True))
    CostOfCrime.objects.bulk_create(
        CostOfCrime(
            partnership=partnership,
            offence_group=code,
            label=label,
            unit_cost=cost,
            price_year=HOME_OFFICE_PRICE_YEAR,
            source=HOME_OFFICE_SOURCE,
            effective_from=DEFAULTS_FROM,
        )
        for code, label, cost in HOME_OFFICE_COSTS
        if code not in have
    )


def iom_team(partnership_id: int | None) -> Team | None:
    # None matches no row. django-stubs rejects None in exact lookups; Django reads it as IS NULL.
    config = (
        IomConfiguration.objects.filter(partnership_id=partnership_id)  # type: ignore[misc]
        .select_related("team__agency")
        .first()
    )
    return config.team if config is not None else None


def iom_case_type(partnership_id: int | None) -> CaseType | None:
    return CaseType.objects.filter(partnership_id=partnership_id, code=CASE_TYPE_CODE).first()  # type: ignore[misc]


def in_iom_team(user: Any) -> bool:
    team_id = getattr(user, "team_id", None)
    return (
        team_id is not None
        and IomConfiguration.objects.filter(partnership_id=user.partnership_id, team_id=team_id).exists()
    )
