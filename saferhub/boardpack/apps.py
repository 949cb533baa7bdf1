from django.apps import AppConfig


class BoardPackConfig(AppConfig):
    name = "saferhub.boardpack"
    label = "boardpack"
    verbose_name = "Board pack"

    def ready(self) -> None:
        from saferhub.boardpack import report  # noqa: F401 - registers the board-pack return
        from saferhub.boardpack.demo import build_demo
        from saferhub.core.demo import register_demo

        register_demo(build_demo)
