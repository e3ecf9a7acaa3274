"""The one shape every ``access_<thing>`` helper shares: a scoped lookup that answers 404
alike for "missing" and "not yours"."""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404

M = TypeVar("M", bound=Model)


def first_or_404(queryset: QuerySet[M]) -> M:
    """The first row of an already filtered, scoped queryset, or Http404."""
    found = queryset.first()
    if found is None:
        raise Http404
    return found
