from django.apps import AppConfig


class CrimeConfig(AppConfig):
    name = "saferhub.crime"
    label = "crime"
    verbose_name = "Police recorded crime"

    def ready(self) -> None:
        from saferhub.core.demo import register_demo
        from saferhub.crime import imports, report  # noqa: F401 - register the import kinds and the dashboard
        from saferhub.crime.demo import build_demo

        register_demo(build_demo)
