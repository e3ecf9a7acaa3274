from __future__ import annotations

from django import template

from alliance.billing.nav import billing_tabs as tabs_for

register = template.Library()


@register.inclusion_tag("billing/_tabs.html", takes_context=True)
def billing_tabs(context) -> dict:
    request = context["request"]
    tabs = tabs_for(request.program)
    best = max(
        (t for t in tabs if request.path.startswith(t["url"])),
        key=lambda t: len(t["url"]),
        default=None,
    )
    for t in tabs:
        t["current"] = t is best
    return {"tabs": tabs}


@register.filter
def minus(value, other):
    """``a|minus:b`` for Decimals (open amount = amount − applied)."""
    from alliance.billing.queries import cents

    return cents(value) - cents(other)
