from typing import Any

from django.apps import AppConfig
from django.urls import reverse


class RjConfig(AppConfig):
    name = "saferhub.rj"
    label = "rj"
    verbose_name = "Restorative justice"

    def ready(self) -> None:
        from saferhub.accounts.partnerships import register_setup
        from saferhub.cases.extensions import register_case_links
        from saferhub.core.demo import register_demo
        from saferhub.rj import (  # noqa: F401 - register the duty, the import kind and the return
            duties,
            imports,
            report,
        )
        from saferhub.rj.demo import build_demo
        from saferhub.rj.setup import setup_rj

        register_setup(setup_rj)
        register_demo(build_demo)
        register_case_links(rj_links)


def rj_links(case: Any, user: Any, access: Any) -> list[tuple[str, str]]:
    """An `rj` case links to its RJ record (screening, parties, intervention, follow-up)."""
    from saferhub.rj.models import RjCase
    from saferhub.rj.setup import CASE_TYPE_CODE

    if case.case_type.code != CASE_TYPE_CODE:
        return []
    pk = RjCase.objects.filter(case=case).values_list("pk", flat=True).first()
    return [("Restorative justice record", reverse("rj:case", args=[pk]))] if pk else []
