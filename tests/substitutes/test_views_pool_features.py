"""The pages of favourites, volunteering, reinstating and the new settings."""

from __future__ import annotations

from datetime import time

from django.utils import timezone
from django_scopes import scopes_disabled

from alliance.core.tenancy import program_scope
from alliance.substitutes import services
from alliance.substitutes.models import (
    Favourite,
    OfferStatus,
    PoolSettings,
    ProfileStatus,
)
from tests.substitutes.conftest import offer_of
from tests.substitutes.factories import next_weekday


def test_director_marks_and_unmarks_a_favourite_from_the_request_page(
    world, broadcast, pool, as_user
):
    director = as_user(world.director1)
    page = f"/p/little-learners/substitutes/{broadcast.pk}/"
    assert "Mark favourite" in director.get(page).content.decode()
    url = f"/p/little-learners/substitutes/favourites/{pool[1].user_id}/"
    response = director.post(url, {"action": "mark", "next": page})
    assert response.status_code == 302 and response["Location"] == page
    with scopes_disabled():
        assert Favourite.objects.filter(program=world.program1, substitute=pool[1].user).exists()
    assert "★ Favourite" in director.get(page).content.decode()
    # A foreign "next" is ignored: back to Our substitutes.
    response = director.post(url, {"action": "unmark", "next": "https://evil.example/"})
    assert response["Location"] == "/p/little-learners/substitutes/people/"
    with scopes_disabled():
        assert not Favourite.objects.exists()
    # Someone outside the pool: a message, nothing saved.
    director.post(f"/p/little-learners/substitutes/favourites/{world.family.pk}/", {})
    with scopes_disabled():
        assert not Favourite.objects.exists()


def test_a_substitute_volunteers_from_my_shifts(
    world, pool, as_user, django_capture_on_commit_callbacks
):
    with program_scope(world.program1), django_capture_on_commit_callbacks(execute=True):
        req = services.create_request(
            acting_user=world.director1,
            program=world.program1,
            classroom=world.classroom1,
            dates=[next_weekday(2)],
            start=time(8),
            end=time(15),
            mode="picks",
        )
    sub = as_user(world.sub)
    listing = sub.get("/substitutes/me/").content.decode()
    assert 'value="volunteer"' in listing and 'value="accept"' not in listing
    offer = offer_of(req, world.sub)
    response = sub.post(f"/substitutes/me/offers/{offer.pk}/", {"action": "volunteer"})
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.status == OfferStatus.VOLUNTEERED
    # Accepting a director-picks invitation is refused with the reason.
    response = sub.post(f"/substitutes/me/offers/{offer.pk}/", {"action": "accept"})
    assert response.status_code == 409


def test_hub_reinstates_a_suspended_substitute_with_a_reason(world, pool, as_user):
    with scopes_disabled():
        pool[0].status = ProfileStatus.SUSPENDED
        pool[0].suspended_at = timezone.now()
        pool[0].save()
    hub = as_user(world.hub)
    url = f"/a/union-county/hub/substitutes/people/{pool[0].pk}/"
    assert "Reinstate" in hub.get(url).content.decode()
    assert hub.post(url, {"form": "reinstate", "reason": ""}).status_code == 422
    response = hub.post(url, {"form": "reinstate", "reason": "Talked it through"})
    assert response.status_code == 302
    pool[0].refresh_from_db()
    assert pool[0].status == ProfileStatus.ACTIVE


def test_hub_saves_the_tier_and_no_show_settings(world, as_user):
    hub = as_user(world.hub)
    data = {
        "default_mode": "picks",
        "wave_size": 4,
        "wave_minutes": 10,
        "offer_hours": 12,
        "late_cancel_hours": 12,
        "billing_rate": "30.00",
        "no_show_warning_after": 1,
        "no_show_suspend_after": 3,
        "no_show_window_months": 6,
        "never_work_min_offers": 4,
    }
    response = hub.post("/a/union-county/hub/substitutes/settings/", data)
    assert response.status_code == 302
    with scopes_disabled():
        saved = PoolSettings.objects.get(alliance=world.alliance)
    assert saved.default_mode == "picks" and saved.tiered_release is False
    assert (saved.no_show_suspend_after, saved.no_show_window_months) == (3, 6)
    bad = hub.post(
        "/a/union-county/hub/substitutes/settings/", {**data, "no_show_warning_after": 5}
    )
    assert bad.status_code == 422
