"""Fill a PostgreSQL database with a large synthetic load for the benchmarks (not a test).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/saferhub_bench .venv/bin/python bench/generate.py --reset

Every row is made server-side with ``INSERT … SELECT … FROM generate_series``:
the ORM is used only to learn table and column names, so a field added to a
model later gets its model default (or the script stops and names it).

Shape (defaults): 5 partnerships × 10 agencies × 4 teams (40 teams a
partnership, 200 in all), 6 users a team, 1,000,000 cases, 300,000 people,
~1.2M participants, 1M notes, ~500k actions, ~1.6M stage-log rows, 50k shares,
~0.5% restricted cases, 50k referrals; in the first partnership 1M hub referrals,
100k ASB cases, 100k MARAC referrals and 100k missing episodes (five years, with
return home interviews and strategy meetings). Random choices come from ``setseed``
so two runs make the same data.

``--reset`` drops and re-creates the whole database (its name must contain
"bench") and migrates it: bench data cannot be deleted row by row because the
audit trail that ``bench/run.py`` writes is append-only.
"""

import argparse
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saferhub.settings")

import django  # noqa: E402

django.setup()

import psycopg  # noqa: E402
from django.apps import apps  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import OperationalError, connection  # noqa: E402
from django.db.models import Model  # noqa: E402

from saferhub.core.demo import FIRST_NAMES, LAST_NAMES  # noqa: E402
from saferhub.core.seeding import read_list  # noqa: E402

SLUG_PREFIX = "bench-"
HUB_TEAM_NAME = "Victim Care Hub"
ETHNICITIES = [row.code for row in read_list("ethnicity")]
AGENCIES = [
    ("Council", "council"),
    ("Police", "police"),
    ("Probation", "probation"),
    ("Housing", "housing"),
    ("Health", "health"),
    ("Victim Help", "voluntary"),
    ("Youth Justice", "council"),
    ("Fire and Rescue", "other"),
    ("Schools Partnership", "education"),
    ("Community Mediation", "voluntary"),
]
TEAMS_PER_AGENCY = 4
CASEWORKERS_PER_TEAM = 5
CASE_TYPES = [
    ("general", "General", "GEN"),
    ("vch", "Victim Care Hub", "VCH"),
    ("asb", "Anti-social behaviour", "ASB"),
    ("marac", "MARAC", "MAR"),
]


def table(label: str) -> str:
    return apps.get_model(label)._meta.db_table


def insert_select(label: str, columns: dict[str, str], source: str, params: list[Any] | None = None) -> int:
    """INSERT INTO <model table> (...) SELECT <exprs> <source>.

    Columns the caller leaves out get NULL or the model field's default, bound as a parameter.
    """
    model: type[Model] = apps.get_model(label)
    names, exprs, defaults = [], [], []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        names.append(connection.ops.quote_name(field.column))
        if field.column in columns:
            exprs.append(columns.pop(field.column))
            continue
        default = field.get_default()
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            exprs.append("now()")
        elif default is None and not field.null:
            raise SystemExit(f"{label}.{field.name} has no default: teach bench/generate.py what to put in it.")
        else:
            exprs.append("%s")
            defaults.append(field.get_db_prep_save(default, connection))
    if columns:
        raise SystemExit(f"{label} has no column(s) {sorted(columns)}: bench/generate.py is out of date.")
    # Defaults are bound first: they stand in the SELECT list, before the source's own parameters.
    sql = f"INSERT INTO {model._meta.db_table} ({', '.join(names)}) SELECT {', '.join(exprs)} {source}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [*defaults, *(params or [])])
        return cursor.rowcount


def execute(sql: str, params: list[Any] | None = None) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return cursor.rowcount


@contextmanager
def step(title: str) -> Iterator[None]:
    """Print how long the block took."""
    start = time.perf_counter()
    print(f"  {title:<28}", end="", flush=True)
    yield
    print(f"{time.perf_counter() - start:7.1f} s", flush=True)


