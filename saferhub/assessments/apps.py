from typing import Any

from django.apps import AppConfig
from django.urls import reverse


class AssessmentsConfig(AppConfig):
    name = "saferhub.assessments"
    label = "assessments"
    verbose_name = "Assessments"

    def ready(self) -> None:
        from saferhub.accounts.partnerships import register_setup
        from saferhub.assessments.definitions import install_templates
        from saferhub.cases.extensions import register_case_links

        # Every partnership gets the shipped templates; installing again changes nothing.
        register_setup(install_templates)
        register_case_links(assessment_links)


def assessment_links(case: Any, user: Any, access: Any) -> list[tuple[str, str]]:
    return [("Assessments", reverse("assessments:case-list", kwargs={"reference": case.reference}))]
