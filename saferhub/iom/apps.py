from typing import Any

from django.apps import AppConfig
from django.urls import reverse


class IomConfig(AppConfig):
    name = "saferhub.iom"
    label = "iom"
    verbose_name = "Integrated Offender Management"

    def ready(self) -> None:
        from saferhub.accounts.partnerships import register_setup
        from saferhub.cases.extensions import register_case_links
        from saferhub.core.demo import register_demo
        from saferhub.iom import (  # noqa: F401 - register the duty, import kinds and the return
            duties,
            imports,
            kpi_report,
            report,
            reviews,
            transitions,
        )
        from saferhub.iom.demo import build_demo
        from saferhub.iom.setup import setup_iom
        from saferhub.panels import extensions as panel_extensions

        register_setup(setup_iom)
        register_setup(reviews.install_review_panel)  # after setup_iom: it needs the `iom` case type
        panel_extensions.register_case_source(reviews.panel_case_source)
        panel_extensions.register_case_keeper(reviews.keeps_case_open)
        panel_extensions.register_agenda_details(reviews.agenda_details)
        register_demo(build_demo)
        register_case_links(stay_links)


def stay_links(case: Any, user: Any, access: Any) -> list[tuple[str, str]]:
    """An `iom` case links to its cohort record (plan, RAG history, offences, contacts)."""
    from saferhub.iom.models import CohortStay
    from saferhub.iom.setup import CASE_TYPE_CODE

    if case.case_type.code != CASE_TYPE_CODE:
        return []
    pk = CohortStay.objects.filter(case=case).values_list("pk", flat=True).first()
    return [("IOM cohort record", reverse("iom:stay", args=[pk]))] if pk else []
