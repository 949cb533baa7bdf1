from django import template
from django.urls import reverse
from django.utils.html import format_html_join

from saferhub.api import sso

register = template.Library()


@register.simple_tag
def sso_sign_in_link() -> str:
    """A 'Sign in with <provider>' button for each partnership whose single sign-on is set up."""
    found = sso.providers()
    if not found:
        return ""
    return format_html_join(
        "",
        '<p class="govuk-body"><a class="govuk-button govuk-button--secondary" data-module="govuk-button" '
        'href="{}">Sign in with {}</a></p>',
        (
            (reverse("api-pages:sso-sign-in-partnership", kwargs={"partnership": p.partnership_slug}), p.name)
            for p in found
        ),
    )
