from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "saferhub.notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from saferhub.core.demo import register_demo
        from saferhub.notifications.demo import build_demo

        register_demo(build_demo)
