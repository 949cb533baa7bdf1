from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "saferhub.governance"
    label = "governance"
    verbose_name = "Partnership governance"

    def ready(self) -> None:
        from saferhub.core.demo import register_demo
        from saferhub.governance import imports, indicator_report, provider_imports, reports  # noqa: F401 - they register themselves
        from saferhub.governance.demo import build_demo
        from saferhub.governance.strategy_demo import build_strategy_demo

        register_demo(build_demo)
        # After the activities and the action plan: its indicators take figures of their returns.
        register_demo(build_strategy_demo)
