from django.apps import AppConfig


class VictimsConfig(AppConfig):
    name = "saferhub.victims"
    label = "victims"
    verbose_name = "Victim Care Hub"

    def ready(self) -> None:
        from saferhub.accounts.partnerships import register_setup
        from saferhub.victims import imports, report  # noqa: F401 - register the import kind and the return
        from saferhub.victims.hub import setup_hub

        register_setup(setup_hub)
