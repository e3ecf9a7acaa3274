"""Editing and reordering a draft survey's questions: rules, audit, pages, permissions."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scopes_disabled

from alliance.community import services_questions as questions
from alliance.community import services_surveys as services
from alliance.community.models import Question
from alliance.core.tenancy import alliance_scope
from tests.community.conftest import audit_actions, questions_by_key
from tests.permissions import LOGIN, Case, check_matrix, everyone

pytestmark = pytest.mark.django_db
HUB = "/a/union-county/hub/community"


@pytest.fixture
def draft(world):
    with alliance_scope(world.alliance):
        return services.copy_interest_survey(alliance=world.alliance, acting_user=world.hub)


def _fresh(q: Question) -> Question:
    with scopes_disabled():
        return Question.objects.select_related("section").get(pk=q.pk)


def _edit(world, q: Question, **overrides):
    fields = {
        "text": q.text,
        "text_es": q.text_es,
        "required": q.required,
        "choices": q.choices,
        "scale_min": q.scale_min,
        "scale_max": q.scale_max,
        "show_if": q.show_if,
        "show_if_values": q.show_if_values,
        **overrides,
    }
    with alliance_scope(world.alliance):
        return questions.update_question(question=q, acting_user=world.hub, **fields)


def test_a_draft_question_changes_text_options_required_and_condition(world, draft):
    q = questions_by_key(draft)
    kind = q["kind"]
    options = [{"value": "center", "en": "Center", "es": "Centro"}, *kind.choices[:2]]
    _edit(world, kind, text="  What kind of program?  ", required=False, choices=options)
    saved = _fresh(kind)
    assert saved.text == "What kind of program?" and saved.required is False
    assert [c["value"] for c in saved.choices][0] == "center"
    with scopes_disabled():
        story = Question.objects.get(pk=q["challenge_story"].pk)
    _edit(world, story, show_if=q["challenges"], show_if_values=["prices"])
    assert _fresh(story).show_if_id == q["challenges"].pk
    assert _fresh(story).show_if_values == ["prices"]
    assert audit_actions(action="survey.question_changed") == ["survey.question_changed"] * 2


def test_bad_edits_name_the_field_and_change_nothing(world, draft):
    q = questions_by_key(draft)
    before = _fresh(q["challenges"])
    cases = [
        ({"text": " "}, "text"),
        ({"choices": [{"value": "x", "en": "X", "es": ""}]}, "choices"),
        # "How many days…" is shown when "substitutes" is chosen: that option must stay.
        ({"choices": [c for c in before.choices if c["value"] != "substitutes"]}, "choices"),
        # A condition on a later question, or on itself.
        ({"show_if": q["services"], "show_if_values": ["x"]}, "show_if"),
        ({"show_if": before, "show_if_values": ["staff"]}, "show_if"),
    ]
    for overrides, field in cases:
        with pytest.raises(ValidationError) as exc:
            _edit(world, before, **overrides)
        assert field in exc.value.message_dict, overrides
    after = _fresh(q["challenges"])
    assert (after.text, after.choices, after.show_if_id) == (
        before.text,
        before.choices,
        before.show_if_id,
    )
    assert audit_actions(action="survey.question_changed") == []


def test_questions_move_within_their_section_but_not_above_their_condition(world, draft):
    q = questions_by_key(draft)
    first, second = q["kind"], q["children"]
    assert first.section_id == second.section_id and first.position < second.position
    with alliance_scope(world.alliance):
        questions.move_question(question=second, acting_user=world.hub, direction="up")
    assert _fresh(second).position < _fresh(first).position
    with alliance_scope(world.alliance):
        questions.move_question(question=second, acting_user=world.hub, direction="down")
    assert _fresh(first).position < _fresh(second).position
    with alliance_scope(world.alliance):
        section = services.add_section(survey=draft, acting_user=world.hub, title="Extra")
        condition = services.add_question(
            survey=draft, acting_user=world.hub, section=section, kind="single", text="Subs?",
            choices=[{"value": v, "en": v.title(), "es": v} for v in ("yes", "no")],
        )  # fmt: skip
        dependent = services.add_question(
            survey=draft, acting_user=world.hub, section=section, kind="number", text="How many?",
            show_if=condition, show_if_values=["yes"],
        )  # fmt: skip
        with pytest.raises(ValidationError) as exc:
            questions.move_question(question=dependent, acting_user=world.hub, direction="up")
        assert "direction" in exc.value.message_dict
        with pytest.raises(ValidationError):
            questions.move_question(question=condition, acting_user=world.hub, direction="down")
        # The last question moving down stays where it is.
        questions.move_question(question=dependent, acting_user=world.hub, direction="down")
    assert (_fresh(condition).position, _fresh(dependent).position) == (1, 2)
    with alliance_scope(world.alliance), pytest.raises(ValidationError) as exc:
        questions.move_question(question=first, acting_user=world.hub, direction="sideways")
    assert "direction" in exc.value.message_dict
    assert audit_actions(action="survey.question_moved") == ["survey.question_moved"] * 2


def test_an_open_survey_keeps_its_questions(world, draft):
    q = questions_by_key(draft)
    with alliance_scope(world.alliance):
        services.set_status(survey=draft, acting_user=world.hub, status="open")
    with pytest.raises(ValidationError) as exc:
        _edit(world, _fresh(q["kind"]), text="Changed")
    assert "survey" in exc.value.message_dict
    with alliance_scope(world.alliance), pytest.raises(ValidationError):
        questions.move_question(
            question=_fresh(q["children"]), acting_user=world.hub, direction="up"
        )
    assert _fresh(q["kind"]).text != "Changed"


def test_the_hub_edits_and_reorders_questions_from_the_builder(world, as_user, draft):
    q = questions_by_key(draft)
    hub = as_user(world.hub)
    url = f"{HUB}/surveys/{draft.pk}/questions/{q['challenges'].pk}/"
    builder = hub.get(f"{HUB}/surveys/{draft.pk}/").content.decode()
    assert url in builder and "Move up" in builder
    page = hub.get(url).content.decode()
    assert "Save question" in page and q["challenges"].text in page
    bad = hub.post(url, {"text": "", "choices": "A\nB"})
    assert bad.status_code == 422 and "This field is required" in bad.content.decode()
    assert _fresh(q["challenges"]).text == q["challenges"].text
    text = "\n".join(
        f"{c['en']} | {c['es']}" + (f" | {c['theme']}" if c.get("theme") else "")
        for c in q["challenges"].choices
    )
    ok = hub.post(
        url,
        {"text": "Your biggest challenges?", "required": "on", "choices": text, "scale_min": 1,
         "scale_max": 5},
    )  # fmt: skip
    assert ok.status_code == 302, ok.content.decode()[-3000:]
    saved = _fresh(q["challenges"])
    assert saved.text == "Your biggest challenges?" and saved.required
    assert saved.choices == q["challenges"].choices
    moved = hub.post(
        f"{HUB}/surveys/{draft.pk}/questions/{q['children'].pk}/move/", {"direction": "up"}
    )
    assert moved.status_code == 302
    assert _fresh(q["children"]).position < _fresh(q["kind"]).position


def test_question_edit_pages_are_hub_only(world, draft):
    q = questions_by_key(draft)
    base = f"{HUB}/surveys/{draft.pk}/questions/{q['kind'].pk}"
    check_matrix(
        [
            Case("GET", f"{base}/", everyone(403, anonymous=LOGIN, hub=200)),
            Case(
                "POST",
                f"{base}/move/",
                everyone(403, anonymous=LOGIN, hub=302),
                data={"direction": "down"},
            ),
        ],
        world.personas(),
    )
