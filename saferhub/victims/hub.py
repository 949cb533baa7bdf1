"""The partnership's hub: its team, case type and dated settings; the setup step that creates them."""

import datetime
from typing import Any

from saferhub.accounts.models import Team
from saferhub.cases.models import CaseType
from saferhub.victims.models import SETTING_DEFAULTS, HubConfiguration, HubSetting, SettingKey

CASE_TYPE_CODE = "vch"
CASE_TYPE_NAME = "Victim Care Hub"
CASE_TYPE_PREFIX = "VCH"
# Defaults apply from this date, before any partnership could have used Saferhub.
DEFAULTS_FROM = datetime.date(2000, 1, 1)


def setup_hub(partnership: Any) -> None:
    """Idempotent setup step: the VCH case type, the hub configuration and default settings."""
    CaseType.objects.get_or_create(
        partnership=partnership,
        code=CASE_TYPE_CODE,
        defaults={"name": CASE_TYPE_NAME, "prefix": CASE_TYPE_PREFIX},
    )
    config, _ = HubConfiguration.objects.get_or_create(partnership=partnership)
    if config.team_id is None:
        # Adopt a team already called "Victim Care Hub"; otherwise an administrator chooses one.
        team = Team.objects.live().filter(partnership=partnership, name__iexact=CASE_TYPE_NAME).order_by("pk").first()
        if team is not None:
            config.team = team
            config.save(update_fields=["team", "modified_at"])
    for key, value in SETTING_DEFAULTS.items():
        if not HubSetting.objects.filter(partnership=partnership, key=key).exists():
            HubSetting.objects.create(partnership=partnership, key=key, value=value, effective_from=DEFAULTS_FROM)


def hub_team(partnership_id: int | None) -> Team | None:
    # None matches no row. django-stubs rejects None in exact lookups; Django reads it as IS NULL.
    config = (
        HubConfiguration.objects.filter(partnership_id=partnership_id)  # type: ignore[misc]
        .select_related("team__agency")
        .first()
    )
    return config.team if config is not None else None


def hub_case_type(partnership_id: int | None) -> CaseType | None:
    # None matches no row. django-stubs rejects None in exact lookups; Django reads it as IS NULL.
    return CaseType.objects.filter(partnership_id=partnership_id, code=CASE_TYPE_CODE).first()  # type: ignore[misc]


def in_hub_team(user: Any) -> bool:
    team_id = getattr(user, "team_id", None)
    return (
        team_id is not None
        and HubConfiguration.objects.filter(partnership_id=user.partnership_id, team_id=team_id).exists()
    )


def setting_value(partnership: Any, key: str, on_date: datetime.date) -> int:
    """The value in effect on `on_date`: the latest row on or before it, else the shipped default."""
    return HubSetting.objects.value_on(partnership, key, on_date, SETTING_DEFAULTS[SettingKey(key)])
