"""The partnership's public details on its public pages (read once per page, kept on the partnership)."""

from typing import Any

from django import template

from saferhub.letters.models import PartnershipBranding
from saferhub.letters.values import branding_for

register = template.Library()


@register.simple_tag
def public_branding(partnership: Any) -> PartnershipBranding:
    cached = getattr(partnership, "_public_branding", None)
    if cached is None:
        cached = branding_for(partnership)
        partnership._public_branding = cached
    return cached
