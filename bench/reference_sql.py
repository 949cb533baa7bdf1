"""Hand-written SQL answering the same questions as the pages and returns that bench/run.py times.

Each function runs its SQL (PostgreSQL only) and returns what it computed, so a reader can
compare it with the application's answer; bench/run.py times it as the reference beside
the application's figure. These are what a careful analyst would write by hand: the
period's rows read once per kind of figure, joins only where a figure needs them.
"""

import datetime
import statistics
import time
from typing import Any

from django.db import connection
from django.utils import timezone

from saferhub.cases.models import CaseShare
from saferhub.people.search import normalise


def _run(sql: str, params: list[Any]) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# Search --------------------------------------------------------------------------------------

SEARCH = """
WITH people AS MATERIALIZED (
    SELECT id FROM people_person
    WHERE partnership_id = %(partnership)s
      AND (saferhub_search_name(first_name, last_name) LIKE %(like)s
           OR saferhub_search_name(first_name, last_name) %%> %(word)s)
), visible AS MATERIALIZED (
    SELECT id FROM cases_case
     WHERE partnership_id = %(partnership)s AND owning_team_id = %(team)s AND NOT restricted
           AND archived_at IS NULL
    UNION
    SELECT c.id FROM cases_caseshare s JOIN cases_case c ON c.id = s.case_id
     WHERE (s.agency_id = %(agency)s OR s.team_id = %(team)s) AND s.revoked_at IS NULL
           AND (s.expires_on IS NULL OR s.expires_on >= %(today)s) AND NOT c.restricted AND c.archived_at IS NULL
    UNION
    SELECT c.id FROM cases_restrictedaccess ra JOIN cases_case c ON c.id = ra.case_id
     WHERE ra.user_id = %(user)s AND c.restricted AND c.archived_at IS NULL
), matching AS (
    SELECT p.case_id AS id FROM cases_participant p JOIN visible v ON v.id = p.case_id
     WHERE p.person_id IN (SELECT id FROM people)
    UNION
    SELECT c.id FROM cases_case c JOIN visible v ON v.id = c.id WHERE c.title ILIKE %(like)s
)
SELECT c.id, c.reference, c.title, c.status, c.opened_on, ct.name, t.name, a.name, u.full_name
  FROM matching m
  JOIN cases_case c ON c.id = m.id
  JOIN cases_casetype ct ON ct.id = c.case_type_id
  JOIN accounts_team t ON t.id = c.owning_team_id
  JOIN accounts_agency a ON a.id = t.agency_id
  LEFT JOIN accounts_user u ON u.id = c.assigned_to_id
 ORDER BY c.opened_on DESC, c.id DESC
 LIMIT 26
"""


def _share_columns_exist() -> bool:
    names = {f.column for f in CaseShare._meta.concrete_fields}
    return {"revoked_at", "expires_on"} <= names


def search_sql(user: Any, surname: str, repeat: int) -> float:
    """p95 ms of the raw SQL for the first page of the user's cases matching a surname."""
    word = normalise(surname)
    params = {
        "like": f"%{word}%",
        "word": word,
        "partnership": user.partnership_id,
        "team": user.team_id,
        "agency": user.agency_id,
        "user": user.pk,
        "today": timezone.localdate(),
    }
    sql = SEARCH if _share_columns_exist() else SEARCH.replace("AND s.revoked_at IS NULL", "")
    _run(sql, params)  # type: ignore[arg-type]
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        _run(sql, params)  # type: ignore[arg-type]
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.quantiles(samples, n=100, method="inclusive")[94] if len(samples) > 1 else samples[0]


# Return victim-hub ---------------------------------------------------------------------------

HUB_ROWS = """
    FROM victims_hubreferral h
    JOIN cases_referral r ON r.id = h.referral_id
    LEFT JOIN cases_case c ON c.id = r.case_id
    LEFT JOIN accounts_agency a ON a.id = r.from_agency_id
    LEFT JOIN accounts_agency pa ON pa.id = a.parent_id
    LEFT JOIN people_person p ON p.id = r.person_id
    JOIN core_referencecode crime ON crime.id = h.crime_type_id
   WHERE h.partnership_id = %(p)s AND h.received_on BETWEEN %(from)s AND %(to)s
"""

