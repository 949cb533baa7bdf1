from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import NoReverseMatch, reverse

from saferhub.core.demo import DEMO_PASSWORD, load_demo, sign_ins


class Command(BaseCommand):
    help = "Load the synthetic Demo Borough partnership (safe to run again: a loaded demo is left alone)."

    def handle(self, *args: Any, **options: Any) -> None:
        # The demo users share a published password: never on a real installation.
        if not (settings.SAFERHUB_DEMO or settings.DEBUG):
            raise CommandError("load_demo makes users with a published password: run it only with SAFERHUB_DEMO=1.")
        load_demo(self.stdout.write)
        try:
            sign_in = reverse("accounts:sign-in")
        except NoReverseMatch:
            sign_in = "/"
        self.stdout.write("")
        self.stdout.write(f"Sign in at {settings.SITE_URL.rstrip('/')}{sign_in} with any of these demo accounts.")
        self.stdout.write(f"Every demo account's password is: {DEMO_PASSWORD}")
        self.stdout.write("(Local demo only. Run with SAFERHUB_DEMO=1 so no second factor is asked for.)")
        rows = [(s.email, s.role, s.team) for s in sign_ins()]
        widths = [max(len(r[i]) for r in [("E-mail", "Role", "Team"), *rows]) for i in range(3)]
        for email, role, team in [("E-mail", "Role", "Team"), *rows]:
            self.stdout.write(f"  {email:<{widths[0]}}  {role:<{widths[1]}}  {team}")
