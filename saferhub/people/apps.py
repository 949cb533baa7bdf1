from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "saferhub.people"
    label = "people"