HUB_TOTALS = """
SELECT count(*),
       count(*) FILTER (WHERE referral_kind = 'victim'),
       count(*) FILTER (WHERE referral_kind = 'victim' AND victim_type = 'direct'),
       count(*) FILTER (WHERE referral_kind = 'victim' AND victim_type = 'indirect'),
       count(*) FILTER (WHERE referral_kind = 'crime_prevention'),
       count(*) FILTER (WHERE referral_kind = 'victim' AND reported_to_police = 'yes'),
       count(*) FILTER (WHERE referral_kind = 'victim' AND reported_to_police = 'no'),
       count(*) FILTER (WHERE referral_kind = 'victim' AND reported_to_police = 'unknown'),
       count(*) FILTER (WHERE referral_kind = 'victim' AND reported_to_police = 'yes'
                        AND assisting_investigation = 'yes'),
       count(*) FILTER (WHERE referral_kind = 'victim' AND vcop_informed_on IS NOT NULL),
       count(*) FILTER (WHERE referral_kind = 'victim' AND rj_informed_on IS NOT NULL),
       count(*) FILTER (WHERE first_contact_on IS NOT NULL),
       count(*) FILTER (WHERE first_contact_on <= first_contact_due_on),
       count(*) FILTER (WHERE c.status = 'closed'),
       count(*) FILTER (WHERE satisfaction_start IS NOT NULL AND satisfaction_end IS NOT NULL),
       count(*) FILTER (WHERE satisfaction_end > satisfaction_start),
       avg(satisfaction_start) FILTER (WHERE satisfaction_end IS NOT NULL),
       avg(satisfaction_end) FILTER (WHERE satisfaction_start IS NOT NULL),
       count(*) FILTER (WHERE safety_start IS NOT NULL AND safety_end IS NOT NULL),
       count(*) FILTER (WHERE safety_end > safety_start),
       avg(safety_start) FILTER (WHERE safety_end IS NOT NULL),
       avg(safety_end) FILTER (WHERE safety_start IS NOT NULL)
    FROM victims_hubreferral h
    JOIN cases_referral r ON r.id = h.referral_id
    LEFT JOIN cases_case c ON c.id = r.case_id
   WHERE h.partnership_id = %(p)s AND h.received_on BETWEEN %(from)s AND %(to)s
"""

HUB_GROUPS = (
    """
SELECT GROUPING(organisation, grp, crime, band, gender, ethnicity, disability, month, quarter), organisation, grp,
       crime, band, gender, ethnicity, disability, month, quarter, count(*)
  FROM (
    SELECT CASE r.source WHEN 'agency' THEN coalesce(a.name, 'Agency not recorded')
                         WHEN 'self' THEN 'Self-referral' ELSE 'Anonymous referral' END AS organisation,
           CASE r.source WHEN 'agency' THEN coalesce(pa.name, a.name, 'Agency not recorded')
                         WHEN 'self' THEN 'Self-referral' ELSE 'Anonymous referral' END AS grp,
           crime.code AS crime,
           CASE WHEN h.age_at_referral < 18 THEN '0-17' WHEN h.age_at_referral < 25 THEN '18-24'
                WHEN h.age_at_referral < 35 THEN '25-34' WHEN h.age_at_referral < 45 THEN '35-44'
                WHEN h.age_at_referral < 55 THEN '45-54' WHEN h.age_at_referral < 65 THEN '55-64'
                WHEN h.age_at_referral >= 65 THEN '65+' ELSE 'not_known' END AS band,
           coalesce(nullif(p.gender, ''), 'not_known') AS gender,
           coalesce(nullif(p.ethnicity, ''), 'not_known') AS ethnicity,
           coalesce(p.disability, 'unknown') AS disability,
           date_trunc('month', h.received_on) AS month,
           date_trunc('quarter', h.received_on) AS quarter
    """
    + HUB_ROWS
    + """
  ) rows
 GROUP BY GROUPING SETS ((organisation, grp), (grp), (crime), (band), (gender), (ethnicity), (disability), (month), (quarter))
"""
)

HUB_SUPPORT = """
SELECT st.code, count(DISTINCT s.hub_referral_id)
  FROM victims_supportdelivered s
  JOIN victims_hubreferral h ON h.id = s.hub_referral_id
  JOIN core_referencecode st ON st.id = s.support_type_id
 WHERE h.partnership_id = %(p)s AND h.received_on BETWEEN %(from)s AND %(to)s
 GROUP BY st.code
"""


