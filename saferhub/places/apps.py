from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "saferhub.places"
    label = "places"

    def ready(self) -> None:
        # Import kinds `geography`, `population` and `lsoa-2011-lookup` register themselves.
        from saferhub.places import imports  # noqa: F401
