from django.apps import AppConfig


class AsbConfig(AppConfig):
    name = "saferhub.asb"
    label = "asb"
