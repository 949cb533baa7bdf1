from typing import Any

from django.apps import AppConfig
from django.urls import reverse


class MissingConfig(AppConfig):
    name = "saferhub.missing"
    label = "missing"
    verbose_name = "Missing children and exploitation"

    def ready(self) -> None:
        from saferhub.accounts.partnerships import register_setup
        from saferhub.cases.extensions import register_case_links
        from saferhub.core.demo import register_demo
        from saferhub.missing import (  # noqa: F401 - register the duty, the import kind and the return
            duties,
            imports,
            reports,
        )
        from saferhub.missing.config import setup_missing
        from saferhub.missing.demo import build_demo

        register_setup(setup_missing)
        register_demo(build_demo)
        register_case_links(child_links)


def child_links(case: Any, user: Any, access: Any) -> list[tuple[str, str]]:
    """A missing child's case links to the child's episodes and contextual safeguarding network."""
    from saferhub.missing.config import CASE_TYPE_CODE
    from saferhub.missing.models import MissingChild

    if case.case_type.code != CASE_TYPE_CODE:
        return []
    pk = MissingChild.objects.filter(case=case).values_list("pk", flat=True).first()
    return [("Missing episodes", reverse("missing:child", args=[pk]))] if pk else []
