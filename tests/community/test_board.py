"""The challenge board tallies survey answers and tagged quotes, ranked, with graceful
service links."""

from __future__ import annotations

import datetime

import pytest
from django_scopes import scopes_disabled

from alliance.community import services_evidence as services
from alliance.community.board import challenge_board, service_link
from alliance.community.models import Quote, Session, Theme
from alliance.core.tenancy import alliance_scope
from tests.community.conftest import COMPLETE, answer, queries_for, rows

pytestmark = pytest.mark.django_db


def _session(world, *quotes):
    with alliance_scope(world.alliance):
        themes = {t.code: t for t in services.ensure_themes(alliance=world.alliance)}
        session = services.create_session(
            alliance=world.alliance,
            acting_user=world.hub,
            kind="focus_group",
            title="Directors",
            held_on=datetime.date(2026, 1, 10),
            facilitator="Ana",
        )
        for text, codes in quotes:
            services.add_quote(
                session=session,
                acting_user=world.hub,
                text=text,
                speaker="",
                themes=[themes[c] for c in codes],
            )
    return session


def test_board_ranks_themes_across_surveys_and_quotes(interest_survey, world):
    for _i in range(3):
        answer(interest_survey, world, COMPLETE)  # staff + substitutes
    answer(interest_survey, world, {**COMPLETE, "challenges": ["prices"]})
    _session(
        world,
        ("No subs anywhere", ["substitutes"]),
        ("Food costs", ["purchasing"]),
        ("Subs and staff", ["substitutes", "staff-recruiting"]),
    )
    with alliance_scope(world.alliance):
        board = challenge_board(world.alliance)
    by_code = {t.theme.code: t for t in board}
    assert by_code["substitutes"].survey_mentions == 3 and by_code["substitutes"].quotes == 2
    assert by_code["staff-recruiting"].total == 4
    assert by_code["purchasing"].total == 2
    assert board[0].theme.code == "substitutes"  # 5, the most evidence
    assert by_code["substitutes"].sessions == 1


def test_a_quote_needs_a_theme(world):
    session = _session(world)
    with alliance_scope(world.alliance), pytest.raises(Exception) as exc:
        services.add_quote(session=session, acting_user=world.hub, text="x", speaker="", themes=[])
    assert "themes" in exc.value.message_dict
    assert rows(Quote) == 0


def test_service_links_fall_back_when_the_module_is_missing(world):
    theme = Theme(alliance=world.alliance, code="x", name="X", service_url="nope:missing")
    assert service_link(theme, world.alliance) == ""
    forum = Theme(alliance=world.alliance, code="n", name="N", service_url="community:forum")
    assert service_link(forum, world.alliance) == "/a/union-county/forum/"


def test_board_and_sessions_pages(world, as_user, interest_survey):
    _session(world, ("Subs", ["substitutes"]))
    client = as_user(world.hub)
    page = client.get("/a/union-county/hub/community/board/").content.decode()
    assert "Finding substitutes" in page
    with scopes_disabled():
        session = Session.objects.get()
        theme = Theme.objects.get(code="substitutes")
    assert "Subs" in client.get(f"/a/union-county/hub/community/board/{theme.pk}/").content.decode()
    bad = client.post(f"/a/union-county/hub/community/sessions/{session.pk}/", {"text": "q"})
    assert bad.status_code == 422
    few = queries_for(client, "/a/union-county/hub/community/board/")
    for _i in range(5):
        answer(interest_survey, world, COMPLETE)
    _session(world, ("More", ["benefits"]))
    assert queries_for(client, "/a/union-county/hub/community/board/") == few
