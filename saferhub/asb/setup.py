"""The per-partnership set-up ASB casework needs: the `asb` case type and default settings. Idempotent."""

from typing import Any

from saferhub.asb.actions import asb_case_type
from saferhub.asb.limits import seed_defaults


def setup_asb(partnership: Any) -> None:
    asb_case_type(partnership)
    seed_defaults(partnership)
