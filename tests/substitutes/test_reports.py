"""The hub's reports: how each request was filled (with CSV) and who never works."""

from __future__ import annotations

import csv
import io
from datetime import time, timedelta

from django.utils import timezone
from django_scopes import scopes_disabled

from alliance.core.tenancy import program_scope
from alliance.substitutes import queries, services
from alliance.substitutes.models import Offer, OfferStatus, PoolSettings, Tier
from tests.substitutes.conftest import offer_of
from tests.substitutes.factories import make_sub, next_weekday

HUB = "/a/union-county/hub/substitutes/reports"


def _request(world, capture, day, mode="broadcast"):
    with program_scope(world.program1), capture(execute=True):
        return services.create_request(
            acting_user=world.director1,
            program=world.program1,
            classroom=world.classroom1,
            dates=[day],
            start=time(8),
            end=time(15),
            mode=mode,
        )


def test_fill_report_shows_mode_tier_wave_minutes_and_exports_csv(
    world, pool, as_user, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    capture = django_capture_on_commit_callbacks
    filled = _request(world, capture, next_weekday(2))
    with program_scope(world.program1):
        services.accept_offer(acting_user=pool[1].user, offer_id=offer_of(filled, pool[1].user).pk)
    for k in range(3):
        _request(world, capture, next_weekday(3 + k), mode="waves")
    with scopes_disabled():
        rows = {
            r.pk: r
            for r in queries.fill_report(
                world.alliance.pk, timezone.localdate(), timezone.localdate() + timedelta(days=30)
            )
        }
    row = rows[filled.pk]
    assert (row.fill_tier, row.fill_wave) == (Tier.POOL, 1)
    assert queries.minutes_to_fill(row) == 0
    client = as_user(world.hub)
    with django_assert_max_num_queries(20):
        response = client.get(
            f"{HUB}/?until={(timezone.localdate() + timedelta(days=30)).isoformat()}"
        )
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="fill-row"') == 4
    with django_assert_max_num_queries(12):
        response = client.get(
            f"{HUB}/fills.csv?until={(timezone.localdate() + timedelta(days=30)).isoformat()}"
        )
    assert response["Content-Type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(table) == 4
    mine = next(r for r in table if r["request_id"] == str(filled.pk))
    assert mine["mode"] == "broadcast" and mine["tier"] == "pool" and mine["wave"] == "1"
    assert mine["minutes_to_fill"] == "0" and mine["status"] == "filled"
    assert {r["mode"] for r in table} == {"broadcast", "waves"}


def test_fill_report_api_is_bounded(
    world, pool, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    from django.test import Client

    from alliance.accounts.services import issue_api_token

    for k in range(3):
        _request(world, django_capture_on_commit_callbacks, next_weekday(2 + k))
    token = issue_api_token(user=world.hub, name="reports")
    until = (timezone.localdate() + timedelta(days=30)).isoformat()
    with django_assert_max_num_queries(15):
        response = Client().get(
            f"/api/v1/alliances/union-county/substitute-reports/fills?until={until}",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == 3 and body["items"][0]["mode"] == "broadcast"


def test_substitutes_who_never_work(
    world, pool, as_user, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    with scopes_disabled():
        PoolSettings.objects.create(alliance=world.alliance, never_work_min_offers=2)
    idle = make_sub(world.alliance, "idle@example.org")
    requests = [
        _request(world, django_capture_on_commit_callbacks, next_weekday(2 + k)) for k in range(3)
    ]
    # pool[0] takes one shift; idle declines one and lets the others expire.
    with program_scope(world.program1):
        services.accept_offer(
            acting_user=pool[0].user, offer_id=offer_of(requests[0], pool[0].user).pk
        )
        services.decline_offer(acting_user=idle.user, offer_id=offer_of(requests[1], idle.user).pk)
    with scopes_disabled():
        Offer.objects.filter(substitute=idle.user, request=requests[2]).update(
            status=OfferStatus.EXPIRED
        )
        rows = queries.never_work(world.alliance.pk, min_offers=2)
    by_user = {r.user_id: r for r in rows}
    assert pool[0].user_id not in by_user
    assert idle.user_id in by_user
    assert (by_user[idle.user_id].offers, by_user[idle.user_id].declined) == (3, 1)
    assert by_user[idle.user_id].ignored == 1
    client = as_user(world.hub)
    with django_assert_max_num_queries(20):
        response = client.get(f"{HUB}/")
    assert "idle@example.org" in response.content.decode()
