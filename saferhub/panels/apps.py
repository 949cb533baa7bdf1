from typing import Any

from django.apps import AppConfig
from django.urls import reverse


class PanelsConfig(AppConfig):
    name = "saferhub.panels"
    label = "panels"
    verbose_name = "Panels"

    def ready(self) -> None:
        from saferhub.accounts.partnerships import register_setup
        from saferhub.cases.extensions import register_case_links
        from saferhub.core.demo import register_demo
        from saferhub.panels import (  # noqa: F401 - registers the import and report kinds
            duties,  # noqa: F401 - registers its team duty
            imports,
            reports,
        )
        from saferhub.panels.demo import build_demo
        from saferhub.panels.setup import install_panel_types

        register_setup(install_panel_types)
        register_case_links(panel_links)
        register_demo(build_demo)


def panel_links(case: Any, user: Any, access: Any) -> list[tuple[str, str]]:
    """A panel case links to its panel summary (hearings, information shared, actions)."""
    from saferhub.panels.models import PanelCase
    from saferhub.panels.setup import SHIPPED

    shipped = case.case_type.code in {definition.case_type_code for definition in SHIPPED}
    # Other case types (a partnership's own panel types, IOM's cohort review) link only from a case
    # that is on a panel (one query, only for those).
    if not shipped and not PanelCase.objects.filter(case_id=case.pk).exists():
        return []
    return [("Panel summary and hearings", reverse("panels:summary", kwargs={"reference": case.reference}))]
