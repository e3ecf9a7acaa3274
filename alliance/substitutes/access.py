"""The audited ways to reach one record of the pool: 404 alike for missing and not yours."""

from __future__ import annotations

from django.http import Http404
from django_scopes import scopes_disabled

from alliance.accounts.models import User
from alliance.core.access import first_or_404
from alliance.members.models import Program
from alliance.substitutes.models import (
    Assignment,
    Offer,
    SubstituteProfile,
    SubstituteRequest,
    Timesheet,
)


def access_request(program: Program, request_id: int) -> SubstituteRequest:
    return first_or_404(
        SubstituteRequest.objects.select_related(
            "program__alliance", "classroom", "assigned_to", "requested_by", "preferred"
        ).filter(program=program, pk=request_id)
    )


def access_timesheet(program: Program, timesheet_id: int) -> Timesheet:
    return first_or_404(
        Timesheet.objects.select_related("assignment__request", "program__alliance").filter(
            program=program, pk=timesheet_id
        )
    )


def access_profile(alliance_id: int, profile_id: int) -> SubstituteProfile:
    return first_or_404(
        SubstituteProfile.objects.select_related("user", "alliance").filter(
            alliance_id=alliance_id, pk=profile_id
        )
    )


def access_my_offer(user: User, offer_id: int) -> Offer:
    """One of the substitute's own offers (any alliance); the caller opens its scope."""
    with scopes_disabled():
        offer = (
            Offer.objects.select_related("request__program__alliance", "request__classroom")
            .filter(substitute=user, pk=offer_id)
            .first()
        )
    if offer is None:
        raise Http404
    return offer


def access_my_assignment(user: User, assignment_id: int) -> Assignment:
    with scopes_disabled():
        assignment = (
            Assignment.objects.select_related("request__program__alliance", "request__classroom")
            .filter(substitute=user, pk=assignment_id)
            .first()
        )
    if assignment is None:
        raise Http404
    return assignment


def profile_of_user(user: User) -> SubstituteProfile | None:
    """The substitute's profile (the first alliance's, for a person in several pools)."""
    with scopes_disabled():
        return (
            SubstituteProfile.objects.select_related("alliance", "user")
            .filter(user=user)
            .order_by("pk")
            .first()
        )
