from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "saferhub.search"
    label = "search"
    verbose_name = "Search, exports and attachments"
