from typing import Any

from django.apps import AppConfig
from django.urls import reverse


class VictimsConfig(AppConfig):
    name = "saferhub.victims"
    label = "victims"
    verbose_name = "Victim Care Hub"

    def ready(self) -> None:
        from saferhub.accounts.partnerships import register_setup
        from saferhub.cases.extensions import (
            register_case_links,
            register_case_status_changed,
            register_referral_decided,
        )
        from saferhub.core.demo import register_demo
        from saferhub.victims import (  # noqa: F401 - register the import kind and the return
            duties,  # noqa: F401 - registers its team duty
            imports,
            report,
        )
        from saferhub.victims.actions import refresh_queue_for_case, refresh_queue_for_referral
        from saferhub.victims.demo import build_demo
        from saferhub.victims.hub import setup_hub

        register_setup(setup_hub)
        register_demo(build_demo)
        register_case_links(hub_links)
        register_referral_decided(refresh_queue_for_referral)
        register_case_status_changed(refresh_queue_for_case)


def hub_links(case: Any, user: Any, access: Any) -> list[tuple[str, str]]:
    """A Victim Care Hub case links to its hub record (triage, care plan, support, rights)."""
    from saferhub.victims.hub import CASE_TYPE_CODE
    from saferhub.victims.models import HubReferral

    if case.case_type.code != CASE_TYPE_CODE:
        return []
    pk = HubReferral.objects.filter(referral__case=case).values_list("pk", flat=True).first()
    return [("Victim Care Hub record", reverse("victims:referral", args=[pk]))] if pk else []
