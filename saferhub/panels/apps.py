from django.apps import AppConfig


class PanelsConfig(AppConfig):
    name = "saferhub.panels"
    label = "panels"
    verbose_name = "Panels"

    def ready(self) -> None:
        from saferhub.accounts.partnerships import register_setup
        from saferhub.core.demo import register_demo
        from saferhub.panels import imports, reports  # noqa: F401 - registers the import and report kinds
        from saferhub.panels.demo import build_demo
        from saferhub.panels.setup import install_panel_types

        register_setup(install_panel_types)
        register_demo(build_demo)
