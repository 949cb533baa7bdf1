from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "saferhub.search"
    label = "search"
    verbose_name = "Casework: search, exports, case summaries and attachments"
