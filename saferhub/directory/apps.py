from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "saferhub.directory"
    label = "directory"
