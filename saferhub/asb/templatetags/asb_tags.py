from django import template

register = template.Library()


@register.filter
def pounds(pence: int | None) -> str:
    """12345 -> "£123.45"; whole pounds without pence."""
    if pence is None:
        return ""
    whole, part = divmod(int(pence), 100)
    return f"£{whole:,}" if part == 0 else f"£{whole:,}.{part:02d}"
