"""Set-wise writing of `victim-hub-referrals` on PostgreSQL (saferhub/imports/staging.py).

Rows were parsed and checked in Python, exactly as in the batched path; here every new
referral is written with one `INSERT … SELECT` per table: its people, VCH case (referenced
from the partnership's sequence, numbers taken in file order), stage log, participant,
referral, hub record and support. A row whose text is what was imported before is counted
unchanged in one query. Rows that change a referral already in Saferhub, and a whole file
that repeats an external_ref, go through the batched writer, which handles their order.
"""

# SQL here is built from table and column names only; every value is a bound parameter.
# ruff: noqa: S608

from collections.abc import Sequence
from typing import Any

from django.conf import settings

from saferhub.cases.models import (
    Case,
    CaseReferenceSequence,
    CaseStatus,
    Participant,
    ParticipantRole,
    Referral,
    ReferralDecision,
    ReferralSource,
    StageLog,
)
from saferhub.imports.registry import Outcome
from saferhub.imports.runner import ImportContext, Row
from saferhub.imports.sqlcheck import fingerprint, literal
from saferhub.imports.staging import Stage, id_sequence, insert_select, param, table
from saferhub.people.models import Person, YesNoUnknown
from saferhub.victims.models import HubReferral, ReferralKind, SupportDelivered, VictimType

COLUMNS = (
    ("ext", "text"),
    ("fingerprint", "text"),
    ("title", "text"),
    ("role", "text"),
    ("received_on", "date"),
    ("closed_on", "date"),
    ("from_agency_id", "bigint"),
    ("referral_kind", "text"),
    ("victim_type", "text"),
    ("crime_type_id", "bigint"),
    ("incident_date", "date"),
    ("incident_in_area", "text"),
    ("reported_to_police", "text"),
    ("police_reference", "text"),
    ("assisting_investigation", "text"),
    ("vcop_informed_on", "date"),
    ("rj_informed_on", "date"),
    ("person_ref", "text"),
    ("has_details", "boolean"),
    ("first_name", "text"),
    ("last_name", "text"),
    ("date_of_birth", "date"),
    ("age", "integer"),
    ("gender", "text"),
    ("ethnicity", "text"),
    ("disability", "text"),
    ("support_ids", "bigint[]"),
)


def stage_row(row: Row, fingerprint: str, title: str, role: str, has_details: bool) -> Sequence[Any]:
    ethnicity = row["ethnicity"]
    return (
        row["external_ref"],
        fingerprint,
        title,
        role,
        row["received_on"],
        row["closed_on"],
        row["referrer_organisation"].pk,
        row["referral_kind"],
        row["victim_type"] or "",
        row["crime_type"].pk,
        row["incident_date"],
        row.get("incident_in_area", YesNoUnknown.UNKNOWN),
        row.get("reported_to_police", YesNoUnknown.UNKNOWN),
        row["police_reference"] or "",
        row.get("assisting_investigation", YesNoUnknown.UNKNOWN),
        row["vcop_informed_on"],
        row["rj_informed_on"],
        row["person_ref"],
        has_details,
        row["first_name"],
        row["last_name"],
        row["date_of_birth"],
        row["age"],
        row["gender"],
        ethnicity.code if ethnicity is not None else None,
        row["disability"],
        [code.pk for code in row.get("support_provided", [])],
    )


