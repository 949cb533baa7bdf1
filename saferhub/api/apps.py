from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "saferhub.api"
    label = "api"
    verbose_name = "Open API"

    def ready(self) -> None:
        from saferhub.api import (
            schema,  # noqa: F401 - registers the authentication schemes with drf-spectacular
            sso_setup,
            webhooks,
        )
        from saferhub.cases import extensions

        extensions.register_referral_received(webhooks.referral_received)
        extensions.register_referral_decided(webhooks.referral_decided)
        extensions.register_case_shared(webhooks.case_shared)
        sso_setup.register()  # the set-up file's [single_sign_on]
