"""Reads of family records for other modules: a signed-in guardian's own families.

Use these (not an email comparison) to show a family its own records: they follow
``Family.account``, which :mod:`alliance.families.services` keeps set.
"""

from __future__ import annotations

from django.db.models import QuerySet

from alliance.accounts.models import User
from alliance.families.models import Child, Family
from alliance.members.models import Alliance


def families_of(user: User, alliance: Alliance | None = None) -> QuerySet[Family]:
    """The families whose sign-in is ``user`` (in one alliance, or all). Call inside a
    scope for the alliance, or with scopes disabled."""
    if not getattr(user, "is_authenticated", False):
        return Family.objects.none()
    qs = Family.objects.filter(account=user)
    if alliance is not None:
        qs = qs.filter(alliance=alliance)
    return qs


def children_of(user: User, alliance: Alliance | None = None) -> QuerySet[Child]:
    """The children of the families whose sign-in is ``user``."""
    if not getattr(user, "is_authenticated", False):
        return Child.objects.none()
    qs = Child.objects.filter(family__account=user)
    if alliance is not None:
        qs = qs.filter(family__alliance=alliance)
    return qs
