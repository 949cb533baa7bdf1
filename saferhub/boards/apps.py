from django.apps import AppConfig


class BoardsConfig(AppConfig):
    name = "saferhub.boards"
    label = "boards"
    verbose_name = "Boards and meetings"

    def ready(self) -> None:
        from saferhub.boards.demo import build_demo
        from saferhub.core.demo import register_demo

        register_demo(build_demo)
