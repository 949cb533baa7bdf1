"""The demo partnership: a synthetic "Demo Borough" to try Saferhub locally (`make run`).

Everything here is invented: agencies, teams, people and cases. Every demo user
signs in with DEMO_PASSWORD, which is published; that is acceptable only
because the demo runs on a developer's machine with SAFERHUB_DEMO=1.

Cases, notes, actions, shares and referrals are made through
`saferhub.cases.actions`, so stage logs and audit rows are the ones real use
would write; afterwards creation times are moved into the past so timelines
and overdue actions look lived-in. The whole load is one transaction, and a
partnership that already has cases is left alone, so running it twice changes
nothing.
"""

from saferhub.core.demo.build import Demo
from saferhub.core.demo.data import (
    ACTION_TITLES,
    AGENCIES,
    CASE_COUNT,
    CASE_TITLES,
    CASE_TYPES,
    CLOSURE_REASONS,
    DEMO_DOMAIN,
    DEMO_NAME,
    DEMO_PASSWORD,
    DEMO_SLUG,
    FIRST_NAMES,
    LAST_NAMES,
    NOTES,
    PENDING_REFERRALS,
    PEOPLE_COUNT,
    REFERRAL_REASONS,
    SEED,
    SHARE_PURPOSES,
    STREETS,
    USERS,
    WARDS,
)
from saferhub.core.demo.loading import SignIn, load_demo, register_demo, sign_ins

__all__ = [
    "ACTION_TITLES",
    "AGENCIES",
    "CASE_COUNT",
    "CASE_TITLES",
    "CASE_TYPES",
    "CLOSURE_REASONS",
    "DEMO_DOMAIN",
    "DEMO_NAME",
    "DEMO_PASSWORD",
    "DEMO_SLUG",
    "Demo",
    "FIRST_NAMES",
    "LAST_NAMES",
    "NOTES",
    "PENDING_REFERRALS",
    "PEOPLE_COUNT",
    "REFERRAL_REASONS",
    "SEED",
    "SHARE_PURPOSES",
    "STREETS",
    "SignIn",
    "USERS",
    "WARDS",
    "load_demo",
    "register_demo",
    "sign_ins",
]