def recreate_database() -> None:
    db = settings.DATABASES["default"]
    name = db["NAME"]
    if "bench" not in name:
        raise SystemExit(
            f"Refusing to drop database {name!r}: --reset only drops a database whose name contains 'bench'."
        )
    connection.close()
    conninfo = psycopg.conninfo.make_conninfo(
        dbname="postgres",
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        host=db.get("HOST") or None,
        port=str(db.get("PORT") or "") or None,
    )
    with psycopg.connect(conninfo, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    print(f"Re-created database {name}; migrating …", flush=True)
    call_command("migrate", verbosity=0)


def create_database_if_missing() -> None:
    try:
        connection.ensure_connection()
    except OperationalError:
        connection.close()
        recreate_database()


def structure(partnerships: int) -> None:
    """Partnerships, case types, agencies, teams, users and roles, plus id maps (temp tables) for the bulk steps."""
    insert_select(
        "accounts.Partnership",
        {"slug": f"'{SLUG_PREFIX}p' || g", "name": "'Bench Partnership ' || g", "created_at": "now()"},
        "FROM generate_series(1, %s) g",
        [partnerships],
    )
    execute(
        f"CREATE TEMP TABLE b_p AS SELECT id AS pid, substr(slug, {len(SLUG_PREFIX) + 2})::int - 1 AS pi "
        f"FROM {table('accounts.Partnership')} WHERE slug LIKE %s",
        [SLUG_PREFIX + "%"],
    )
    types = ", ".join(f"({i}, '{code}', '{name}', '{prefix}')" for i, (code, name, prefix) in enumerate(CASE_TYPES))
    insert_select(
        "cases.CaseType",
        {"partnership_id": "b_p.pid", "code": "t.code", "name": "t.name", "prefix": "t.prefix"},
        f"FROM b_p CROSS JOIN (VALUES {types}) AS t(ci, code, name, prefix)",
    )
    execute(
        f"CREATE TEMP TABLE b_ct AS SELECT b_p.pi, t.ci, ct.id AS ct_id, ct.prefix FROM {table('cases.CaseType')} ct "
        f"JOIN b_p ON b_p.pid = ct.partnership_id JOIN (VALUES {types}) AS t(ci, code, name, prefix) ON t.prefix = ct.prefix"
    )
    agencies = ", ".join(f"({i}, '{name}', '{kind}')" for i, (name, kind) in enumerate(AGENCIES))
    insert_select(
        "accounts.Agency",
        {"partnership_id": "b_p.pid", "name": "'Bench ' || a.name || ' ' || (b_p.pi + 1)", "kind": "a.kind"},
        f"FROM b_p CROSS JOIN (VALUES {agencies}) AS a(ai, name, kind)",
    )
    insert_select(
        "accounts.Team",
        {"partnership_id": "ag.partnership_id", "agency_id": "ag.id", "name": "ag.name || ' team ' || g"},
        f"FROM {table('accounts.Agency')} ag JOIN b_p ON b_p.pid = ag.partnership_id "
        f"CROSS JOIN generate_series(1, {TEAMS_PER_AGENCY}) g",
    )
    # ti numbers a partnership's teams 0..39; ai its agencies 0..9.
    execute(
        f"CREATE TEMP TABLE b_team AS SELECT b_p.pi, t.id AS team_id, t.agency_id, "
        f"(row_number() OVER (PARTITION BY b_p.pi ORDER BY t.id) - 1)::int AS ti, "
        f"(dense_rank() OVER (PARTITION BY b_p.pi ORDER BY t.agency_id) - 1)::int AS ai "
        f"FROM {table('accounts.Team')} t JOIN b_p ON b_p.pid = t.partnership_id"
    )
    execute("CREATE UNIQUE INDEX ON b_team (pi, ti)")
    execute("CREATE TEMP TABLE b_agency AS SELECT DISTINCT pi, ai, agency_id FROM b_team")
    # k = 0..4 caseworkers, k = 5 the team manager. Passwords are unusable: run.py signs in with force_login.
    insert_select(
        "accounts.User",
        {
            "password": "'!bench'",
            "email": "'p' || (bt.pi + 1) || '-t' || (bt.ti + 1) || '-u' || (k + 1) || '@bench.saferhub.invalid'",
            "full_name": "'Bench user ' || (bt.pi + 1) || '-' || (bt.ti + 1) || '-' || (k + 1)",
            "partnership_id": "b_p.pid",
            "agency_id": "bt.agency_id",
            "team_id": "bt.team_id",
        },
        f"FROM b_team bt JOIN b_p ON b_p.pi = bt.pi CROSS JOIN generate_series(0, {CASEWORKERS_PER_TEAM}) k",
    )
    execute(
        f"CREATE TEMP TABLE b_user AS SELECT u.id AS user_id, u.team_id, u.partnership_id, "
        f"(split_part(split_part(u.email, '-u', 2), '@', 1)::int - 1) AS k "
        f"FROM {table('accounts.User')} u JOIN b_p ON b_p.pid = u.partnership_id"
    )
    execute("CREATE UNIQUE INDEX ON b_user (team_id, k)")
    insert_select(
        "accounts.RoleAssignment",
        {
            "user_id": "u.user_id",
            "partnership_id": "u.partnership_id",
            "role": f"CASE WHEN u.k = {CASEWORKERS_PER_TEAM} THEN 'team_manager' ELSE 'caseworker' END",
        },
        "FROM b_user u",
    )


def people(count: int, partnerships: int) -> None:
    first = "ARRAY[" + ", ".join(f"'{n}'" for n in FIRST_NAMES) + "]"
    last = "ARRAY[" + ", ".join(f"'{n}'" for n in LAST_NAMES) + "]"
    ethnicities = "ARRAY[" + ", ".join(f"'{code}'" for code in ETHNICITIES) + "]"
    insert_select(
        "people.Person",
        {
            "partnership_id": "b_p.pid",
            "first_name": f"({first})[1 + floor(random() * {len(FIRST_NAMES)})::int]",
            "last_name": f"({last})[1 + floor(random() * {len(LAST_NAMES)})::int]",
            "date_of_birth": "DATE '1940-01-01' + floor(random() * 28000)::int",
            "gender": "(ARRAY['female', 'male', 'other', 'not_stated'])[1 + floor(random() * 4)::int]",
            "ethnicity": f"({ethnicities})[1 + floor(random() * {len(ETHNICITIES)})::int]",
            "external_ref": "'BENCH-' || g",
        },
        "FROM generate_series(1, %s) g JOIN b_p ON b_p.pi = g %% %s",
        [count, partnerships],
    )
    execute(
        f"CREATE TEMP TABLE b_person AS SELECT b_p.pi, "
        f"(row_number() OVER (PARTITION BY b_p.pi ORDER BY p.id) - 1)::int AS n, p.id AS person_id "
        f"FROM {table('people.Person')} p JOIN b_p ON b_p.pid = p.partnership_id"
    )
    execute("CREATE UNIQUE INDEX ON b_person (pi, n)")


def cases(count: int, partnerships: int) -> None:
    teams = len(AGENCIES) * TEAMS_PER_AGENCY
    # r: status draw; the case is closed (60%), open (35%) or on hold (5%); ~0.5% restricted.
    source = f"""
        FROM (
            SELECT g, b_p.pid, bt.team_id, u.user_id, ct.ct_id, ct.prefix, s.opened_on, s.r, s.rr, s.risk,
                   extract(year FROM s.opened_on)::int AS yr
            FROM (
                SELECT g, g %% %s AS pi, floor(random() * {teams})::int AS ti,
                       floor(random() * {CASEWORKERS_PER_TEAM})::int AS k, floor(random() * {len(CASE_TYPES)})::int AS ci,
                       current_date - floor(random() * 2900)::int AS opened_on, random() AS r, random() AS rr,
                       floor(random() * 4)::int AS risk
                FROM generate_series(1, %s) g
            ) s
            JOIN b_p ON b_p.pi = s.pi
            JOIN b_team bt ON bt.pi = s.pi AND bt.ti = s.ti
            JOIN b_user u ON u.team_id = bt.team_id AND u.k = s.k
            JOIN b_ct ct ON ct.pi = s.pi AND ct.ci = s.ci
        ) c
    """
    status = "CASE WHEN c.r < 0.60 THEN 'closed' WHEN c.r < 0.95 THEN 'open' ELSE 'on_hold' END"
    insert_select(
        "cases.Case",
        {
            "created_at": "c.opened_on::timestamptz",
            "created_by_id": "c.user_id",
            "modified_by_id": "c.user_id",
            "partnership_id": "c.pid",
            "reference": "c.prefix || '-' || c.yr || '-' || lpad((row_number() OVER "
            "(PARTITION BY c.pid, c.prefix, c.yr ORDER BY c.opened_on, c.g))::text, 5, '0')",
            "case_type_id": "c.ct_id",
            "title": "(ARRAY['Repeat noise nuisance', 'Harassment by neighbour', 'Burglary victim support', "
            "'Domestic abuse – high risk', 'Criminal damage to car', 'Hate incident on bus', 'Fraud victim', "
            "'Street drinking group', 'Vulnerable adult exploited', 'Youth ASB near shops'])[1 + (c.g %% 10)] || ' #' || c.g",
            "status": status,
            "owning_team_id": "c.team_id",
            "assigned_to_id": "c.user_id",
            "risk_level": "(ARRAY['not_assessed', 'standard', 'medium', 'high'])[1 + c.risk]",
            "restricted": "c.rr < 0.005",
            "opened_on": "c.opened_on",
            "closed_on": "CASE WHEN c.r < 0.60 THEN least(current_date, c.opened_on + 30 + (c.g %% 200)) END",
            "closure_reason": "CASE WHEN c.r < 0.60 THEN 'support_complete' ELSE '' END",
        },
        source,
        [partnerships, count],
    )
    execute(
        f"CREATE TEMP TABLE b_case AS SELECT c.id AS case_id, b_p.pi, c.owning_team_id AS team_id, "
        f"c.assigned_to_id AS user_id, c.opened_on, c.status, c.closed_on, c.restricted "
        f"FROM {table('cases.Case')} c JOIN b_p ON b_p.pid = c.partnership_id"
    )
    insert_select(
        "cases.CaseReferenceSequence",
        {
            "partnership_id": "partnership_id",
            "prefix": "split_part(reference, '-', 1)",
            "year": "split_part(reference, '-', 2)::int",
            "last_number": "max(split_part(reference, '-', 3)::int)",
        },
        f"FROM {table('cases.Case')} JOIN b_p ON b_p.pid = partnership_id GROUP BY 1, 2, 3",
    )


def case_details(people_per_partnership: int) -> None:
    with step("participants"):
        for role, share in (("direct_victim", 1.0), ("subject", 0.2)):
            insert_select(
                "cases.Participant",
                {
                    "case_id": "c.case_id",
                    "person_id": "p.person_id",
                    "role": f"'{role}'",
                    "added_by_id": "c.user_id",
                    "created_at": "c.opened_on::timestamptz",
                },
                f"FROM (SELECT *, floor(random() * {people_per_partnership})::int AS n FROM b_case "
                f"WHERE random() < {share}) c JOIN b_person p ON p.pi = c.pi AND p.n = c.n",
            )
    with step("notes"):
        insert_select(
            "cases.Note",
            {
                "case_id": "c.case_id",
                "text": "'Spoke to the victim by phone; agreed a safety plan and a follow-up visit. Case ' || c.case_id",
                "created_by_id": "c.user_id",
                "agency_id": "bt.agency_id",
                "created_at": "c.opened_on::timestamptz + interval '1 day'",
            },
            "FROM b_case c JOIN b_team bt ON bt.team_id = c.team_id",
        )
    with step("actions"):
        insert_select(
            "cases.Action",
            {
                "case_id": "c.case_id",
                "created_by_id": "c.user_id",
                "modified_by_id": "c.user_id",
                "title": "'Follow-up contact'",
                "owner_id": "c.user_id",
                "due_on": "c.opened_on + 14",
                "status": "CASE WHEN c.status = 'closed' THEN 'done' ELSE 'open' END",
                "completed_at": "CASE WHEN c.status = 'closed' THEN c.closed_on::timestamptz END",
                "created_at": "c.opened_on::timestamptz",
            },
            "FROM b_case c WHERE random() < 0.5",
        )
    with step("stage log"):
        insert_select(
            "cases.StageLog",
            {
                "case_id": "c.case_id",
                "from_status": "''",
                "to_status": "'open'",
                "at": "c.opened_on::timestamptz",
                "by_id": "c.user_id",
                "reason": "'Opened'",
            },
            "FROM b_case c",
        )
        insert_select(
            "cases.StageLog",
            {
                "case_id": "c.case_id",
                "from_status": "'open'",
                "to_status": "c.status",
                "at": "coalesce(c.closed_on, c.opened_on + 7)::timestamptz",
                "by_id": "c.user_id",
                "reason": "CASE WHEN c.status = 'closed' THEN 'support_complete' ELSE 'Waiting for court date' END",
            },
            "FROM b_case c WHERE c.status <> 'open'",
        )
    with step("shares and restrictions"):
        # 5% of cases shared with another agency of the same partnership.
        insert_select(
            "cases.CaseShare",
            {
                "case_id": "c.case_id",
                "agency_id": "ba.agency_id",
                "purpose": "'Joint safety planning'",
                "lawful_basis": "'cda_s115'",
                "created_by_id": "c.user_id",
                "created_at": "c.opened_on::timestamptz",
            },
            f"FROM (SELECT c.*, bt.ai FROM b_case c JOIN b_team bt ON bt.team_id = c.team_id WHERE random() < 0.05) c "
            f"JOIN b_agency ba ON ba.pi = c.pi AND ba.ai = (c.ai + 1 + floor(random() * {len(AGENCIES) - 1})::int) %% {len(AGENCIES)}",
        )
        insert_select(
            "cases.RestrictedAccess",
            {"case_id": "c.case_id", "user_id": "c.user_id", "granted_by_id": "c.user_id"},
            "FROM b_case c WHERE c.restricted",
        )


def referrals(count: int, partnerships: int, people_per_partnership: int) -> None:
    teams = len(AGENCIES) * TEAMS_PER_AGENCY
    insert_select(
        "cases.Referral",
        {
            "partnership_id": "b_p.pid",
            "from_team_id": "ft.team_id",
            "from_agency_id": "ft.agency_id",
            "to_team_id": "tt.team_id",
            "case_type_id": "ct.ct_id",
            "received_at": "r.received_at",
            "reason": "'Repeat incidents reported; victim asks for support.'",
            "person_id": "p.person_id",
            "decision": "CASE WHEN r.received_at > now() - interval '60 days' THEN 'pending' "
            "WHEN r.x < 0.8 THEN 'accepted' ELSE 'declined' END",
            "decided_at": "CASE WHEN r.received_at <= now() - interval '60 days' THEN r.received_at + interval '2 days' END",
            "decision_reason": "CASE WHEN r.received_at <= now() - interval '60 days' AND r.x >= 0.8 THEN 'Does not meet threshold' ELSE '' END",
            "created_at": "r.received_at",
        },
        f"""FROM (
            SELECT g %% %s AS pi, floor(random() * {teams})::int AS fti, floor(random() * {teams})::int AS tti,
                   floor(random() * {len(CASE_TYPES)})::int AS ci, floor(random() * {people_per_partnership})::int AS n,
                   now() - random() * interval '1100 days' AS received_at, random() AS x
            FROM generate_series(1, %s) g
        ) r
        JOIN b_p ON b_p.pi = r.pi
        JOIN b_team ft ON ft.pi = r.pi AND ft.ti = r.fti
        JOIN b_team tt ON tt.pi = r.pi AND tt.ti = r.tti
        JOIN b_ct ct ON ct.pi = r.pi AND ct.ci = r.ci
        JOIN b_person p ON p.pi = r.pi AND p.n = r.n""",
        [partnerships, count],
    )


def hub_structure() -> None:
    """The first partnership's Victim Care Hub: a hub team with five caseworkers, its setup and code lists."""
    from saferhub.accounts.models import Partnership
    from saferhub.core.seeding import seed_reference_codes
    from saferhub.victims.hub import setup_hub
    from saferhub.victims.models import HubConfiguration

    execute(
        "CREATE TEMP TABLE b_hub_team AS SELECT bt.pi, bt.agency_id FROM b_team bt WHERE bt.pi = 0 AND bt.ai = 5 LIMIT 1"
    )
    insert_select(
        "accounts.Team",
        {"partnership_id": "b_p.pid", "agency_id": "h.agency_id", "name": f"'{HUB_TEAM_NAME}'"},
        "FROM b_hub_team h JOIN b_p ON b_p.pi = h.pi",
    )
    execute(
        f"CREATE TEMP TABLE b_hub AS SELECT t.id AS team_id, t.partnership_id AS pid FROM {table('accounts.Team')} t "
        f"JOIN b_p ON b_p.pid = t.partnership_id AND b_p.pi = 0 WHERE t.name = %s",
        [HUB_TEAM_NAME],
    )
    insert_select(
        "accounts.User",
        {
            "password": "'!bench'",
            "email": "'p1-hub-u' || k || '@bench.saferhub.invalid'",
            "full_name": "'Bench hub worker ' || k",
            "partnership_id": "h.pid",
            "agency_id": "(SELECT agency_id FROM b_hub_team)",
            "team_id": "h.team_id",
        },
        f"FROM b_hub h CROSS JOIN generate_series(1, {CASEWORKERS_PER_TEAM}) k",
    )
    execute(
        f"CREATE TEMP TABLE b_hub_user AS SELECT u.id AS user_id, "
        f"(row_number() OVER (ORDER BY u.id) - 1)::int AS k FROM {table('accounts.User')} u "
        f"JOIN b_hub h ON h.team_id = u.team_id"
    )
    insert_select(
        "accounts.RoleAssignment",
        {"user_id": "u.user_id", "partnership_id": "h.pid", "role": "'caseworker'"},
        "FROM b_hub_user u CROSS JOIN b_hub h",
    )
    partnership = Partnership.objects.get(slug=f"{SLUG_PREFIX}p1")
    seed_reference_codes(partnership)
    setup_hub(partnership)
    with connection.cursor() as cursor:
        cursor.execute("SELECT team_id FROM b_hub")
        HubConfiguration.objects.filter(partnership=partnership).update(team_id=cursor.fetchone()[0])


def _codes(code_list: str) -> str:
    """A temp table b_code_<list>(n, id) numbering the first partnership's codes of one list from 0."""
    name = f"b_code_{code_list}"
    execute(f"DROP TABLE IF EXISTS {name}")
    execute(
        f"CREATE TEMP TABLE {name} AS SELECT (row_number() OVER (ORDER BY rc.sort_order, rc.id) - 1)::int AS n, "
        f"rc.id, rc.code FROM {table('core.ReferenceCode')} rc "
        f"JOIN {table('accounts.Partnership')} p ON p.id = rc.partnership_id AND p.slug = %s "
        f"WHERE rc.code_list = %s AND rc.active",
        [f"{SLUG_PREFIX}p1", code_list],
    )
    return name


def hub_referrals(count: int, people_per_partnership: int) -> None:
    """`count` hub referrals in the first partnership over three years: referral, VCH case, hub row, support.

    Received in the last 2 days: awaiting a decision. Older: 90% accepted (a VCH case owned by
    the hub team, closed once older than 90 days), 10% declined, nine in ten of those after a
    first contact. Most referrals received in the last 30 days still wait for first contact, so
    the triage queue holds thousands.
    """
    teams = len(AGENCIES) * TEAMS_PER_AGENCY
    crimes = _codes("victim_hub_crime_types")
    supports = _codes("victim_support_types")
    execute(
        f"""CREATE TEMP TABLE b_hr AS
        SELECT g, s.received_at, s.received_at::date AS received_on,
               CASE WHEN s.received_at > now() - interval '2 days' THEN 'pending'
                    WHEN s.x < 0.9 THEN 'accepted' ELSE 'declined' END AS decision,
               ft.team_id AS from_team_id, ft.agency_id AS from_agency_id, p.person_id, u.user_id, s.x, s.y, s.z,
               extract(year FROM s.received_at)::int AS yr, s.crime, s.support
        FROM (
            SELECT g, now() - random() * interval '1100 days' AS received_at, random() AS x, random() AS y,
                   random() AS z, floor(random() * {teams})::int AS fti,
                   floor(random() * {people_per_partnership})::int AS n,
                   floor(random() * {CASEWORKERS_PER_TEAM})::int AS k,
                   floor(random() * (SELECT count(*) FROM {crimes}))::int AS crime,
                   floor(random() * (SELECT count(*) FROM {supports}))::int AS support
            FROM generate_series(1, %s) g
        ) s
        JOIN b_team ft ON ft.pi = 0 AND ft.ti = s.fti
        JOIN b_person p ON p.pi = 0 AND p.n = s.n
        JOIN b_hub_user u ON u.k = s.k""",
        [count],
    )
    execute("CREATE UNIQUE INDEX ON b_hr (g)")
    closed = "b_hr.received_at < now() - interval '90 days'"
    insert_select(
        "cases.Case",
        {
            "created_at": "b_hr.received_at",
            "created_by_id": "b_hr.user_id",
            "modified_by_id": "b_hr.user_id",
            "partnership_id": "h.pid",
            # Numbered after the VCH cases the general step made for the same year.
            "reference": "'VCH-' || b_hr.yr || '-' || lpad(n::text, greatest(5, length(n::text)), '0')",
            "case_type_id": "ct.ct_id",
            "title": "'Victim support #' || b_hr.g",
            "status": f"CASE WHEN {closed} THEN 'closed' ELSE 'open' END",
            "owning_team_id": "h.team_id",
            "assigned_to_id": "b_hr.user_id",
            "risk_level": "'standard'",
            "restricted": "false",
            "opened_on": "b_hr.received_on + 1",
            "closed_on": f"CASE WHEN {closed} THEN b_hr.received_on + 60 END",
            "closure_reason": f"CASE WHEN {closed} THEN 'support_complete' ELSE '' END",
            "external_ref": "'HUB-' || b_hr.g",
        },
        f"FROM (SELECT b_hr.*, coalesce(seq.last_number, 0) + row_number() OVER "
        f"(PARTITION BY b_hr.yr ORDER BY b_hr.received_at, b_hr.g) AS n FROM b_hr "
        f"LEFT JOIN {table('cases.CaseReferenceSequence')} seq ON seq.partnership_id = (SELECT pid FROM b_hub) "
        f"AND seq.prefix = 'VCH' AND seq.year = b_hr.yr WHERE b_hr.decision = 'accepted') b_hr "
        f"CROSS JOIN b_hub h JOIN b_ct ct ON ct.pi = 0 AND ct.prefix = 'VCH'",
    )
    execute(
        f"CREATE TEMP TABLE b_hr_case AS SELECT substr(c.external_ref, 5)::int AS g, c.id AS case_id "
        f"FROM {table('cases.Case')} c JOIN b_hub h ON h.pid = c.partnership_id WHERE c.external_ref LIKE 'HUB-%%'"
    )
    execute("CREATE UNIQUE INDEX ON b_hr_case (g)")
    execute(
        f"""INSERT INTO {table("cases.CaseReferenceSequence")} (partnership_id, prefix, year, last_number)
        SELECT c.partnership_id, 'VCH', split_part(c.reference, '-', 2)::int, max(split_part(c.reference, '-', 3)::int)
        FROM {table("cases.Case")} c JOIN b_hub h ON h.pid = c.partnership_id WHERE c.reference LIKE 'VCH-%%'
        GROUP BY 1, 2, 3
        ON CONFLICT (partnership_id, prefix, year) DO UPDATE SET last_number = EXCLUDED.last_number"""
    )
    insert_select(
        "cases.Participant",
        {
            "case_id": "hc.case_id",
            "person_id": "b_hr.person_id",
            "role": "'direct_victim'",
            "added_by_id": "b_hr.user_id",
            "created_at": "b_hr.received_at",
        },
        "FROM b_hr JOIN b_hr_case hc ON hc.g = b_hr.g",
    )
    insert_select(
        "cases.Referral",
        {
            "partnership_id": "h.pid",
            "from_team_id": "b_hr.from_team_id",
            "from_agency_id": "b_hr.from_agency_id",
            "to_team_id": "h.team_id",
            "case_type_id": "ct.ct_id",
            "received_at": "b_hr.received_at",
            "reason": "'Victim of crime; asks for support.'",
            "person_id": "b_hr.person_id",
            "decision": "b_hr.decision",
            "decided_at": "CASE WHEN b_hr.decision <> 'pending' THEN b_hr.received_at + interval '1 day' END",
            "decided_by_id": "CASE WHEN b_hr.decision <> 'pending' THEN b_hr.user_id END",
            "case_id": "hc.case_id",
            "external_ref": "'HUB-' || b_hr.g",
            "created_at": "b_hr.received_at",
        },
        "FROM b_hr CROSS JOIN b_hub h JOIN b_ct ct ON ct.pi = 0 AND ct.prefix = 'VCH' "
        "LEFT JOIN b_hr_case hc ON hc.g = b_hr.g",
    )
    execute(
        f"CREATE TEMP TABLE b_hr_ref AS SELECT substr(r.external_ref, 5)::int AS g, r.id AS referral_id "
        f"FROM {table('cases.Referral')} r JOIN b_hub h ON h.team_id = r.to_team_id WHERE r.external_ref LIKE 'HUB-%%'"
    )
    execute("CREATE UNIQUE INDEX ON b_hr_ref (g)")
    recent = "b_hr.received_at > now() - interval '30 days'"
    insert_select(
        "victims.HubReferral",
        {
            "partnership_id": "h.pid",
            "referral_id": "hr.referral_id",
            "received_on": "b_hr.received_on",
            "referral_kind": "CASE WHEN b_hr.x < 0.05 THEN 'crime_prevention' ELSE 'victim' END",
            "victim_type": "CASE WHEN b_hr.x < 0.05 THEN '' WHEN b_hr.y < 0.85 THEN 'direct' ELSE 'indirect' END",
            "crime_type_id": f"(SELECT id FROM {crimes} WHERE n = b_hr.crime)",
            "incident_date": "b_hr.received_on - 3",
            "incident_in_area": "'yes'",
            "lives_in_area": "CASE WHEN b_hr.y < 0.9 THEN 'yes' ELSE 'no' END",
            "reported_to_police": "CASE WHEN b_hr.z < 0.7 THEN 'yes' WHEN b_hr.z < 0.9 THEN 'no' ELSE 'unknown' END",
            "assisting_investigation": "CASE WHEN b_hr.z < 0.5 THEN 'yes' ELSE 'unknown' END",
            "age_at_referral": "CASE WHEN b_hr.y < 0.97 THEN 12 + floor(b_hr.z * 75)::int END",
            "first_contact_due_on": "b_hr.received_on + 2",
            "first_contact_on": f"CASE WHEN b_hr.decision = 'declined' AND b_hr.z >= 0.9 THEN NULL "
            f"WHEN {recent} AND b_hr.y < 0.6 THEN NULL "
            f"ELSE b_hr.received_on + floor(b_hr.y * 4)::int END",
            "vcop_informed_on": "CASE WHEN b_hr.x >= 0.05 AND b_hr.z < 0.8 THEN b_hr.received_on + 2 END",
            "rj_informed_on": "CASE WHEN b_hr.x >= 0.05 AND b_hr.y < 0.4 THEN b_hr.received_on + 5 END",
            "satisfaction_start": "CASE WHEN b_hr.z < 0.5 THEN 1 + floor(b_hr.y * 6)::int END",
            "safety_start": "CASE WHEN b_hr.z < 0.5 THEN 1 + floor(b_hr.x * 6)::int END",
            "satisfaction_end": "CASE WHEN b_hr.z < 0.4 THEN 3 + floor(b_hr.y * 8)::int END",
            "safety_end": "CASE WHEN b_hr.z < 0.4 THEN 3 + floor(b_hr.x * 8)::int END",
            "external_ref": "'HUB-' || b_hr.g",
            "created_at": "b_hr.received_at",
        },
        "FROM b_hr CROSS JOIN b_hub h JOIN b_hr_ref hr ON hr.g = b_hr.g",
    )
    insert_select(
        "victims.SupportDelivered",
        {
            "hub_referral_id": "hub.id",
            "support_type_id": f"(SELECT id FROM {supports} WHERE n = b_hr.support)",
            "delivered_on": "b_hr.received_on + 7",
            "recorded_by_id": "b_hr.user_id",
            "created_at": "b_hr.received_at",
        },
        f"FROM b_hr JOIN b_hr_ref hr ON hr.g = b_hr.g JOIN {table('victims.HubReferral')} hub "
        f"ON hub.referral_id = hr.referral_id WHERE b_hr.decision = 'accepted' AND b_hr.y < 0.6",
    )


def _p1() -> Any:
    return apps.get_model("accounts.Partnership").objects.get(slug=f"{SLUG_PREFIX}p1")


def _module_team(name: str, email_prefix: str, kind: str, role: str = "caseworker") -> tuple[int, int]:
    """A team of the first partnership's council (or `kind`) agency with five caseworkers; (team id, first user id)."""
    partnership = _p1()
    agency = apps.get_model("accounts.Agency").objects.filter(partnership=partnership, kind=kind).order_by("pk").first()
    # Ids and names are the script's own, written into the SQL: insert_select binds the model
    # defaults in the SELECT list, so a column given as a parameter would take a default's place.
    insert_select(
        "accounts.Team",
        {"partnership_id": f"{int(partnership.pk)}", "agency_id": f"{int(agency.pk)}", "name": f"'{name}'"},
        "",
    )
    team_id = apps.get_model("accounts.Team").objects.get(partnership=partnership, name=name).pk
    insert_select(
        "accounts.User",
        {
            "password": "'!bench'",
            "email": f"'{email_prefix}' || k || '@bench.saferhub.invalid'",
            "full_name": f"'Bench {name} ' || k",
            "partnership_id": f"{int(partnership.pk)}",
            "agency_id": f"{int(agency.pk)}",
            "team_id": f"{int(team_id)}",
        },
        f"FROM generate_series(1, {CASEWORKERS_PER_TEAM}) k",
    )
    users = apps.get_model("accounts.User").objects.filter(team_id=team_id)
    insert_select(
        "accounts.RoleAssignment",
        {"user_id": "u.id", "partnership_id": "u.partnership_id", "role": "r.role"},
        f"FROM {table('accounts.User')} u CROSS JOIN (SELECT DISTINCT unnest(ARRAY['caseworker', %s]) AS role) r "
        f"WHERE u.team_id = %s",
        [role, team_id],
    )
    return team_id, users.order_by("pk").first().pk


def _module_cases(
    prefix: str, count: int, team_id: int, user_id: int, marker: str, *, days: int = 1095, victims: bool = True
) -> None:
    """`count` cases of the first partnership's `prefix` case type owned by `team_id`, opened over `days`
    (three years; older than a year: closed), each with a direct victim unless `victims` is false;
    external_ref `marker`-g."""
    partnership = _p1()
    case_type = apps.get_model("cases.CaseType").objects.get(partnership=partnership, prefix=prefix)
    seq = table("cases.CaseReferenceSequence")
    insert_select(
        "cases.Case",
        {
            "created_at": "s.opened_on::timestamptz",
            "created_by_id": f"{int(user_id)}",
            "modified_by_id": f"{int(user_id)}",
            "partnership_id": f"{int(partnership.pk)}",
            "reference": f"'{prefix}-' || s.yr || '-' || lpad(s.n::text, greatest(5, length(s.n::text)), '0')",
            "case_type_id": f"{int(case_type.pk)}",
            "title": f"'{marker} case #' || s.g",
            "status": "CASE WHEN s.opened_on < current_date - 365 THEN 'closed' ELSE 'open' END",
            "owning_team_id": f"{int(team_id)}",
            "assigned_to_id": f"{int(user_id)}",
            "risk_level": "(ARRAY['not_assessed', 'standard', 'medium', 'high'])[1 + (s.g %% 4)]",
            "restricted": "false",
            "opened_on": "s.opened_on",
            "closed_on": "CASE WHEN s.opened_on < current_date - 365 THEN s.opened_on + 120 END",
            "closure_reason": "CASE WHEN s.opened_on < current_date - 365 THEN 'support_complete' ELSE '' END",
            "external_ref": f"'{marker}-' || s.g",
        },
        f"""FROM (SELECT r.*, extract(year FROM r.opened_on)::int AS yr,
                    coalesce(seq.last_number, 0) + row_number() OVER
                        (PARTITION BY extract(year FROM r.opened_on) ORDER BY r.opened_on, r.g) AS n
               FROM (SELECT g, current_date - floor(random() * {int(days)})::int AS opened_on
                       FROM generate_series(1, %s) g) r
               LEFT JOIN {seq} seq ON seq.partnership_id = %s AND seq.prefix = %s
                    AND seq.year = extract(year FROM r.opened_on)::int) s""",
        [count, partnership.pk, prefix],
    )
    execute(
        f"""INSERT INTO {seq} (partnership_id, prefix, year, last_number)
        SELECT c.partnership_id, %s, split_part(c.reference, '-', 2)::int, max(split_part(c.reference, '-', 3)::int)
        FROM {table("cases.Case")} c WHERE c.partnership_id = %s AND c.reference LIKE %s
        GROUP BY 1, 2, 3
        ON CONFLICT (partnership_id, prefix, year) DO UPDATE SET last_number = EXCLUDED.last_number""",
        [prefix, partnership.pk, f"{prefix}-%"],
    )
    if not victims:
        return
    people = table("people.Person")
    insert_select(
        "cases.Participant",
        {
            "case_id": "c.id",
            "person_id": "p.id",
            "role": "'direct_victim'",
            "added_by_id": "c.assigned_to_id",
            "created_at": "c.created_at",
        },
        f"""FROM (SELECT c.*, row_number() OVER (ORDER BY c.id) AS rn FROM {table("cases.Case")} c
                   WHERE c.partnership_id = %s AND c.external_ref LIKE %s) c
            JOIN (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM {people} WHERE partnership_id = %s) p
              ON p.rn = 1 + (c.rn * 7919) %% (SELECT count(*) FROM {people} WHERE partnership_id = %s)""",
        [partnership.pk, f"{marker}-%", partnership.pk, partnership.pk],
    )


def asb_cases(count: int) -> None:
    """`count` ASB cases in the first partnership (its ASB team `p1-asb-u*`), with incidents and tools used."""
    from saferhub.asb.models import AsbDesk
    from saferhub.asb.setup import setup_asb

    partnership = _p1()
    setup_asb(partnership)
    team_id, user_id = _module_team("ASB team", "p1-asb-u", "council")
    AsbDesk.objects.update_or_create(partnership=partnership, defaults={"team_id": team_id})
    _module_cases("ASB", count, team_id, user_id, "ASB-BENCH")
    categories = _codes("asb_case_categories")
    insert_select(
        "asb.AsbCase",
        {
            "case_id": "c.id",
            "partnership_id": "c.partnership_id",
            "category_id": f"(SELECT id FROM {categories} WHERE n = c.id %% (SELECT count(*) FROM {categories}))",
            "location": "'Bench Street ' || (c.id %% 300)",
            "single_point_of_contact_id": "c.assigned_to_id",
            "external_ref": "c.external_ref",
            "created_at": "c.created_at",
        },
        f"FROM {table('cases.Case')} c WHERE c.partnership_id = %s AND c.external_ref LIKE 'ASB-BENCH-%%'",
        [partnership.pk],
    )
    insert_select(
        "asb.Incident",
        {
            "case_id": "c.id",
            "behaviour_on": "c.opened_on - (k * 3)",
            "summary": "'Noise and shouting late at night, incident ' || k",
            "created_at": "c.created_at",
        },
        f"FROM {table('cases.Case')} c CROSS JOIN generate_series(1, 2) k "
        f"WHERE c.partnership_id = %s AND c.external_ref LIKE 'ASB-BENCH-%%'",
        [partnership.pk],
    )
    tools = _codes("asb_tools_and_powers")
    insert_select(
        "asb.Intervention",
        {
            "partnership_id": "c.partnership_id",
            "case_id": "c.id",
            "kind_id": f"(SELECT id FROM {tools} WHERE n = c.id %% (SELECT count(*) FROM {tools}))",
            "person_id": "p.person_id",
            "served_on": "c.opened_on + 14",
            "details": "'Bench tool'",
            "issuing_team_id": "c.owning_team_id",
            "created_by_id": "c.assigned_to_id",
            "modified_by_id": "c.assigned_to_id",
            "created_at": "c.created_at",
        },
        f"FROM {table('cases.Case')} c JOIN {table('cases.Participant')} p ON p.case_id = c.id "
        f"WHERE c.partnership_id = %s AND c.external_ref LIKE 'ASB-BENCH-%%' AND c.id %% 5 = 0",
        [partnership.pk],
    )


def marac_referrals(count: int) -> None:
    """`count` accepted DA MARAC referrals in the first partnership over three years, each with its panel case."""
    from saferhub.panels.models import PanelType
    from saferhub.panels.setup import install_panel_types

    partnership = _p1()
    install_panel_types(partnership)
    panel = PanelType.objects.get(partnership=partnership, code="da_marac")
    team_id, user_id = _module_team("MARAC coordinators", "p1-marac-u", "police", role="panel_coordinator")
    PanelType.objects.filter(pk=panel.pk).update(coordinating_team_id=team_id)
    _module_cases(panel.case_type.prefix, count, team_id, user_id, "MARAC-BENCH")
    insert_select(
        "panels.PanelCase",
        {
            "case_id": "c.id",
            "partnership_id": "c.partnership_id",
            "panel_type_id": f"{int(panel.pk)}",
            "person_id": "p.person_id",
            "review_due_on": "c.opened_on + 90",
            "created_at": "c.created_at",
        },
        f"FROM {table('cases.Case')} c JOIN {table('cases.Participant')} p ON p.case_id = c.id "
        f"WHERE c.partnership_id = %s AND c.external_ref LIKE 'MARAC-BENCH-%%'",
        [partnership.pk],
    )
    relationships = _codes("relationship_to_victim")
    insert_select(
        "panels.PanelReferral",
        {
            "partnership_id": "c.partnership_id",
            "panel_type_id": "pc.panel_type_id",
            "panel_case_id": "pc.id",
            "person_id": "pc.person_id",
            "referral_date": "c.opened_on",
            "referring_agency_id": f"(SELECT agency_id FROM {table('accounts.Team')} t WHERE t.partnership_id = "
            f"c.partnership_id ORDER BY t.id OFFSET (c.id %% 40) LIMIT 1)",
            "reason": "'High risk of serious harm'",
            "victim_gender": "(ARRAY['female', 'female', 'female', 'male', 'not_stated'])[1 + (c.id %% 5)]",
            "victim_age": "18 + (c.id %% 60)",
            "basis": "'visible_high_risk'",
            "dash_score": "14 + (c.id %% 10)",
            "children_in_household": "(c.id %% 4)",
            "relationship": f"(SELECT code FROM {relationships} WHERE n = c.id %% (SELECT count(*) FROM {relationships}))",
            "perpetrator_gender": "(ARRAY['male', 'male', 'female', 'unknown'])[1 + (c.id %% 4)]",
            "mental_health_need": "(ARRAY['yes', 'no', 'unknown'])[1 + (c.id %% 3)]",
            "is_repeat": "c.id %% 4 = 0",
            "status": "'accepted'",
            "external_ref": "c.external_ref",
            "created_by_id": "c.assigned_to_id",
            "modified_by_id": "c.assigned_to_id",
            "created_at": "c.created_at",
        },
        f"FROM {table('cases.Case')} c JOIN {table('panels.PanelCase')} pc ON pc.case_id = c.id "
        f"WHERE c.partnership_id = %s AND c.external_ref LIKE 'MARAC-BENCH-%%'",
        [partnership.pk],
    )


MISSING_YEARS = 5
EPISODES_PER_CHILD = 4


def missing_episodes(count: int) -> None:
    """`count` missing episodes in the first partnership over five years, with return home interviews and
    strategy meetings, for `count` / 4 children (a few go missing often: the draw favours low numbers).

    Episodes: 80% back within 24 hours, 15% within 72, 5% longer (up to 30 days, with a strategy meeting
    at 72 hours, 70% of them in time, and a second one a week later if still missing); 30% of those of the
    last three days are still missing. After return: interview offered for 85% (within 4 days), declined
    by 10%, completed for 65% (within 3 days of the offer), by the Early Help Hub (the council) or a
    commissioned provider (a voluntary agency)."""
    from saferhub.missing.config import setup_missing
    from saferhub.missing.models import MissingTeam

    partnership = _p1()
    pid = int(partnership.pk)
    setup_missing(partnership)
    team_id, user_id = _module_team("Missing and exploitation team", "p1-missing-u", "council")
    MissingTeam.objects.update_or_create(partnership=partnership, defaults={"team_id": team_id})
    Agency = apps.get_model("accounts.Agency")  # noqa: N806
    early_help = Agency.objects.filter(partnership=partnership, kind="council").order_by("pk").first()
    provider = Agency.objects.filter(partnership=partnership, kind="voluntary").order_by("pk").first()
    providers = f"ARRAY[{int(early_help.pk)}, {int(provider.pk)}]"
    children = max(count // EPISODES_PER_CHILD, 1)
    insert_select(
        "people.Person",
        {
            "partnership_id": f"{pid}",
            "first_name": "'Bench'",
            "last_name": "'Child ' || g",
            "date_of_birth": "current_date - (3650 + floor(random() * 2900)::int)",
            "gender": "(ARRAY['female', 'male'])[1 + floor(random() * 2)::int]",
            "external_ref": "'MISSING-BENCH-P-' || g",
        },
        "FROM generate_series(1, %s) g",
        [children],
    )
    _module_cases("MIS", children, team_id, user_id, "MISSING-BENCH", days=MISSING_YEARS * 365, victims=False)
    # Fresh statistics, so the joins below are hashed, not nested over the rows just written.
    execute(f"ANALYZE {table('cases.Case')}, {table('people.Person')}")
    # Case g (external_ref MISSING-BENCH-g) is child g's (person MISSING-BENCH-P-g); rn counts from 0.
    execute(
        f"""CREATE TEMP TABLE b_mis AS
        SELECT split_part(c.external_ref, '-', 3)::int - 1 AS rn, c.id AS case_id, p.id AS person_id,
               c.assigned_to_id AS user_id, c.created_at
        FROM {table("cases.Case")} c
        JOIN {table("people.Person")} p
          ON p.partnership_id = c.partnership_id AND p.external_ref = 'MISSING-BENCH-P-' || split_part(c.external_ref, '-', 3)
        WHERE c.partnership_id = %s AND c.external_ref LIKE 'MISSING-BENCH-%%'""",
        [pid],
    )
    execute("CREATE UNIQUE INDEX ON b_mis (rn)")
    execute("ANALYZE b_mis")
    insert_select(
        "cases.Participant",
        {
            "case_id": "case_id",
            "person_id": "person_id",
            "role": "'other'",
            "added_by_id": "user_id",
            "created_at": "created_at",
        },
        "FROM b_mis",
    )
    insert_select(
        "missing.MissingChild",
        {"partnership_id": f"{pid}", "case_id": "case_id", "person_id": "person_id", "created_at": "created_at"},
        "FROM b_mis",
    )
    # d: how long missing (hours); still: not yet back (only in the last three days).
    execute(
        f"""CREATE TEMP TABLE b_ep AS
        SELECT g, floor({children} * power(random(), 2))::int AS rn, s.missing_from,
               CASE WHEN s.missing_from > now() - interval '3 days' AND random() < 0.3 THEN NULL
                    ELSE s.missing_from + make_interval(secs => s.d * 3600) END AS returned_at,
               random() AS y, random() AS z
        FROM (SELECT g, now() - make_interval(secs => floor(random() * {MISSING_YEARS * 365 * 86400})) AS missing_from,
                     CASE WHEN r < 0.80 THEN 1 + r / 0.80 * 23
                          WHEN r < 0.95 THEN 24 + (r - 0.80) / 0.15 * 48
                          ELSE 72 + (r - 0.95) / 0.05 * 648 END AS d
                FROM (SELECT g, random() AS r FROM generate_series(1, %s) g) x) s""",
        [count],
    )
    execute("ANALYZE b_ep")
    insert_select(
        "missing.Episode",
        {
            "partnership_id": f"{pid}",
            "child_id": "mc.id",
            "missing_from": "e.missing_from",
            "returned_at": "e.returned_at",
            "police_reference": "'BENCH-MIS-' || e.g",
            "risk": "(ARRAY['absent', 'low', 'medium', 'medium', 'high'])[1 + (e.g %% 5)]",
            "strategy_due_at": "CASE WHEN e.returned_at IS NULL THEN e.missing_from + interval '72 hours' END",
            "rhi_due_at": "e.returned_at + interval '72 hours'",
            "rhi_provider_id": f"CASE WHEN e.returned_at IS NOT NULL THEN ({providers})[1 + (e.g %% 2)] END",
            "rhi_team_id": f"CASE WHEN e.returned_at IS NOT NULL THEN {int(team_id)} END",
            "rhi_offered_at": "CASE WHEN e.returned_at IS NOT NULL AND e.y < 0.85 "
            "THEN e.returned_at + make_interval(secs => e.z * 96 * 3600) END",
            "rhi_declined": "CASE WHEN e.returned_at IS NULL THEN 'unknown' WHEN e.y >= 0.75 AND e.y < 0.85 "
            "THEN 'yes' ELSE 'no' END",
            "rhi_completed_at": "CASE WHEN e.returned_at IS NOT NULL AND e.y < 0.65 "
            "THEN e.returned_at + make_interval(secs => e.z * 96 * 3600 + e.y * 72 * 3600) END",
            "external_ref": "'MISSING-BENCH-E-' || e.g",
            "created_by_id": "m.user_id",
            "created_at": "e.missing_from",
        },
        f"FROM b_ep e JOIN b_mis m ON m.rn = e.rn JOIN {table('missing.MissingChild')} mc ON mc.case_id = m.case_id",
    )
    episodes = table("missing.Episode")
    execute(f"ANALYZE {episodes}, {table('missing.MissingChild')}")
    # Strategy meetings: the first at the 72-hour threshold (70% in time), then a week later while still missing.
    for extra, late in ((0, "interval '6 hours'"), (7, "interval '1 day'")):
        insert_select(
            "missing.StrategyMeeting",
            {
                "episode_id": "ep.id",
                "held_at": f"ep.missing_from + interval '72 hours' + interval '{extra} days' "
                f"+ CASE WHEN ep.id %% 10 < 7 THEN -interval '2 hours' ELSE {late} END",
                "attendees": "'Police, children''s social care, the missing and exploitation team'",
                "decisions": "'Bench decisions'",
                "recorded_by_id": "ep.created_by_id",
                "created_at": "ep.missing_from",
            },
            f"FROM {episodes} ep WHERE ep.partnership_id = %s AND ep.external_ref LIKE 'MISSING-BENCH-E-%%' "
            f"AND coalesce(ep.returned_at, now()) > ep.missing_from + interval '72 hours' + interval '{extra} days'",
            [pid],
        )
    # A repeat: 3 or more episodes (the default threshold), as `refresh_repeat` keeps it (roughly: over all time).
    execute(
        f"UPDATE {table('missing.MissingChild')} mc SET repeat = true FROM (SELECT child_id FROM {episodes} "
        f"WHERE partnership_id = %s GROUP BY child_id HAVING count(*) >= 3) r WHERE r.child_id = mc.id",
        [pid],
    )


def modules(asb: int, marac: int, missing: int, *, vacuum: bool = True) -> None:
    """The ASB cases, MARAC referrals and missing episodes (also on their own, onto an existing bench database)."""
    from django.db import transaction

    from saferhub.core.seeding import seed_reference_codes

    if apps.get_model("asb.AsbCase").objects.filter(partnership=_p1()).exists():
        raise SystemExit("This database already holds the bench ASB cases: run again with --reset to start afresh.")
    with transaction.atomic():
        seed_reference_codes(_p1())
        with step("ASB cases"):
            asb_cases(asb)
        with step("MARAC referrals"):
            marac_referrals(marac)
    missing_module(missing, vacuum=False)
    if vacuum:
        with step("VACUUM ANALYZE"):
            execute("VACUUM ANALYZE")


def missing_module(count: int, *, vacuum: bool = True) -> None:
    """The missing-children episodes (also on their own, onto an existing bench database: --missing-only)."""
    from django.db import transaction

    if apps.get_model("missing.Episode").objects.filter(partnership=_p1()).exists():
        raise SystemExit("This database already holds the bench missing episodes: run again with --reset.")
    if count <= 0:
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT setseed(0.2025)")
        with step("missing episodes"):
            missing_episodes(count)
    if vacuum:
        with step("VACUUM ANALYZE"):
            execute("VACUUM ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--reset", action="store_true", help="drop and re-create the database first (name must contain 'bench')"
    )
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--partnerships", type=int, default=5)
    parser.add_argument("--hub-referrals", type=int, default=1_000_000, help="hub referrals in the first partnership")
    parser.add_argument("--asb-cases", type=int, default=100_000, help="ASB cases in the first partnership")
    parser.add_argument("--marac-referrals", type=int, default=100_000, help="DA MARAC referrals in the first one")
    parser.add_argument(
        "--missing-episodes", type=int, default=100_000, help="missing-children episodes in the first partnership"
    )
    parser.add_argument(
        "--modules-only",
        action="store_true",
        help="add only the ASB cases, MARAC referrals and missing episodes to a database that already holds the rest",
    )
    parser.add_argument(
        "--missing-only",
        action="store_true",
        help="add only the missing episodes to a database that already holds the rest",
    )
    args = parser.parse_args()

    if connection.vendor != "postgresql":
        raise SystemExit("bench/generate.py needs PostgreSQL: set DATABASE_URL=postgres://…/saferhub_bench")
    if args.reset:
        recreate_database()
    else:
        create_database_if_missing()
        call_command("migrate", verbosity=0)
    Partnership = apps.get_model("accounts.Partnership")  # noqa: N806
    if args.modules_only:
        modules(args.asb_cases, args.marac_referrals, args.missing_episodes)
        return
    if args.missing_only:
        missing_module(args.missing_episodes)
        return
    if Partnership.objects.filter(slug__startswith=SLUG_PREFIX).exists():
        raise SystemExit("This database already holds bench data: run again with --reset to start afresh.")

    people_total = max(args.cases * 3 // 10, args.partnerships * 10)
    people_per_partnership = people_total // args.partnerships
    print(
        f"Generating {args.cases:,} cases in {args.partnerships} partnerships on {settings.DATABASES['default']['NAME']} …"
    )
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO off")
        cursor.execute("SELECT setseed(0.2024)")
    with step("structure and users"):
        structure(args.partnerships)
    with step("people"):
        people(people_per_partnership * args.partnerships, args.partnerships)
    with step("cases"):
        cases(args.cases, args.partnerships)
    case_details(people_per_partnership)
    with step("referrals"):
        referrals(max(args.cases // 20, 1), args.partnerships, people_per_partnership)
    with step("hub team and code lists"):
        hub_structure()
    with step("hub referrals"):
        hub_referrals(args.hub_referrals, people_per_partnership)
    modules(args.asb_cases, args.marac_referrals, args.missing_episodes, vacuum=False)
    # VACUUM as well, so index-only scans work as they would on a settled database.
    with step("VACUUM ANALYZE"):
        execute("VACUUM ANALYZE")
    print(f"Done in {time.perf_counter() - started:.0f} s.")
    with connection.cursor() as cursor:
        for label in (
            "accounts.User",
            "people.Person",
            "cases.Case",
            "cases.Participant",
            "cases.Note",
            "cases.Action",
            "cases.StageLog",
            "cases.CaseShare",
            "cases.RestrictedAccess",
            "cases.Referral",
            "victims.HubReferral",
            "victims.SupportDelivered",
            "missing.Episode",
            "missing.StrategyMeeting",
        ):
            cursor.execute(f"SELECT count(*) FROM {table(label)}")  # noqa: S608
            print(f"  {label:<24}{cursor.fetchone()[0]:>12,}")
    print("Sign in as e.g. p1-t1-u1@bench.saferhub.invalid (bench/run.py does this with force_login).")


if __name__ == "__main__":
    main()