def stage_sql(ctx: ImportContext, title: str, person_columns: Sequence[str]) -> list[str]:
    """The SQL of COLUMNS for a row checked set-wise (saferhub/imports/sqlcheck.py): what stage_row() gives."""
    victim = literal(ReferralKind.VICTIM.value)
    kind = f"CASE WHEN v_referral_kind = {victim} THEN 'victim support' ELSE 'crime prevention' END"
    before, between, after = _split_title(title)
    unknown = literal(YesNoUnknown.UNKNOWN.value)
    return [
        "v_external_ref",
        fingerprint(ctx.present_columns),
        f"left({literal(before)} || v_crime_type__label || {literal(between)} || {kind} || {literal(after)}, 200)",
        f"""CASE WHEN v_referral_kind <> {victim} THEN {literal(ParticipantRole.OTHER.value)}
            WHEN v_victim_type = {literal(VictimType.INDIRECT.value)} THEN {literal(ParticipantRole.INDIRECT_VICTIM.value)}
            ELSE {literal(ParticipantRole.DIRECT_VICTIM.value)} END""",
        "v_received_on",
        "v_closed_on",
        "v_referrer_organisation",
        "v_referral_kind",
        "coalesce(v_victim_type, '')",
        "v_crime_type",
        "v_incident_date",
        f"coalesce(v_incident_in_area, {unknown})",
        f"coalesce(v_reported_to_police, {unknown})",
        "coalesce(v_police_reference, '')",
        f"coalesce(v_assisting_investigation, {unknown})",
        "v_vcop_informed_on",
        "v_rj_informed_on",
        "v_person_ref",
        "(" + " OR ".join(f"v_{name} IS NOT NULL" for name in person_columns) + ")",
        "v_first_name",
        "v_last_name",
        "v_date_of_birth",
        "v_age",
        "v_gender",
        "v_ethnicity__code",
        "v_disability",
        "coalesce(v_support_provided, '{}'::bigint[])",
    ]


def _split_title(title: str) -> tuple[str, str, str]:
    before, rest = title.split("{crime}")
    between, after = rest.split("{kind}")
    return before, between, after


def _latest(column: str, condition: str | None = None) -> str:
    """The value of `column` on the file's last row that has one: later rows' details win, as in the batched path."""
    where = condition or f"s.{column} IS NOT NULL"
    return f"(array_agg(s.{column} ORDER BY s.line DESC) FILTER (WHERE {where}))[1]"


def _noon(column: str) -> tuple[str, list[Any]]:
    # Noon UK time, as the batched path's _noon().
    return f"(({column} + time '12:00') AT TIME ZONE %s)", [settings.TIME_ZONE]


