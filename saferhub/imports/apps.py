from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "saferhub.imports"
    label = "imports"
    verbose_name = "Imports"

    def ready(self) -> None:
        # Import kinds register themselves; subject apps import their own `imports` module the same way.
        from saferhub.imports import organisations  # noqa: F401
