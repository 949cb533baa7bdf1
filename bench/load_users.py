"""Sign-in accounts for the load benchmark (bench/load.py): N caseworkers, each with a real TOTP device.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/saferhub_reliab_load \
        .venv/bin/python bench/load_users.py --users 200 --output var/load-users.json

The users join the casework teams of the demo partnership (manage.py load_demo), round
robin, so they see the demo's cases. Each gets a confirmed TOTP device with a random key;
the key goes into the output file (bench data only, never a real account), from which the
load generator computes the current code and signs in through the real two-factor page.
Idempotent: existing load users get a fresh password and key.
"""

import argparse
import json
import os
import secrets
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saferhub.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from saferhub.accounts.models import Partnership, Role, RoleAssignment, Team, User  # noqa: E402
from saferhub.cases.models import Case  # noqa: E402

DOMAIN = "load.saferhub.invalid"


def casework_teams(partnership: Partnership) -> list[Team]:
    """The partnership's live teams that own cases, busiest first."""
    owning = Case.objects.filter(partnership=partnership).values("owning_team").distinct()
    return list(Team.objects.live().filter(pk__in=owning).order_by("name"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--partnership", default="demo", help="slug (default: the demo partnership)")
    parser.add_argument("--output", default=str(BASE_DIR / "var" / "load-users.json"))
    args = parser.parse_args()
    if connection.vendor != "postgresql" or "load" not in connection.settings_dict["NAME"]:
        sys.exit("Point DATABASE_URL at a PostgreSQL database whose name contains 'load' (bench data only).")
    partnership = Partnership.objects.filter(slug=args.partnership).first()
    if partnership is None:
        sys.exit(f"No partnership '{args.partnership}': run `DEBUG=True SAFERHUB_DEMO=1 manage.py load_demo` first.")
    teams = casework_teams(partnership)
    if not teams:
        sys.exit("The partnership has no cases to look at.")
    accounts = []
    with transaction.atomic():
        for number in range(1, args.users + 1):
            team = teams[(number - 1) % len(teams)]
            email = f"load-{number:03d}@{DOMAIN}"
            password = secrets.token_urlsafe(16)
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create_user(
                    email=email,
                    password=password,
                    full_name=f"Load User {number:03d}",
                    partnership=partnership,
                    agency=team.agency,
                    team=team,
                )
            else:
                user.set_password(password)
                user.team, user.agency = team, team.agency
                user.save()
            RoleAssignment.objects.get_or_create(user=user, partnership=partnership, role=Role.CASEWORKER)
            TOTPDevice.objects.filter(user=user).delete()
            device = TOTPDevice.objects.create(user=user, name="Load benchmark", confirmed=True)
            accounts.append({"email": email, "password": password, "key": device.key, "team": team.name})
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(accounts, indent=1), encoding="utf-8")
    output.chmod(0o600)
    print(f"{len(accounts)} load users in {len(teams)} teams written to {output}")


if __name__ == "__main__":
    main()
