from django import template
from django.urls import reverse
from django.utils.html import format_html

from saferhub.api import sso

register = template.Library()


@register.simple_tag
def sso_sign_in_link() -> str:
    """The 'sign in with your organisation's account' button, when single sign-on is set up."""
    if not sso.enabled():
        return ""
    return format_html(
        '<p class="govuk-body"><a class="govuk-button govuk-button--secondary" data-module="govuk-button" href="{}">'
        "Sign in with your organisation’s account</a></p>",
        reverse("api-pages:sso-sign-in"),
    )
