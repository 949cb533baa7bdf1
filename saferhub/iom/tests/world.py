"""A small synthetic partnership for the IOM tests. Every name is invented.

Police: the IOM team (owner of the cohort's cases) and Neighbourhood Policing (same agency).
Probation (the agency of an offender manager); Housing (another agency, shared with when a test
shares a case); Council (an analyst and an administrator).
"""

import csv
import datetime
import io
from types import SimpleNamespace
from typing import Any

from django.test import Client

from saferhub.accounts.models import AgencyKind, Role
from saferhub.accounts.tests.factories import AgencyFactory, PartnershipFactory, TeamFactory, UserFactory
from saferhub.cases.actions import share_case
from saferhub.cases.models import LawfulBasis
from saferhub.core.seeding import seed_reference_codes
from saferhub.imports.registry import get_kind
from saferhub.imports.runner import ImportResult, run_import
from saferhub.iom import actions
from saferhub.iom.models import CohortStay
from saferhub.iom.setup import setup_iom
from saferhub.people.tests.factories import PersonFactory

PASSWORD = "correct horse battery staple"  # noqa: S105 - test users only


def build_world() -> SimpleNamespace:
    partnership = PartnershipFactory(name="Testshire Safer Communities Partnership")
    seed_reference_codes(partnership)
    police = AgencyFactory(partnership=partnership, name="Testshire Police", kind=AgencyKind.POLICE)
    probation = AgencyFactory(partnership=partnership, name="Testshire Probation", kind=AgencyKind.PROBATION)
    housing = AgencyFactory(partnership=partnership, name="Testshire Homes", kind=AgencyKind.HOUSING)
    council = AgencyFactory(partnership=partnership, name="Testshire Council", kind=AgencyKind.COUNCIL)
    iom = TeamFactory(agency=police, name="IOM team")
    neighbourhood = TeamFactory(agency=police, name="Neighbourhood Policing")
    pdu = TeamFactory(agency=probation, name="Probation Delivery Unit")
    housing_team = TeamFactory(agency=housing, name="Tenancy Sustainment")
    setup_iom(partnership)
    users = {
        "owner": UserFactory(team=iom, full_name="Ivy Iomofficer", roles=[Role.CASEWORKER]),
        "colleague": UserFactory(team=neighbourhood, full_name="Cora Colleague", roles=[Role.CASEWORKER]),
        "manager": UserFactory(team=pdu, full_name="Omar Offendermanager", roles=[Role.CASEWORKER]),
        "other_agency": UserFactory(team=pdu, full_name="Otto Otheragency", roles=[Role.CASEWORKER]),
        "shared": UserFactory(team=housing_team, full_name="Shari Shared", roles=[Role.CASEWORKER]),
        "analyst": UserFactory(
            team=None, agency=council, partnership=partnership, full_name="Ana Analyst", roles=[Role.ANALYST]
        ),
        "admin": UserFactory(
            team=None, agency=council, partnership=partnership, full_name="Adam Admin", roles=[Role.PARTNERSHIP_ADMIN]
        ),
    }
    return SimpleNamespace(
        partnership=partnership,
        police=police,
        probation=probation,
        housing=housing,
        council=council,
        iom=iom,
        neighbourhood=neighbourhood,
        pdu=pdu,
        housing_team=housing_team,
        users=users,
        **users,
    )


def client_for(world: SimpleNamespace, who: str) -> Client:
    client = Client()
    if who != "anonymous":
        client.force_login(world.users[who])
    return client


def shared_stay(world: SimpleNamespace) -> CohortStay:
    """A stay managed by the probation offender manager and shared with Housing."""
    stay = adopt(world, offender_manager=world.manager, lead_agency=world.probation)
    share_case(
        world.owner,
        stay.case,
        purpose="Tenancy sustainment",
        lawful_basis=LawfulBasis.PUBLIC_TASK,
        agency=world.housing,
    )
    return stay


def adopt(world: SimpleNamespace, **fields: Any) -> CohortStay:
    person = fields.pop("person", None) or PersonFactory(
        partnership=world.partnership, first_name="Testy", last_name="Cohortson", gender="male"
    )
    fields.setdefault("adopted_on", datetime.date(2023, 1, 10))
    fields.setdefault("cohort", "fixed")
    fields.setdefault("management", "statutory")
    fields.setdefault("rag", "red")
    return actions.adopt(world.owner, person, **fields)  # type: ignore[arg-type]


def csv_text(header: list[str], rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({name: "" if row.get(name) is None else row[name] for name in header})
    return out.getvalue()


def import_text(world: SimpleNamespace, kind: str, text: str, *, dry_run: bool = False) -> ImportResult:
    return run_import(
        get_kind(kind),
        io.BytesIO(text.encode("utf-8")),
        partnership=world.partnership,
        filename=f"{kind}.csv",
        user=world.analyst,
        dry_run=dry_run,
    )
