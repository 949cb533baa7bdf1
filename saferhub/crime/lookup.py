"""LSOA codes (2021, or 2011 through the partnership's ONS lookup) to the partnership's wards, set-wise.

The same rule as `saferhub.places.lsoas` (a 2021 code, else a 2011 code's 2021 areas; a
split 2011 area has a ward only when all its parts lie in one), written as one SQL
relation `(code, ward_code)` so an import of millions of rows joins it in the database.
A code in the relation lies in the partnership's areas; `ward_code` is blank when the
parts lie in different wards.
"""

from typing import Any

from saferhub.crime.importing import fetch
from saferhub.places.models import Lsoa, Lsoa2011Link, Ward


def lookup_sql(partnership: Any) -> tuple[str, list[Any]]:
    lsoa, link, ward = Lsoa._meta.db_table, Lsoa2011Link._meta.db_table, Ward._meta.db_table
    sql = (
        f"SELECT l.code AS code, w.code AS ward_code FROM {lsoa} l JOIN {ward} w ON w.id = l.ward_id "  # noqa: S608
        "WHERE l.partnership_id = %s "
        "UNION ALL "
        "SELECT k.lsoa11_code AS code, CASE WHEN COUNT(DISTINCT l.ward_id) = 1 THEN MIN(w.code) ELSE '' END "
        f"FROM {link} k JOIN {lsoa} l ON l.partnership_id = k.partnership_id AND l.code = k.lsoa21_code "
        f"JOIN {ward} w ON w.id = l.ward_id WHERE k.partnership_id = %s "
        f"AND k.lsoa11_code NOT IN (SELECT code FROM {lsoa} WHERE partnership_id = %s) "
        "GROUP BY k.lsoa11_code"
    )
    return sql, [partnership.pk] * 3


def lsoa_join_sql(partnership: Any, code_expression: str) -> tuple[str, list[Any]]:
    """`LEFT JOIN (…) g ON g.code = <expression>`: g.code is null for a code outside the partnership."""
    sql, params = lookup_sql(partnership)
    return f"LEFT JOIN ({sql}) g ON g.code = {code_expression}", params


def ward_codes_by_lsoa(partnership: Any) -> dict[str, str]:
    sql, params = lookup_sql(partnership)
    return dict(fetch(sql, params))  # type: ignore[arg-type]