def write_staged(ctx: ImportContext, stage: Stage, team: Any, case_type: Any, reason: str) -> dict[Outcome, int]:
    s = stage.table
    partnership_id = ctx.partnership.pk
    user_id = ctx.user.pk if getattr(ctx.user, "pk", None) else None
    if stage.fetchall(f"SELECT 1 FROM {s} GROUP BY ext HAVING count(*) > 1 LIMIT 1"):
        # An external_ref repeated in the file: its later rows update what the earlier ones wrote.
        stage.replay_where()
        return {}
    exists = (
        f"EXISTS (SELECT 1 FROM {table(HubReferral)} h "
        "WHERE h.partnership_id = %s AND h.external_ref = s.ext AND h.external_ref <> '')"
    )
    # A row whose text is what was imported before is unchanged (the batched writer's test, set-wise).
    same = exists[:-1] + " AND h.import_fingerprint = s.fingerprint)"
    unchanged = stage.fetchall(f"SELECT count(*) FROM {s} s WHERE {same}", [partnership_id])[0][0]
    stage.replay_where(f"{exists} AND NOT {same}", [partnership_id, partnership_id])

    # People named by person_ref: found (external_ref is unique in the partnership) or new.
    people = f"{s}_people"
    stage.execute(
        f"""CREATE TEMPORARY TABLE {people} ON COMMIT DROP AS
        SELECT s.person_ref, p.id, p.id IS NULL AS is_new,
               {_latest("first_name")} AS first_name, {_latest("last_name")} AS last_name,
               {_latest("date_of_birth")} AS date_of_birth, {_latest("gender")} AS gender,
               {_latest("ethnicity")} AS ethnicity, {_latest("disability")} AS disability,
               {_latest("age", "s.age IS NOT NULL AND s.date_of_birth IS NULL")} AS age,
               {_latest("received_on", "s.age IS NOT NULL AND s.date_of_birth IS NULL")} AS age_recorded_on
        FROM {s} s
        LEFT JOIN {table(Person)} p
          ON p.partnership_id = %s AND p.external_ref = s.person_ref AND p.external_ref <> ''
        WHERE s.person_ref IS NOT NULL AND NOT {exists}
        GROUP BY s.person_ref, p.id""",
        [partnership_id, partnership_id],
    )
    stage.execute(f"UPDATE {people} SET id = {id_sequence(Person)} WHERE is_new")
    # Temporary tables are never analysed automatically: without it the planner guesses the join below.
    stage.execute(f"ANALYZE {people}")

    # The new rows, with the ids of everything they create.
    new = f"{s}_new"
    stage.execute(
        f"""CREATE TEMPORARY TABLE {new} ON COMMIT DROP AS
        SELECT s.line, {", ".join(f"s.{name}" for name, _ in COLUMNS)},
               extract(year FROM s.received_on)::integer AS year,
               {id_sequence(Case)} AS case_id, {id_sequence(Referral)} AS referral_id,
               {id_sequence(HubReferral)} AS hub_id,
               s.person_ref IS NULL AND s.has_details AS anonymous,
               CASE WHEN s.person_ref IS NULL AND s.has_details THEN {id_sequence(Person)} ELSE pe.id END
                   AS person_id
        FROM {s} s LEFT JOIN {people} pe ON pe.person_ref = s.person_ref
        WHERE NOT {exists}""",
        [partnership_id],
    )
    created = stage.fetchall(f"SELECT count(*) FROM {new}")[0][0]
    if not created:
        return {Outcome.UNCHANGED: unchanged}

    person = {
        "partnership_id": param(partnership_id),
        "created_by_id": param(user_id),
        "first_name": "coalesce(first_name, '')",
        "last_name": "coalesce(last_name, '')",
        "date_of_birth": "date_of_birth",
        "age": "age",
        "age_recorded_on": "age_recorded_on",
        "gender": "coalesce(gender, '')",
        "ethnicity": "coalesce(ethnicity, '')",
        "disability": f"coalesce(disability, '{YesNoUnknown.UNKNOWN}')",
    }
    insert_select(
        Person,
        {**person, "id": "id", "external_ref": "person_ref"},
        f"FROM {people} WHERE is_new",
    )
    insert_select(
        Person,
        {
            **person,
            "id": "person_id",
            "age": "CASE WHEN date_of_birth IS NULL THEN age END",
            "age_recorded_on": "CASE WHEN date_of_birth IS NULL AND age IS NOT NULL THEN received_on END",
        },
        f"FROM {new} WHERE anonymous ORDER BY line",
    )
    # Found people get the file's details; blank cells leave what is known alone.
    kept = ("first_name", "last_name", "date_of_birth", "gender", "ethnicity", "disability")
    stage.execute(
        f"""UPDATE {table(Person)} p SET
            {", ".join(f"{name} = coalesce(t.{name}, p.{name})" for name in kept)},
            age = coalesce(t.age, p.age),
            age_recorded_on = CASE WHEN t.age IS NOT NULL THEN t.age_recorded_on ELSE p.age_recorded_on END,
            modified_by_id = %s
        FROM {people} t
        WHERE p.id = t.id AND NOT t.is_new AND (
            {" OR ".join(f"p.{name} IS DISTINCT FROM coalesce(t.{name}, p.{name})" for name in kept)}
            OR (t.age IS NOT NULL AND (p.age, p.age_recorded_on) IS DISTINCT FROM (t.age, t.age_recorded_on)))""",
        [user_id],
    )

    # Case references: VCH-YYYY-NNNNN, numbers taken in file order under the sequence rows' lock.
    insert_select(
        CaseReferenceSequence,
        {
            "partnership_id": param(partnership_id),
            "prefix": param(case_type.prefix),
            "year": "year",
            "last_number": "0",
        },
        f"FROM (SELECT DISTINCT year FROM {new}) y ON CONFLICT DO NOTHING",
    )
    sequence = table(CaseReferenceSequence)
    stage.execute(
        f"SELECT 1 FROM {sequence} WHERE partnership_id = %s AND prefix = %s FOR UPDATE",
        [partnership_id, case_type.prefix],
    )
    numbered = f"""FROM (
            SELECT n.*, q.last_number + row_number() OVER (PARTITION BY n.year ORDER BY n.line) AS number
            FROM {new} n JOIN {sequence} q ON q.partnership_id = %s AND q.prefix = %s AND q.year = n.year
        ) n"""
    insert_select(
        Case,
        {
            "id": "case_id",
            "partnership_id": param(partnership_id),
            "case_type_id": param(case_type.pk),
            "owning_team_id": param(team.pk),
            "created_by_id": param(user_id),
            "modified_by_id": param(user_id),
            "reference": (
                "%s || '-' || year || '-' || CASE WHEN number < 100000 "
                "THEN lpad(number::text, 5, '0') ELSE number::text END",
                [case_type.prefix],
            ),
            "title": "title",
            "status": f"CASE WHEN closed_on IS NULL THEN '{CaseStatus.OPEN}' ELSE '{CaseStatus.CLOSED}' END",
            "opened_on": "received_on",
            "closed_on": "closed_on",
            "external_ref": "ext",
        },
        numbered,
        [partnership_id, case_type.prefix],
    )
    stage.execute(
        f"""UPDATE {sequence} q SET last_number = q.last_number + c.count
        FROM (SELECT year, count(*) AS count FROM {new} GROUP BY year) c
        WHERE q.partnership_id = %s AND q.prefix = %s AND q.year = c.year""",
        [partnership_id, case_type.prefix],
    )
    log = {"case_id": "case_id", "by_id": param(user_id), "reason": "'Imported'"}
    insert_select(
        StageLog,
        {**log, "from_status": "''", "to_status": f"'{CaseStatus.OPEN}'", "at": _noon("received_on")},
        f"FROM {new} ORDER BY line",
    )
    insert_select(
        StageLog,
        {**log, "from_status": f"'{CaseStatus.OPEN}'", "to_status": f"'{CaseStatus.CLOSED}'", "at": _noon("closed_on")},
        f"FROM {new} WHERE closed_on IS NOT NULL ORDER BY line",
    )
    insert_select(
        Participant,
        {"case_id": "case_id", "person_id": "person_id", "role": "role", "added_by_id": param(user_id)},
        f"FROM {new} WHERE person_id IS NOT NULL ORDER BY line",
    )
    insert_select(
        Referral,
        {
            "id": "referral_id",
            "partnership_id": param(partnership_id),
            "source": param(ReferralSource.AGENCY.value),
            "from_agency_id": "from_agency_id",
            "to_team_id": param(team.pk),
            "case_type_id": param(case_type.pk),
            "received_at": _noon("received_on"),
            "reason": param(reason),
            "person_id": "person_id",
            "decision": param(ReferralDecision.ACCEPTED.value),
            "decided_at": _noon("received_on"),
            "case_id": "case_id",
            "external_ref": "ext",
            "created_by_id": param(user_id),
            "modified_by_id": param(user_id),
        },
        f"FROM {new} ORDER BY line",
    )
    # The age at referral: the row's age, else the person's (as they are now) on the day received.
    age_at_referral = """CASE
        WHEN n.date_of_birth IS NULL AND n.age IS NOT NULL THEN n.age
        WHEN p.date_of_birth IS NOT NULL THEN date_part('year', age(n.received_on, p.date_of_birth))::integer
        WHEN p.age IS NOT NULL
            THEN p.age + greatest(0, (n.received_on - coalesce(p.age_recorded_on, n.received_on)) / 365)
        END"""
    insert_select(
        HubReferral,
        {
            "id": "n.hub_id",
            "partnership_id": param(partnership_id),
            "referral_id": "n.referral_id",
            "external_ref": "n.ext",
            "import_fingerprint": "n.fingerprint",
            "received_on": "n.received_on",
            "referral_kind": "n.referral_kind",
            "victim_type": "n.victim_type",
            "crime_type_id": "n.crime_type_id",
            "incident_date": "n.incident_date",
            "incident_in_area": "n.incident_in_area",
            "reported_to_police": "n.reported_to_police",
            "police_reference": "n.police_reference",
            "assisting_investigation": "n.assisting_investigation",
            "age_at_referral": age_at_referral,
            "vcop_informed_on": "n.vcop_informed_on",
            "rj_informed_on": "n.rj_informed_on",
        },
        f"FROM {new} n LEFT JOIN {table(Person)} p ON p.id = n.person_id ORDER BY n.line",
    )
    insert_select(
        SupportDelivered,
        {"hub_referral_id": "n.hub_id", "support_type_id": "u.code", "recorded_by_id": param(user_id)},
        f"FROM {new} n CROSS JOIN LATERAL unnest(n.support_ids) WITH ORDINALITY AS u(code, position) "
        "ORDER BY n.line, u.position",
    )
    return {Outcome.CREATED: created, Outcome.UNCHANGED: unchanged}
