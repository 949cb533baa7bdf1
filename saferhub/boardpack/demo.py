"""Demo board packs: an issued pack for the last complete quarter and a draft for the current one.

Made through the module's actions by the demo's analyst, after every other module's demo data
(the board pack app is installed last), so the sections are filled. Everything is invented.
Idempotent: nothing happens when the partnership already has a pack.
"""

import datetime
import random
from typing import Any

from django.utils import timezone

from saferhub.accounts.models import Role, User
from saferhub.boardpack import actions
from saferhub.boardpack.forms import last_complete_quarter
from saferhub.boardpack.models import BoardPack
from saferhub.reporting.periods import quarter_of

MEETING = "Safer Communities Partnership Board (demo)"
SUMMARY = (
    "This report gives the board the partnership's performance for the quarter: police recorded crime, the "
    "Victim Care Hub, MARAC and the other panels, anti-social behaviour, training and outreach, and progress "
    "against the strategy action plan.\n\nAll figures are synthetic demo data."
)
RECOMMENDATIONS = "That the board notes the performance for the quarter and the progress against the action plan."


def _analyst(partnership: Any) -> User | None:
    return (
        User.objects.filter(
            partnership=partnership, role_assignments__role=Role.ANALYST, role_assignments__partnership=partnership
        )
        .order_by("pk")
        .first()
    )


def build_demo(partnership: Any, rng: random.Random) -> None:
    analyst = _analyst(partnership)
    if analyst is None or BoardPack.objects.of(partnership).exists():
        return
    today = timezone.localdate()
    last = last_complete_quarter(today)
    issued = actions.start_pack(
        analyst,
        partnership,
        period_label=last.label,
        date_from=last.start,
        date_to=last.end,
        title="Community safety performance report",
        meeting_title=MEETING,
        meeting_date=last.end + datetime.timedelta(days=rng.randint(20, 40)),
        report_of="Chair of the Safer Communities Partnership Board",
    )
    actions.change_cover(
        analyst, issued, expected_version=issued.version, summary=SUMMARY, recommendations=RECOMMENDATIONS
    )
    actions.issue(analyst, issued, expected_version=issued.version)
    current = quarter_of(today)
    actions.start_pack(
        analyst,
        partnership,
        period_label=current.label,
        date_from=current.start,
        date_to=current.end,
        meeting_title=MEETING,
        report_of="Chair of the Safer Communities Partnership Board",
    )
