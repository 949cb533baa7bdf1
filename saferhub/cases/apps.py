from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "saferhub.cases"
    label = "cases"

    def ready(self) -> None:
        from django.urls import register_converter

        from saferhub.cases.converters import CaseReferenceConverter

        register_converter(CaseReferenceConverter, "caseref")
