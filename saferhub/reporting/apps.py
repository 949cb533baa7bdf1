from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "saferhub.reporting"
    label = "reporting"
