from django.apps import AppConfig


class PanelsConfig(AppConfig):
    name = "saferhub.panels"
    label = "panels"
