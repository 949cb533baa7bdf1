"""Notifications demo data: the daily run over the demo's records, so the bell shows what is due.

Registered after every module's demo (the app comes last), it makes the same notices as
`manage.py send_notifications` would on the day the demo is loaded; no digest is queued.
"""

import random
from typing import Any

from saferhub.notifications import deadlines


def build_demo(partnership: Any, rng: random.Random) -> None:
    deadlines.run(partnership)
