from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.http import urlencode

from alliance.core.money import format_money

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some keys replaced (None removes a key)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = str(value)
    # lists(): keep every value of a repeated key (e.g. several ?town= filters)
    return urlencode(sorted(params.lists()), doseq=True)


@register.filter
def money(value: Decimal | None) -> str:
    return "" if value is None else format_money(value)
