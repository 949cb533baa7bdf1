"""Import kinds of IOM: `iom-cohort`, `cost-of-crime`, `iom-offences` (INTERCHANGE.md) and
`reoffending-comparators`, `youth-justice-kpis` (docs/iom.md).

`iom-cohort`: one row per cohort stay, keyed on `external_ref`. A new stay gets its `iom`
case (owned by the team holding the `iom` duty, closed when `left_on` is given) and its
person, found by `person_ref` or created. Each row's `rag` is an entry of the stay's RAG
history keyed by the stay and `rag_on` (default `adopted_on`): a new date adds to the
history, the same date with another colour changes that entry.
"""

import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import Any

from saferhub.accounts.duties import missing_message
from saferhub.cases.actions import create_case
from saferhub.cases.models import Case, CaseStatus, Participant, ParticipantRole
from saferhub.core.models import ReferenceList
from saferhub.imports import fields
from saferhub.imports.lookups import by_external_ref
from saferhub.imports.registry import CellError, Column, ImportKind, Outcome, register
from saferhub.imports.runner import ImportContext, Row
from saferhub.iom.actions import case_title
from saferhub.iom.models import (
    CohortKind,
    CohortStay,
    CostOfCrime,
    Management,
    Offence,
    Rag,
    RagStatus,
    ReoffendingComparator,
    YjKpi,
    YjKpiValue,
)
from saferhub.iom.setup import iom_case_type, iom_team
from saferhub.people.models import Gender, Person, YesNoUnknown

_TEAM = "iom.team"
_SEEN = "iom.seen"


def _check_team(ctx: ImportContext, row: Row) -> None:
    if _TEAM not in ctx.state:
        ctx.state[_TEAM] = (iom_team(ctx.partnership.pk), iom_case_type(ctx.partnership.pk))
        if None in ctx.state[_TEAM]:
            row.error(None, missing_message("iom", "the IOM team"))


def _once_per_key(ctx: ImportContext, row: Row, key: tuple[Any, ...], column: str, what: str) -> None:
    """A second row for the same key would silently win over the first: refuse it."""
    seen = ctx.state.setdefault(_SEEN, {})
    if key in seen:
        row.error(column, f"{what} already has a row on line {seen[key]}")
    else:
        seen[key] = row.line


# iom-cohort ---------------------------------------------------------------------------------------

_PERSON_SOURCES = {"date_of_birth": "date_of_birth", "age": "age", "gender": "gender", "ethnicity": "ethnicity"}


