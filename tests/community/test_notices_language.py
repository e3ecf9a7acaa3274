"""Community notices are written in the recipient's language, whatever the language of
the person whose action sent them."""

from __future__ import annotations

import pytest
from django.utils import translation
from django_scopes import scopes_disabled

from alliance.community import services_forum as forum
from alliance.community import services_surveys as services
from alliance.community.models import Category
from alliance.community.notify import render_notice
from alliance.core.tenancy import alliance_scope

pytestmark = pytest.mark.django_db


@pytest.fixture
def category(world):
    with scopes_disabled():
        return Category.objects.create(alliance=world.alliance, name="General")


def _spanish(user) -> None:
    with scopes_disabled():
        user.language = "es"
        user.save(update_fields=["language"])


def test_survey_invitation_and_reminder_reach_a_spanish_director_in_spanish(
    interest_survey, world, mailoutbox, django_capture_on_commit_callbacks
):
    _spanish(world.director1)
    with (
        translation.override("en"),
        alliance_scope(world.alliance),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.update_survey(
            survey=interest_survey,
            acting_user=world.hub,
            title="Needs & wishes",
            anonymous=False,
            distribution="members",
        )
        services.invite_programs(
            survey=interest_survey, acting_user=world.hub, programs=[world.program1, world.home]
        )
    by_to = {m.to[0]: m for m in mailoutbox}
    spanish, english = by_to["director1@example.org"], by_to["provider1@example.org"]
    assert spanish.subject == "Por favor, responda: Needs & wishes"  # plain text, unescaped
    assert f"La alianza le pide a {world.program1.name} que responda" in spanish.body
    assert english.subject == "Please answer: Needs & wishes"
    assert "The alliance asks" in english.body
    mailoutbox.clear()
    with (
        translation.override("en"),
        alliance_scope(world.alliance),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.send_reminders(survey=interest_survey, acting_user=world.hub)
    by_to = {m.to[0]: m for m in mailoutbox}
    assert by_to["director1@example.org"].subject == "Recordatorio: Needs & wishes"
    assert "Todavía no tenemos la respuesta de" in by_to["director1@example.org"].body
    assert by_to["provider1@example.org"].subject == "Reminder: Needs & wishes"


def test_mention_and_digest_reach_a_spanish_member_in_spanish(
    world, as_user, category, mailoutbox, django_capture_on_commit_callbacks
):
    _spanish(world.director2)
    as_user(world.director2).post("/a/union-county/forum/digest/", {"enabled": "1"})
    with translation.override("en"), alliance_scope(world.alliance):
        with django_capture_on_commit_callbacks(execute=True):
            forum.start_topic(
                alliance=world.alliance,
                acting_user=world.director1,
                category=category,
                title="Subs",
                body="@director2 do you have a sub list?",
            )
        mention = mailoutbox[-1]
        with django_capture_on_commit_callbacks(execute=True):
            forum.send_digests(alliance=world.alliance)
    assert "lo/la mencionó en “Subs”" in mention.subject
    assert "do you have a sub list?" in mention.body
    digest = mailoutbox[-1]
    assert digest.subject == f"Novedades en el foro de {world.alliance.name}"
    assert "- Subs (1)" in digest.body


def test_the_fallback_renders_in_the_recipients_language(world):
    _spanish(world.director1)
    with translation.override("en"):
        subject, body = render_notice(
            recipient=world.director1,
            kind="community_survey_reminder",
            context={"survey_title": "Encuesta", "program_name": "Little"},
            link="https://x.example/s",
        )
        assert translation.get_language() == "en"
    assert subject == "Recordatorio: Encuesta"
    assert body.startswith("Todavía no tenemos la respuesta de Little.")
    assert body.endswith("https://x.example/s")
