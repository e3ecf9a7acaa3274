"""Survey services: building, opening, responding (closed, twice, drafts), distribution."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scopes_disabled

from alliance.community import services_surveys as services
from alliance.community.models import Answer, Question, Recipient, Response, Survey
from alliance.core.tenancy import alliance_scope
from tests.community.conftest import COMPLETE, answer, audit_actions, questions_by_key, rows

pytestmark = pytest.mark.django_db


def test_the_template_has_the_five_challenges_in_both_languages(interest_survey, world):
    qs = questions_by_key(interest_survey)
    challenges = qs["challenges"]
    themes = [c.get("theme") for c in challenges.choices]
    for code in ("staff-recruiting", "purchasing", "benefits", "enrollment", "substitutes"):
        assert code in themes
    assert all(c["es"] for c in challenges.choices)
    assert qs["sub_days"].show_if_id == challenges.pk
    services_codes = {c.get("theme") for c in qs["services"].choices}
    assert {"billing", "finance", "training", "admin-support", "networking"} <= services_codes
    assert interest_survey.title_es and all(q.text_es for q in qs.values())


def test_add_question_refuses_bad_input_and_saves_nothing(world):
    with alliance_scope(world.alliance):
        survey = services.create_survey(
            alliance=world.alliance, acting_user=world.hub, title="Check-in"
        )
        section = survey.sections.get()
        before = rows(Question)
        with pytest.raises(ValidationError) as exc:
            services.add_question(
                survey=survey,
                acting_user=world.hub,
                section=section,
                kind="single",
                text="Which?",
                choices=[{"value": "a", "en": "A"}],
            )
        assert "choices" in exc.value.message_dict
        with pytest.raises(ValidationError) as exc:
            services.add_question(
                survey=survey,
                acting_user=world.hub,
                section=section,
                kind="rating",
                text="How?",
                scale_min=5,
                scale_max=3,
            )
        assert "scale_max" in exc.value.message_dict
        first = services.add_question(
            survey=survey,
            acting_user=world.hub,
            section=section,
            kind="single",
            text="Which?",
            choices=[{"value": "a", "en": "A"}, {"value": "b", "en": "B"}],
        )
        with pytest.raises(ValidationError) as exc:
            services.add_question(
                survey=survey,
                acting_user=world.hub,
                section=section,
                kind="number",
                text="How many?",
                show_if=first,
                show_if_values=["zzz"],
            )
        assert "show_if_values" in exc.value.message_dict
    assert rows(Question) == before + 1
    assert "survey.question_added" in audit_actions(action="survey.question_added")


def test_a_survey_cannot_open_without_questions(world):
    with alliance_scope(world.alliance):
        survey = services.create_survey(
            alliance=world.alliance, acting_user=world.hub, title="Empty"
        )
        with pytest.raises(ValidationError):
            services.set_status(survey=survey, acting_user=world.hub, status="open")
        survey.refresh_from_db()
    assert survey.status == "draft"


def test_a_response_to_a_closed_survey_is_refused_and_nothing_is_saved(interest_survey, world):
    with alliance_scope(world.alliance):
        services.set_status(survey=interest_survey, acting_user=world.hub, status="closed")
    with pytest.raises(ValidationError) as exc:
        answer(interest_survey, world, COMPLETE)
    assert "closed" in exc.value.messages[0]
    assert rows(Response) == 0 and rows(Answer) == 0


def test_submit_requires_the_shown_required_questions(interest_survey, world):
    with pytest.raises(ValidationError) as exc:
        answer(interest_survey, world, {"kind": ["center"]})
    qs = questions_by_key(interest_survey)
    assert set(exc.value.message_dict) == {f"q{qs['challenges'].pk}", f"q{qs['interest'].pk}"}
    assert rows(Response) == 0


def test_save_a_draft_then_resume_and_submit(interest_survey, world):
    draft = answer(interest_survey, world, {"kind": ["family_home"]}, submit=False)
    assert draft.submitted_at is None and draft.resume_token
    qs = questions_by_key(interest_survey)
    raw = {qs[k].pk: v for k, v in COMPLETE.items()}
    with alliance_scope(world.alliance):
        done = services.save_response(
            survey=interest_survey, raw=raw, submit=True, response=draft, language="es"
        )
        with pytest.raises(ValidationError):
            services.save_response(survey=interest_survey, raw=raw, submit=True, response=done)
    assert done.pk == draft.pk and done.submitted_at is not None and done.language == "es"
    with scopes_disabled():
        # The draft's answer was replaced: kind is now "center", plus the others.
        assert Answer.objects.get(response=done, question=qs["kind"]).choice == "center"
        assert Answer.objects.filter(response=done).count() == 5


def test_an_attributed_survey_takes_one_response_per_program(interest_survey, world):
    with alliance_scope(world.alliance):
        services.update_survey(
            survey=interest_survey,
            acting_user=world.hub,
            title=interest_survey.title,
            anonymous=False,
        )
    first = answer(interest_survey, world, COMPLETE, program=world.program1, user=world.director1)
    assert first.program == world.program1 and first.town == world.program1.town
    with pytest.raises(ValidationError) as exc:
        answer(interest_survey, world, COMPLETE, program=world.program1, user=world.staff)
    assert "already answered" in exc.value.messages[0]
    assert rows(Response) == 1


def test_an_attributed_survey_needs_a_program(interest_survey, world):
    with alliance_scope(world.alliance):
        services.update_survey(
            survey=interest_survey,
            acting_user=world.hub,
            title=interest_survey.title,
            anonymous=False,
        )
    with pytest.raises(ValidationError):
        answer(interest_survey, world, COMPLETE)


def test_members_only_surveys_invite_remind_and_refuse_others(
    interest_survey, world, mailoutbox, django_capture_on_commit_callbacks
):
    with alliance_scope(world.alliance), django_capture_on_commit_callbacks(execute=True):
        services.update_survey(
            survey=interest_survey,
            acting_user=world.hub,
            title=interest_survey.title,
            anonymous=False,
            distribution="members",
        )
        n = services.invite_programs(
            survey=interest_survey, acting_user=world.hub, programs=[world.program1, world.home]
        )
    assert n == 2 and rows(Recipient) == 2
    assert {m.to[0] for m in mailoutbox} == {"director1@example.org", "provider1@example.org"}
    with pytest.raises(ValidationError):
        answer(interest_survey, world, COMPLETE, program=world.program2, user=world.director2)
    answer(interest_survey, world, COMPLETE, program=world.program1, user=world.director1)
    mailoutbox.clear()
    with alliance_scope(world.alliance), django_capture_on_commit_callbacks(execute=True):
        reminded = services.send_reminders(survey=interest_survey, acting_user=world.hub)
    assert reminded == 1
    assert [m.to[0] for m in mailoutbox] == ["provider1@example.org"]
    with scopes_disabled():
        assert Recipient.objects.get(program=world.home).reminders_sent == 1


def test_questions_are_frozen_once_open(interest_survey, world):
    with alliance_scope(world.alliance), pytest.raises(ValidationError):
        services.add_section(survey=interest_survey, acting_user=world.hub, title="More")
    with scopes_disabled():
        assert Survey.objects.get().sections.count() == 3
