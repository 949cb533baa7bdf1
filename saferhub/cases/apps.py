from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "saferhub.cases"
    label = "cases"
