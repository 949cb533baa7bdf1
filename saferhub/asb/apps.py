from django.apps import AppConfig


class AsbConfig(AppConfig):
    name = "saferhub.asb"
    label = "asb"
    verbose_name = "Anti-social behaviour"

    def ready(self) -> None:
        from saferhub.accounts.partnerships import register_setup
        from saferhub.asb import imports, reports  # noqa: F401 - they register themselves
        from saferhub.asb.demo import build_demo
        from saferhub.asb.setup import setup_asb
        from saferhub.core.demo import register_demo

        register_setup(setup_asb)
        register_demo(build_demo)
