"""Reads of credentials shared by staffing compliance and the substitute pool."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import Q

from alliance.staffing.models import Credential


def valid_credential_kinds(person_ids: Iterable[int], on: date) -> dict[int, set[str]]:
    """For each person, the kinds of credential valid on ``on`` (one query)."""
    ids = list(person_ids)
    result: dict[int, set[str]] = {pid: set() for pid in ids}
    rows = (
        Credential.objects.filter(person_id__in=ids, issued_on__lte=on)
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=on))
        .values_list("person_id", "kind")
    )
    for person_id, kind in rows:
        result[person_id].add(kind)
    return result
