from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from saferhub.api import sso

register = template.Library()


@register.simple_tag
def sso_sign_in_link() -> str:
    """A 'Sign in with <provider>' button for each partnership whose single sign-on is set up.

    Below the button of a partnership whose password sign-in is switched off, a line says so: its
    people see, before typing a password, that theirs is not the way in (said of the partnership,
    never of one e-mail address)."""
    found = sso.providers()
    if not found:
        return ""
    return format_html_join("", "{}", ((_button(provider),) for provider in found))


def _button(provider: sso.Provider) -> SafeString:
    url = reverse("api-pages:sso-sign-in-partnership", kwargs={"partnership": provider.partnership_slug})
    button = format_html(
        '<p class="govuk-body"><a class="govuk-button govuk-button--secondary{}" data-module="govuk-button" '
        'href="{}">Sign in with {}</a></p>',
        "" if provider.password_sign_in else " govuk-!-margin-bottom-2",
        url,
        provider.name,
    )
    if provider.password_sign_in:
        return button
    return format_html(
        '{}<p class="govuk-body" data-testid="sso-only">People of {} sign in with {} only, not with a password.</p>',
        button,
        provider.partnership_name,
        provider.name,
    )
