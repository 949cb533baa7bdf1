from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "saferhub.retention"
    verbose_name = "Retention and subject access"
