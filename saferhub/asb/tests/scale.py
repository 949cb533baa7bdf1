"""Synthetic data at the scale of seed 002 §4.1 (a helper module: it holds no tests), built with bulk_create."""

import datetime
import itertools

from saferhub.asb.actions import asb_case_type
from saferhub.asb.models import AsbCase, CaseReview, Intervention, InterventionStatus
from saferhub.cases.models import Case
from saferhub.core.models import ReferenceCode, ReferenceList

CURRENT = (datetime.date(2022, 4, 1), datetime.date(2023, 3, 31))
PREVIOUS = (datetime.date(2021, 4, 1), datetime.date(2022, 3, 31))
# Invented split of the 3,602 and 2,495 cases across the categories.
CATEGORY_SPLIT = {
    "fly_tipping": (1510, 905),
    "asb_nuisance": (640, 480),
    "asb_personal": (410, 350),
    "asb_environmental": (380, 300),
    "unauthorised_encampment": (95, 60),
    "members_enquiry": (260, 190),
    "section_34": (180, 120),
    "cs_marac": (27, 30),
    "other": (100, 60),
}
TOOLS = {"cpn_warning": 240, "cpn": 8, "warning_letter": 35, "closure_order": 2, "fpn": 32}
FPN_SPLIT = {"CST13": 12, "CST01": 8, "CST09": 5, "CST07a": 4, "CST11": 3}


def _days(period, n):
    start, end = period
    span = (end - start).days + 1
    return [start + datetime.timedelta(days=(i * 7919) % span) for i in range(n)]


def build_scale(partnership, team) -> None:
    case_type = asb_case_type(partnership)
    codes = {
        c.code: c
        for c in ReferenceCode.objects.filter(
            partnership=partnership,
            code_list__in=[ReferenceList.ASB_CASE_CATEGORY, ReferenceList.ASB_TOOL_OR_POWER, ReferenceList.FPN_OFFENCE],
        )
    }
    cases, categories = [], []
    counter = itertools.count(1)
    for category, counts in CATEGORY_SPLIT.items():
        for period, n in zip((CURRENT, PREVIOUS), counts, strict=True):
            for day in _days(period, n):
                cases.append(
                    Case(
                        partnership=partnership,
                        case_type=case_type,
                        owning_team=team,
                        opened_on=day,
                        reference=f"ASB-{day.year}-S{next(counter):05d}",
                        title="Synthetic ASB case",
                    )
                )
                categories.append(codes[category])
    Case.objects.bulk_create(cases, batch_size=1000)
    AsbCase.objects.bulk_create(
        [
            AsbCase(case=case, partnership=partnership, category=category)
            for case, category in zip(cases, categories, strict=True)
        ],
        batch_size=1000,
    )
    items = []
    offences = [code for code, n in FPN_SPLIT.items() for _ in range(n)]
    for tool, n in TOOLS.items():
        for i, day in enumerate(_days(CURRENT, n)):
            fpn = tool == "fpn"
            items.append(
                Intervention(
                    partnership=partnership,
                    kind=codes[tool],
                    served_on=day,
                    case=cases[i],
                    offence=codes[offences[i]] if fpn else None,
                    amount_pence=10000 if fpn else None,
                    status=InterventionStatus.UNPAID if fpn else InterventionStatus.ACTIVE,
                )
            )
    # Previous year's tools and powers must not be counted.
    items += [
        Intervention(partnership=partnership, kind=codes["cpn_warning"], served_on=day) for day in _days(PREVIOUS, 50)
    ]
    Intervention.objects.bulk_create(items)
    reviews = [
        CaseReview(
            partnership=partnership,
            reference=f"ACR-S-{i}",
            applied_on=day,
            threshold_met=i < 5,
            review_held_on=day + datetime.timedelta(days=30) if i < 5 else None,
            recommendations_made=True if i < 3 else None,
        )
        for i, day in enumerate(_days(CURRENT, 11))
    ]
    CaseReview.objects.bulk_create(reviews)
