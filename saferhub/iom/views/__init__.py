"""The IOM module's pages: the cohort (`cohort`) and the figures (`figures`), one view per action."""

from saferhub.iom.views.cohort import (
    adopt,
    contact_add,
    deselect,
    edit_details,
    index,
    offence_add,
    plan_add,
    plan_update,
    rag_add,
    stay,
)
from saferhub.iom.views.figures import (
    cost_add,
    cost_edit,
    costs,
    kpi_add,
    kpi_edit,
    kpis,
    reoffending,
    setting_add,
    settings_page,
)
from saferhub.iom.views.reviews import review_add

__all__ = [
    "adopt",
    "contact_add",
    "cost_add",
    "cost_edit",
    "costs",
    "deselect",
    "edit_details",
    "index",
    "kpi_add",
    "kpi_edit",
    "kpis",
    "offence_add",
    "plan_add",
    "plan_update",
    "rag_add",
    "reoffending",
    "review_add",
    "setting_add",
    "settings_page",
    "stay",
]
