from django.apps import AppConfig


class SetupConfig(AppConfig):
    name = "saferhub.setup"
    label = "setup"
    verbose_name = "Partnership set-up"
