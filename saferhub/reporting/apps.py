from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "saferhub.reporting"
    label = "reporting"
    verbose_name = "Reporting"

    def ready(self) -> None:
        # Report kinds register themselves; subject apps import their own `reports` module the same way.
        from saferhub.reporting import caseload  # noqa: F401
