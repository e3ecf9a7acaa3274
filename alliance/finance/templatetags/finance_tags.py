"""Small template helpers of the finance pages."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``{{ labels|get_item:key }}``: a dict's value (or an object's attribute), else None."""
    if isinstance(mapping, dict):
        return mapping.get(key)
    return getattr(mapping, str(key), None)
