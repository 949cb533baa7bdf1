import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from saferhub.accounts.partnerships import partnership_for_command
from saferhub.reporting.registry import UnknownReport, all_reports, get_report
from saferhub.reporting.service import BINARY_FORMATS, FORMATS, ReportError, run_report


def _date(value: str, flag: str) -> datetime.date:
    try:
        if len(value) != 10:
            raise ValueError
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{flag} must be a date in the form YYYY-MM-DD, not '{value}'.") from None


class Command(BaseCommand):
    help = "Produce a report (a return) for a period. JSON goes to standard output unless --output is given."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", help=f"the report: {', '.join(kind.slug for kind in all_reports())}")
        parser.add_argument(
            "--from", dest="date_from", help="first day, YYYY-MM-DD (not needed for reports fixed by their last day)"
        )
        parser.add_argument("--to", dest="date_to", required=True, help="last day, YYYY-MM-DD")
        parser.add_argument("--partnership", help="slug; may be left out when only one partnership exists")
        parser.add_argument("--format", dest="fmt", default="json", choices=sorted(FORMATS))
        parser.add_argument("--output", help="file to write; required for xlsx and docx")
        parser.add_argument("--panel-type", dest="panel_type", help="panel type, for panel reports (e.g. da_marac)")
        parser.add_argument("--plan", help="action plan name, for the action-plan report (default: every plan)")
        parser.add_argument("--publish", action="store_true", help="suppress small numbers in the tables")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            kind = get_report(options["kind"])
        except UnknownReport as exc:
            raise CommandError(str(exc)) from exc
        date_to = _date(options["date_to"], "--to")
        if options["date_from"]:
            date_from = _date(options["date_from"], "--from")
        elif kind.default_from is not None:
            date_from = kind.default_from(date_to)
        else:
            raise CommandError(f"The {kind.slug} report needs --from YYYY-MM-DD.")
        if date_from > date_to:
            raise CommandError(f"--from ({date_from}) is after --to ({date_to}).")
        fmt = options["fmt"]
        if fmt in BINARY_FORMATS and not options["output"]:
            raise CommandError(f"The {fmt} format is binary: give --output PATH.")
        try:
            partnership = partnership_for_command(options["partnership"])
        except LookupError as exc:
            raise CommandError(str(exc)) from exc
        try:
            report = run_report(
                kind,
                partnership,
                date_from,
                date_to,
                fmt=fmt,
                publish=options["publish"],
                options={"panel_type": options["panel_type"], "plan": options["plan"]},
            )
        except ReportError as exc:
            raise CommandError(str(exc)) from exc
        content, _, _ = report.render(fmt)
        if options["output"]:
            try:
                Path(options["output"]).write_bytes(content)
            except OSError as exc:
                raise CommandError(f"Cannot write {options['output']}: {exc.strerror}.") from exc
            self.stderr.write(f"Wrote {options['output']}.")
        else:
            self.stdout.write(content.decode("utf-8"), ending="")
