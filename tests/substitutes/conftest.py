from __future__ import annotations

from datetime import time

import pytest
from django_scopes import scopes_disabled

from alliance.core.tenancy import program_scope
from alliance.substitutes import services
from alliance.substitutes.models import Offer
from tests.substitutes.factories import make_sub, next_weekday


@pytest.fixture
def pool(world):
    """Three eligible substitutes near Little Learners (Elizabeth); sub1 is the persona."""
    return [
        make_sub(world.alliance, user=world.sub, town="Elizabeth"),
        make_sub(world.alliance, "sub2@example.org", town="Union"),
        make_sub(world.alliance, "sub3@example.org", town="Linden"),
    ]


@pytest.fixture
def shift_day():
    return next_weekday(2)


@pytest.fixture
def broadcast(world, pool, shift_day, django_capture_on_commit_callbacks):
    """A broadcast request of program1, dispatched: every pool member holds an offer."""
    with program_scope(world.program1), django_capture_on_commit_callbacks(execute=True):
        request = services.create_request(
            acting_user=world.director1,
            program=world.program1,
            classroom=world.classroom1,
            dates=[shift_day],
            start=time(8),
            end=time(15),
            mode="broadcast",
        )
    return request


def offer_of(request, user) -> Offer:
    with scopes_disabled():
        return Offer.objects.get(request=request, substitute=user)
