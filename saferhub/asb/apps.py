from typing import Any

from django.apps import AppConfig
from django.urls import reverse


class AsbConfig(AppConfig):
    name = "saferhub.asb"
    label = "asb"
    verbose_name = "Anti-social behaviour"

    def ready(self) -> None:
        from saferhub.accounts.partnerships import register_setup
        from saferhub.asb import (  # noqa: F401 - they register themselves
            duties,  # noqa: F401 - registers its team duty
            imports,
            reports,
        )
        from saferhub.asb.demo import build_demo
        from saferhub.asb.setup import setup_asb
        from saferhub.cases.extensions import register_case_links
        from saferhub.core.demo import register_demo

        register_setup(setup_asb)
        register_demo(build_demo)
        register_case_links(asb_links)


def asb_links(case: Any, user: Any, access: Any) -> list[tuple[str, str]]:
    """An ASB case links to its ASB record (reports, tools and powers, Case Reviews)."""
    from saferhub.asb.models import ASB_CASE_TYPE_CODE

    if case.case_type.code != ASB_CASE_TYPE_CODE:
        return []
    return [("ASB record: reports, tools and powers", reverse("asb:case", kwargs={"reference": case.reference}))]
