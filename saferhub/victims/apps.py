from django.apps import AppConfig


class VictimsConfig(AppConfig):
    name = "saferhub.victims"
    label = "victims"