class IomCohortImport(ImportKind):
    def clean(self, ctx: ImportContext, row: Row) -> None:
        _check_team(ctx, row)
        adopted, left = row["adopted_on"], row["left_on"]
        if adopted and left and left < adopted:
            row.error("left_on", f"{left} is before the person joined the cohort ({adopted})")
        rag_on = row["rag_on"]
        if rag_on and adopted and rag_on < adopted:
            row.error("rag_on", f"{rag_on} is before the person joined the cohort ({adopted})")
        if rag_on and left and rag_on > left:
            row.error("rag_on", f"{rag_on} is after the person left the cohort ({left})")
        if row["date_of_birth"] and adopted and row["date_of_birth"] > adopted:
            row.error("date_of_birth", "the date of birth is after the person joined the cohort")
        if row["external_ref"] and adopted:
            _once_per_key(
                ctx,
                row,
                ("cohort", row["external_ref"], rag_on or adopted),
                "rag_on",
                f"{row['external_ref']} on that date",
            )

    def write_batch(self, ctx: ImportContext, rows: list[Row]) -> Iterator[Outcome]:
        stays = {
            stay.external_ref: stay
            for stay in by_external_ref(CohortStay.objects.of(ctx.partnership.pk), {r["external_ref"] for r in rows})
        }
        people = {
            person.external_ref: person
            for person in by_external_ref(
                Person.objects.filter(partnership=ctx.partnership), {r["person_ref"] for r in rows}
            )
        }
        for row in rows:
            yield self._write(ctx, row, stays, people)

    def _person(self, ctx: ImportContext, row: Row, people: dict[str, Person]) -> tuple[Person, bool]:
        values: dict[str, Any] = {
            "date_of_birth": row["date_of_birth"],
            "age": row["age"],
            "age_recorded_on": row["adopted_on"] if row["age"] is not None else None,
            "gender": row["gender"] or "",
            "ethnicity": row["ethnicity"].code if row["ethnicity"] else "",
        }
        person = people.get(row["person_ref"])
        if person is None:
            person = Person.objects.create(partnership=ctx.partnership, external_ref=row["person_ref"], **values)
            people[person.external_ref] = person
            return person, True
        values = row.present_only(values, {**_PERSON_SOURCES, "age_recorded_on": "age"})
        # A blank cell never wipes what another source (or an earlier row) told us of the person.
        values = {name: value for name, value in values.items() if value not in (None, "")}
        if any(getattr(person, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(person, name, value)
            person.version += 1
            person.save()
            return person, True
        return person, False

    def _write(self, ctx: ImportContext, row: Row, stays: dict[str, CohortStay], people: dict[str, Person]) -> Outcome:
        person, person_changed = self._person(ctx, row, people)
        details = {
            "adopted_on": row["adopted_on"],
            "left_on": row["left_on"],
            "cohort": row["cohort"],
            "management": row["management"],
        }
        stay = stays.get(row["external_ref"])
        created = stay is None
        changed = person_changed
        if stay is None:
            team, case_type = ctx.state[_TEAM]
            case = create_case(
                ctx.user, case_type=case_type, owning_team=team, title=case_title(person), opened_on=row["adopted_on"]
            )
            Participant.objects.create(case=case, person=person, role=ParticipantRole.SUBJECT)
            stay = CohortStay.objects.create(
                partnership=ctx.partnership, case=case, person=person, external_ref=row["external_ref"], **details
            )
            stays[stay.external_ref] = stay
        else:
            details = row.present_only(details, {"left_on": "left_on"})
            if stay.person_id != person.pk:
                details["person"] = person
            if any(getattr(stay, name) != value for name, value in details.items()):
                for name, value in details.items():
                    setattr(stay, name, value)
                stay.version += 1
                stay.save()
                changed = True
        self._case_status(stay)
        day = row["rag_on"] or row["adopted_on"]
        entry = RagStatus.objects.filter(stay=stay, on=day).first()
        if entry is None:
            RagStatus.objects.create(stay=stay, on=day, rag=row["rag"])
            changed = True
        elif entry.rag != row["rag"]:
            entry.rag = row["rag"]
            entry.save(update_fields=["rag", "modified_at"])
            changed = True
        if created:
            return Outcome.CREATED
        return Outcome.UPDATED if changed else Outcome.UNCHANGED

    @staticmethod
    def _case_status(stay: CohortStay) -> None:
        """The case is closed while the stay has ended and open while it runs."""
        if stay.left_on is not None:
            Case.objects.filter(pk=stay.case_id).exclude(status=CaseStatus.CLOSED).update(
                status=CaseStatus.CLOSED, closed_on=stay.left_on, closure_reason="other"
            )
        else:
            Case.objects.filter(pk=stay.case_id, status=CaseStatus.CLOSED).update(
                status=CaseStatus.OPEN, closed_on=None, closure_reason=""
            )


register(
    IomCohortImport(
        slug="iom-cohort",
        title="IOM cohort",
        description=(
            "One row per person's time in the Integrated Offender Management cohort. A row with a new rag_on adds"
            " to the stay's RAG history; the same rag_on with another colour changes that entry."
        ),
        columns=(
            Column("external_ref", required=True, parse=fields.text(100), help="source system's id of the cohort stay"),
            Column("person_ref", required=True, parse=fields.text(100), help="source's id for the person"),
            Column("date_of_birth", parse=fields.date, help="date (or age)"),
            Column("age", parse=fields.integer(0, 120), help="whole years at adopted_on"),
            Column("gender", parse=fields.choice(Gender.values), help="female, male, other, not_stated"),
            Column("ethnicity", parse=fields.code(ReferenceList.ETHNICITY), help="ethnicity code"),
            Column("adopted_on", required=True, parse=fields.date, help="date the person joined the cohort"),
            Column("left_on", parse=fields.date, help="date the person left it"),
            Column("cohort", required=True, parse=fields.choice(CohortKind.values), help="fixed, flex, free"),
            Column(
                "management", required=True, parse=fields.choice(Management.values), help="statutory, non_statutory"
            ),
            Column("rag", required=True, parse=fields.choice(Rag.values), help="red, amber, green, blue (in custody)"),
            Column("rag_on", parse=fields.date, help="date of that RAG status (default adopted_on)"),
        ),
    )
)


# cost-of-crime ------------------------------------------------------------------------------------

_PRICE_YEAR = re.compile(r"^(\d{4})/(\d{2})$")


@fields.pure
def price_year(value: str, ctx: ImportContext, raw: dict[str, str]) -> str:
    match = _PRICE_YEAR.match(value)
    if not match or (int(match[1]) + 1) % 100 != int(match[2]):
        raise CellError(f"'{value}' is not a financial year such as 2015/16")
    return value


@fields.pure
def offence_group_code(value: str, ctx: ImportContext, raw: dict[str, str]) -> str:
    if not re.fullmatch(r"[a-z0-9_]{1,50}", value):
        raise CellError(f"'{value}' is not a code: use lower-case letters, digits and _, e.g. robbery")
    return value


class CostOfCrimeImport(ImportKind):
    def clean(self, ctx: ImportContext, row: Row) -> None:
        if row["offence_group"] and row["effective_from"]:
            key = ("cost", row["offence_group"], row["effective_from"])
            _once_per_key(ctx, row, key, "offence_group", f"{row['offence_group']} from {row['effective_from']}")

    def write_batch(self, ctx: ImportContext, rows: list[Row]) -> Iterator[Outcome]:
        for row in rows:
            values = {
                "label": row["label"],
                "unit_cost": row["unit_cost"],
                "price_year": row["price_year"],
                "source": row["source"],
            }
            rate = CostOfCrime.objects.filter(
                partnership=ctx.partnership, offence_group=row["offence_group"], effective_from=row["effective_from"]
            ).first()
            if rate is None:
                CostOfCrime.objects.create(
                    partnership=ctx.partnership,
                    offence_group=row["offence_group"],
                    effective_from=row["effective_from"],
                    set_by=ctx.user if getattr(ctx.user, "pk", None) else None,
                    **values,
                )
                yield Outcome.CREATED
            elif any(getattr(rate, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(rate, name, value)
                rate.version += 1
                rate.save()
                yield Outcome.UPDATED
            else:
                yield Outcome.UNCHANGED


register(
    CostOfCrimeImport(
        slug="cost-of-crime",
        title="Cost of crime",
        description=(
            "A partnership's cost-of-crime table: the unit cost of each offence group from a date, with its price year"
            " and source. An offence is priced at the rate of its group in force on the offence date."
        ),
        columns=(
            Column("offence_group", required=True, parse=offence_group_code, help="code, e.g. robbery"),
            Column("label", required=True, parse=fields.text(200)),
            Column("unit_cost", required=True, parse=fields.integer(0, 100_000_000), help="whole pounds per offence"),
            Column("price_year", required=True, parse=price_year, help="e.g. 2015/16"),
            Column("source", required=True, parse=fields.text(300), help="publication"),
            Column("effective_from", required=True, parse=fields.date, help="date the table applies from"),
        ),
    )
)


# iom-offences -------------------------------------------------------------------------------------

_GROUPS = "iom.groups"
_PEOPLE = "iom.people"


def _known_person(value: str, ctx: ImportContext, raw: dict[str, str]) -> int:
    people = ctx.state.setdefault(_PEOPLE, {})
    if value not in people:
        people[value] = (
            CohortStay.objects.of(ctx.partnership.pk)
            .filter(person__external_ref=value)
            .values_list("person_id", flat=True)
            .first()
        )
    if people[value] is None:
        raise CellError(f"no one in the cohort has person_ref '{value}': import the iom-cohort file first")
    return people[value]


def _group(value: str, ctx: ImportContext, raw: dict[str, str]) -> str:
    if _GROUPS not in ctx.state:
        ctx.state[_GROUPS] = set(CostOfCrime.objects.of(ctx.partnership.pk).values_list("offence_group", flat=True))
    if value not in ctx.state[_GROUPS]:
        known = ", ".join(sorted(ctx.state[_GROUPS]))
        raise CellError(f"'{value}' is not a group of the cost-of-crime table (known: {known})")
    return value


class IomOffencesImport(ImportKind):
    def write_batch(self, ctx: ImportContext, rows: list[Row]) -> Iterator[Outcome]:
        known = {
            offence.external_ref: offence
            for offence in by_external_ref(
                Offence.objects.filter(partnership=ctx.partnership), {r["external_ref"] for r in rows}
            )
        }
        for row in rows:
            values = {
                "person_id": row["person_ref"],
                "offence_date": row["offence_date"],
                "offence_group": row["offence_group"],
                "charged": row["charged"] or YesNoUnknown.UNKNOWN,
            }
            offence = known.get(row["external_ref"])
            if offence is None:
                known[row["external_ref"]] = Offence.objects.create(
                    partnership=ctx.partnership, external_ref=row["external_ref"], **values
                )
                yield Outcome.CREATED
                continue
            values = row.present_only(values, {"charged": "charged"})
            if any(getattr(offence, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(offence, name, value)
                offence.save()
                yield Outcome.UPDATED
            else:
                yield Outcome.UNCHANGED


register(
    IomOffencesImport(
        slug="iom-offences",
        title="IOM offences",
        description="Offences by people in the IOM cohort (before, during and after their time in it).",
        columns=(
            Column("external_ref", required=True, parse=fields.text(100), help="source system's id of the offence"),
            Column("person_ref", required=True, parse=_known_person, help="as in iom-cohort"),
            Column("offence_date", required=True, parse=fields.date, help="date"),
            Column("offence_group", required=True, parse=_group, help="a group of the cost-of-crime table"),
            Column("charged", parse=fields.yes_no_unknown, help="yes/no/unknown"),
        ),
    )
)


# reoffending-comparators and youth-justice-kpis (docs/iom.md) ------------------------------------

_QUARTER = re.compile(r"^(\d{4})/(\d{2}) Q([1-4])$")


@fields.pure
def quarter(value: str, ctx: ImportContext, raw: dict[str, str]) -> tuple[int, int]:
    """A financial quarter written as on the board's papers: `2022/23 Q4`."""
    match = _QUARTER.match(" ".join(value.split()))
    if not match or (int(match[1]) + 1) % 100 != int(match[2]):
        raise CellError(f"'{value}' is not a financial quarter such as 2022/23 Q4")
    return int(match[1]), int(match[3])


def decimal(maximum: int, places: int = 2) -> Any:
    @fields.pure
    def parse(value: str, ctx: ImportContext, raw: dict[str, str]) -> Decimal:
        try:
            number = Decimal(value.rstrip("%").strip())
        except InvalidOperation:
            raise CellError(f"'{value}' is not a number") from None
        if not number.is_finite() or number < 0 or number > maximum:
            raise CellError(f"{value} is not a number from 0 to {maximum}")
        return number.quantize(Decimal(1).scaleb(-places))

    return parse


class ReoffendingComparatorsImport(ImportKind):
    def clean(self, ctx: ImportContext, row: Row) -> None:
        if row["area"] and row["quarter"]:
            key = ("reoffending", row["area"].lower(), row["quarter"])
            _once_per_key(ctx, row, key, "quarter", f"{row['area']} for that quarter")

    def write_batch(self, ctx: ImportContext, rows: list[Row]) -> Iterator[Outcome]:
        for row in rows:
            year, number = row["quarter"]
            values = {
                "offenders": row["offenders"],
                "charged_offences": row["charged_offences"],
                "reoffending_rate": row["reoffending_rate"],
                "source": row["source"] or "",
            }
            found = ReoffendingComparator.objects.filter(
                partnership=ctx.partnership, area__iexact=row["area"], year=year, quarter=number
            ).first()
            yield _upsert(
                found,
                values,
                lambda v, y=year, n=number, a=row["area"]: ReoffendingComparator.objects.create(
                    partnership=ctx.partnership, area=a, year=y, quarter=n, **v
                ),
            )


def _upsert(found: Any, values: dict[str, Any], create: Any) -> Outcome:
    if found is None:
        create(values)
        return Outcome.CREATED
    if any(getattr(found, name) != value for name, value in values.items()):
        for name, value in values.items():
            setattr(found, name, value)
        if hasattr(found, "version"):
            found.version += 1
        found.save()
        return Outcome.UPDATED
    return Outcome.UNCHANGED


register(
    ReoffendingComparatorsImport(
        slug="reoffending-comparators",
        title="Reoffending comparators",
        description=(
            "Published IOM reoffending figures by area and financial quarter (London, neighbouring boroughs and the"
            " partnership's own), compared with the partnership on the reoffending page."
        ),
        columns=(
            Column("area", required=True, parse=fields.text(100), help="area name, e.g. London"),
            Column("quarter", required=True, parse=quarter, help="financial quarter, e.g. 2022/23 Q4"),
            Column("offenders", required=True, parse=fields.integer(0, 10_000_000), help="offenders in the cohort"),
            Column("charged_offences", required=True, parse=fields.integer(0, 10_000_000), help="offences charged"),
            Column("reoffending_rate", required=True, parse=decimal(100, 1), help="per cent, e.g. 24.0"),
            Column("source", parse=fields.text(300), help="publication"),
        ),
    )
)


class YouthJusticeKpisImport(ImportKind):
    def clean(self, ctx: ImportContext, row: Row) -> None:
        if row["kpi"] and row["quarter"]:
            _once_per_key(ctx, row, ("kpi", row["kpi"], row["quarter"]), "quarter", f"{row['kpi']} for that quarter")

    def write_batch(self, ctx: ImportContext, rows: list[Row]) -> Iterator[Outcome]:
        for row in rows:
            year, number = row["quarter"]
            values = {name: row[name] for name in ("value", "national", "regional", "statistical_neighbours")}
            values = row.present_only(
                values,
                {"national": "national", "regional": "regional", "statistical_neighbours": "statistical_neighbours"},
            )
            found = YjKpiValue.objects.filter(
                partnership=ctx.partnership, kpi=row["kpi"], year=year, quarter=number
            ).first()
            yield _upsert(
                found,
                values,
                lambda v, y=year, n=number, k=row["kpi"]: YjKpiValue.objects.create(
                    partnership=ctx.partnership, kpi=k, year=y, quarter=n, **v
                ),
            )


register(
    YouthJusticeKpisImport(
        slug="youth-justice-kpis",
        title="Youth Justice KPIs",
        description="The Youth Justice Service's KPI values per quarter with national, regional and statistical-neighbour comparators.",
        columns=(
            Column("kpi", required=True, parse=fields.choice(YjKpi.values), help=", ".join(YjKpi.values)),
            Column("quarter", required=True, parse=quarter, help="financial quarter, e.g. 2023/24 Q1"),
            Column("value", required=True, parse=decimal(10_000_000), help="the partnership's value"),
            Column("national", parse=decimal(10_000_000), help="England and Wales"),
            Column("regional", parse=decimal(10_000_000), help="region"),
            Column("statistical_neighbours", parse=decimal(10_000_000), help="statistical neighbours' average"),
        ),
    )
)
