"""The survey rules: conditional display and required answers, without the database."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from alliance.community.models import Question
from alliance.community.survey_logic import (
    choices_text,
    clean_answers,
    parse_choices,
    visible_questions,
)

CHOICES = [{"value": "staff", "en": "Staff"}, {"value": "subs", "en": "Substitutes"}]


def make(pk: int, kind: str, *, required=False, show_if=None, values=(), choices=None):
    q = Question(
        pk=pk,
        kind=kind,
        text=f"Q{pk}",
        required=required,
        choices=choices
        if choices is not None
        else (CHOICES if kind in ("single", "multiple") else []),
        scale_min=1,
        scale_max=5,
        show_if_values=list(values),
    )
    q.show_if_id = show_if
    return q


def test_a_conditional_question_shows_only_for_the_named_answer():
    first = make(1, "multiple")
    follow = make(2, "number", required=True, show_if=1, values=["subs"])
    assert visible_questions([first, follow], {1: ["staff"]}) == [first]
    assert visible_questions([first, follow], {1: ["staff", "subs"]}) == [first, follow]


def test_a_question_hidden_by_a_hidden_question_stays_hidden():
    a = make(1, "single")
    b = make(2, "single", show_if=1, values=["subs"])
    c = make(3, "short_text", show_if=2, values=["staff"])
    # b is hidden (a is "staff"), so c is hidden even though the raw data says b = staff.
    assert visible_questions([a, b, c], {1: ["staff"], 2: ["staff"]}) == [a]


def test_required_is_enforced_on_submit_but_not_on_a_saved_draft():
    q = make(1, "single", required=True)
    _cleaned, errors = clean_answers([q], {}, final=True)
    assert errors == {"q1": "Please answer this question."}
    cleaned, errors = clean_answers([q], {}, final=False)
    assert errors == {} and cleaned == {}


def test_a_required_question_that_is_hidden_is_not_required():
    first = make(1, "multiple")
    follow = make(2, "number", required=True, show_if=1, values=["subs"])
    cleaned, errors = clean_answers([first, follow], {1: ["staff"], 2: ["7"]}, final=True)
    assert errors == {}
    assert set(cleaned) == {1}  # the hidden answer is dropped


def test_choices_must_be_offered_and_single_means_one():
    q = make(1, "single")
    assert clean_answers([q], {1: ["nope"]}, final=True)[1] == {
        "q1": "Choose one of the options shown."
    }
    assert clean_answers([q], {1: ["staff", "subs"]}, final=True)[1] == {
        "q1": "Choose only one option."
    }
    multi = make(2, "multiple")
    cleaned, errors = clean_answers([multi], {2: ["staff", "subs", "staff"]}, final=True)
    assert errors == {} and cleaned[2].choices == ["staff", "subs"]


def test_rating_keeps_the_number_and_refuses_values_off_the_scale():
    q = make(1, "rating")
    cleaned, _errors = clean_answers([q], {1: ["4"]}, final=True)
    assert cleaned[1].number == Decimal("4")
    assert "q1" in clean_answers([q], {1: ["9"]}, final=True)[1]


def test_numbers_and_texts_are_checked():
    n = make(1, "number")
    assert clean_answers([n], {1: ["12,5x"]}, final=True)[1] == {"q1": "Enter a number, e.g. 12."}
    assert clean_answers([n], {1: ["1,200"]}, final=True)[0][1].number == Decimal("1200.00")
    assert "q1" in clean_answers([n], {1: ["NaN"]}, final=True)[1]
    short = make(2, "short_text")
    assert "q2" in clean_answers([short], {2: ["x" * 301]}, final=True)[1]


@given(st.text(max_size=40))
def test_any_number_input_is_either_a_decimal_or_a_clear_error(text):
    n = make(1, "number")
    cleaned, errors = clean_answers([n], {1: [text]}, final=True)
    if errors:
        assert errors == {"q1": "Enter a number, e.g. 12."}
    elif 1 in cleaned:
        assert isinstance(cleaned[1].number, Decimal)


def test_parse_choices_reads_english_spanish_and_theme():
    choices = parse_choices("Finding substitutes | Encontrar sustitutos | substitutes\n\nOther")
    assert choices == [
        {
            "value": "finding-substitutes",
            "en": "Finding substitutes",
            "es": "Encontrar sustitutos",
            "theme": "substitutes",
        },
        {"value": "other", "en": "Other", "es": ""},
    ]
    assert parse_choices(choices_text(choices)) == choices