def victim_hub(partnership: Any, date_from: datetime.date, date_to: datetime.date) -> dict[str, Any]:
    params = {"p": partnership.pk, "from": date_from, "to": date_to}
    return {
        "totals": _run(HUB_TOTALS, params),  # type: ignore[arg-type]
        "groups": _run(HUB_GROUPS, params),  # type: ignore[arg-type]
        "support": _run(HUB_SUPPORT, params),  # type: ignore[arg-type]
    }


# Return asb ------------------------------------------------------------------------------------

ASB_CASES = """
SELECT a.category_id,
       count(*) FILTER (WHERE c.opened_on BETWEEN %(from)s AND %(to)s),
       count(*) FILTER (WHERE c.opened_on BETWEEN %(pfrom)s AND %(pto)s)
  FROM asb_asbcase a JOIN cases_case c ON c.id = a.case_id
 WHERE a.partnership_id = %(p)s AND c.opened_on BETWEEN %(pfrom)s AND %(to)s
 GROUP BY a.category_id
"""
ASB_TOOLS = """
SELECT GROUPING(i.kind_id, i.offence_id), i.kind_id, i.offence_id, count(*)
  FROM asb_intervention i JOIN core_referencecode k ON k.id = i.kind_id
 WHERE i.partnership_id = %(p)s AND i.served_on BETWEEN %(from)s AND %(to)s
 GROUP BY GROUPING SETS ((i.kind_id), (i.offence_id, k.code))
"""
ASB_REVIEWS = """
SELECT count(*), count(*) FILTER (WHERE threshold_met), count(*) FILTER (WHERE NOT threshold_met),
       count(*) FILTER (WHERE review_held_on IS NOT NULL), count(*) FILTER (WHERE recommendations_made)
  FROM asb_casereview WHERE partnership_id = %(p)s AND applied_on BETWEEN %(from)s AND %(to)s
"""


def asb(partnership: Any, date_from: datetime.date, date_to: datetime.date) -> dict[str, Any]:
    from saferhub.reporting.periods import previous_period

    previous_from, previous_to = previous_period(date_from, date_to)
    params = {"p": partnership.pk, "from": date_from, "to": date_to, "pfrom": previous_from, "pto": previous_to}
    return {
        "cases": _run(ASB_CASES, params),  # type: ignore[arg-type]
        "tools": _run(ASB_TOOLS, params),  # type: ignore[arg-type]
        "reviews": _run(ASB_REVIEWS, params),  # type: ignore[arg-type]
    }


# Return marac ----------------------------------------------------------------------------------

MARAC_TOTALS = """
SELECT date_trunc('quarter', referral_date - interval '3 months'), count(*), coalesce(sum(children_in_household), 0),
       count(*) FILTER (WHERE children_in_household >= 1), count(*) FILTER (WHERE is_repeat),
       count(*) FILTER (WHERE mental_health_need = 'yes')
  FROM panels_panelreferral pr JOIN panels_paneltype pt ON pt.id = pr.panel_type_id
 WHERE pr.partnership_id = %(p)s AND pt.code = 'da_marac' AND pr.status = 'accepted'
   AND pr.referral_date BETWEEN %(from)s AND %(to)s
 GROUP BY ROLLUP (1)
"""
MARAC_GROUPS = """
SELECT GROUPING(victim_gender, perpetrator_gender, relationship, agency), victim_gender, perpetrator_gender,
       relationship, agency, count(*)
  FROM (SELECT coalesce(nullif(pr.victim_gender, ''), 'not_stated') AS victim_gender,
               coalesce(nullif(pr.perpetrator_gender, ''), 'unknown') AS perpetrator_gender,
               coalesce(nullif(pr.relationship, ''), 'unknown') AS relationship, a.name AS agency
          FROM panels_panelreferral pr JOIN panels_paneltype pt ON pt.id = pr.panel_type_id
          LEFT JOIN accounts_agency a ON a.id = pr.referring_agency_id
         WHERE pr.partnership_id = %(p)s AND pt.code = 'da_marac' AND pr.status = 'accepted'
           AND pr.referral_date BETWEEN %(from)s AND %(to)s) rows
 GROUP BY GROUPING SETS ((victim_gender), (perpetrator_gender), (relationship), (agency))
"""


def marac(partnership: Any, date_from: datetime.date, date_to: datetime.date) -> dict[str, Any]:
    params = {"p": partnership.pk, "from": date_from, "to": date_to}
    return {
        "totals": _run(MARAC_TOTALS, params),  # type: ignore[arg-type]
        "groups": _run(MARAC_GROUPS, params),  # type: ignore[arg-type]
    }
