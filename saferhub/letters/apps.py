from typing import Any

from django.apps import AppConfig
from django.urls import reverse


class LettersConfig(AppConfig):
    name = "saferhub.letters"
    label = "letters"
    verbose_name = "Letters"

    def ready(self) -> None:
        from saferhub.accounts.partnerships import register_setup
        from saferhub.cases.extensions import register_case_links
        from saferhub.letters.actions import setup_letters

        register_setup(setup_letters)
        register_case_links(letter_links)


def letter_links(case: Any, user: Any, access: Any) -> list[tuple[str, str]]:
    """A case of a type that sends letters links to the letters filed on it."""
    from saferhub.letters.views import CASE_TYPE_KINDS

    if case.case_type.code not in CASE_TYPE_KINDS:
        return []
    return [("Letters", reverse("letters:case", kwargs={"reference": case.reference}))]
