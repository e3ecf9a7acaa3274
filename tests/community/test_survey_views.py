"""Survey pages: the hub builds and opens a survey, people answer (in Spanish, on a draft
they resume), and the hub reads results and exports them."""

from __future__ import annotations

import csv
import io

import pytest
from django_scopes import scopes_disabled
from openpyxl import load_workbook

from alliance.community.models import Answer, Question, Response, Survey
from tests.community.conftest import COMPLETE, answer, queries_for, questions_by_key, rows

pytestmark = pytest.mark.django_db

HUB = "/a/union-county/hub/community/surveys"


def test_hub_builds_a_survey_and_opens_it(world, as_user):
    client = as_user(world.hub)
    response = client.post(
        f"{HUB}/", {"title": "Spring check-in", "distribution": "link", "anonymous": "on"}
    )
    assert response.status_code == 302
    with scopes_disabled():
        survey = Survey.objects.get(title="Spring check-in")
        section = survey.sections.get()
    url = f"{HUB}/{survey.pk}/"
    bad = client.post(
        url,
        {
            "action": "question",
            "question-section": section.pk,
            "question-kind": "single",
            "question-text": "Which?",
            "question-choices": "Only one",
            "question-scale_min": 1,
            "question-scale_max": 5,
        },
    )
    assert bad.status_code == 422
    assert "Give at least two options" in bad.content.decode()
    assert rows(Question) == 0
    good = client.post(
        url,
        {
            "action": "question",
            "question-section": section.pk,
            "question-kind": "multiple",
            "question-text": "Which?",
            "question-text_es": "¿Cuál?",
            "question-required": "on",
            "question-choices": "Staff | Personal | staff-recruiting\nFood | Comida | purchasing",
            "question-scale_min": 1,
            "question-scale_max": 5,
        },
    )
    assert good.status_code == 302
    with scopes_disabled():
        question = Question.objects.get()
    assert question.choices[1] == {
        "value": "food",
        "en": "Food",
        "es": "Comida",
        "theme": "purchasing",
    }
    assert client.post(f"{HUB}/{survey.pk}/status/", {"status": "open"}).status_code == 302
    survey.refresh_from_db()
    assert survey.status == "open"
    page = client.get(url).content.decode()
    assert f"/a/union-county/surveys/{survey.token}/" in page


def test_the_template_button_copies_the_interest_survey(world, as_user):
    response = as_user(world.hub).post(f"{HUB}/template/")
    assert response.status_code == 302
    with scopes_disabled():
        assert Survey.objects.get().questions.count() == 8


def test_a_provider_answers_in_spanish_saves_and_resumes(interest_survey, world, client):
    url = f"/a/union-county/surveys/{interest_survey.token}/"
    page = client.get(url + "?lang=es").content.decode()
    assert "¿Cuáles son los mayores desafíos de su programa?" in page
    assert 'lang="es"' in page
    qs = questions_by_key(interest_survey)
    saved = client.post(url, {"lang": "es", "action": "save", f"q{qs['kind'].pk}": "center"})
    assert saved.status_code == 302 and "resume=" in saved["Location"]
    with scopes_disabled():
        draft = Response.objects.get()
    assert draft.submitted_at is None
    # The cookie brings the draft back.
    again = client.get(url + "?lang=es").content.decode()
    assert 'value="center" checked' in again.replace("\n", " ") or "checked" in again
    incomplete = client.post(url, {"lang": "es", "action": "submit", f"q{qs['kind'].pk}": "center"})
    assert incomplete.status_code == 422
    done = client.post(
        url,
        {
            "lang": "es",
            "action": "submit",
            f"q{qs['kind'].pk}": "center",
            f"q{qs['challenges'].pk}": ["staff", "substitutes"],
            f"q{qs['interest'].pk}": "5",
            f"q{qs['sub_days'].pk}": "4",
        },
    )
    assert done.status_code == 302 and "/thanks/" in done["Location"]
    with scopes_disabled():
        response = Response.objects.get()
        assert response.pk == draft.pk and response.language == "es"
        assert response.submitted_at is not None
        assert Answer.objects.filter(response=response).count() == 5


def test_a_closed_survey_says_so_and_saves_nothing(interest_survey, world, client):
    with scopes_disabled():
        Survey.objects.filter(pk=interest_survey.pk).update(status="closed")
    url = f"/a/union-county/surveys/{interest_survey.token}/"
    assert "This survey is closed" in client.get(url).content.decode()
    assert client.post(url, {"action": "submit"}).status_code == 422
    assert rows(Response) == 0


def test_an_attributed_survey_asks_for_sign_in_and_allows_one_answer(
    interest_survey, world, as_user
):
    with scopes_disabled():
        Survey.objects.filter(pk=interest_survey.pk).update(anonymous=False)
        interest_survey.refresh_from_db()
    url = f"/a/union-county/surveys/{interest_survey.token}/"
    assert as_user(None).get(url).status_code == 302
    assert as_user(world.family).get(url).status_code == 403
    answer(interest_survey, world, COMPLETE, program=world.program1, user=world.director1)
    page = as_user(world.staff).get(url)  # same program: already answered
    assert "already answered" in page.content.decode()


def test_a_draft_survey_link_is_not_found(world, client):
    response = as_draft = client.get("/a/union-county/surveys/not-a-token/")
    assert response.status_code == 404 and as_draft


def _fill(survey, world, n: int):
    for i in range(n):
        values = dict(COMPLETE)
        values["kind"] = ["family_home" if i % 3 == 0 else "center"]
        values["challenge_story"] = [f"Story {i}"]
        answer(survey, world, values)


def test_results_show_counts_percentages_chart_and_crosstab(interest_survey, world, as_user):
    _fill(interest_survey, world, 6)
    qs = questions_by_key(interest_survey)
    client = as_user(world.hub)
    url = f"{HUB}/{interest_survey.pk}/results/"
    page = client.get(url + f"?crosstab={qs['kind'].pk}&by=kind").content.decode()
    assert "<svg" in page and "6 (100%)" in page  # everyone chose staff
    assert "Family child care home" in page
    text = client.get(f"{HUB}/{interest_survey.pk}/results/{qs['challenge_story'].pk}/text/")
    assert "Story 5" in text.content.decode()


def test_results_page_query_count_does_not_grow_with_responses(interest_survey, world, as_user):
    client = as_user(world.hub)
    url = f"{HUB}/{interest_survey.pk}/results/?crosstab="
    _fill(interest_survey, world, 2)
    qs = questions_by_key(interest_survey)
    url += str(qs["challenges"].pk)
    few = queries_for(client, url)
    _fill(interest_survey, world, 12)
    assert queries_for(client, url) == few
    assert few <= 15


def test_exports_have_one_row_per_response(interest_survey, world, as_user):
    _fill(interest_survey, world, 3)
    answer(interest_survey, world, {**COMPLETE, "contact": ['=HYPERLINK("x")']})
    client = as_user(world.hub)
    body = client.get(f"{HUB}/{interest_survey.pk}/export.csv").content.decode()
    table = list(csv.reader(io.StringIO(body)))
    assert len(table) == 5
    assert "Which are the biggest challenges for your program?" in table[0]
    col = table[0].index("Which are the biggest challenges for your program?")
    assert table[1][col] == "Recruiting and keeping staff; Finding substitutes"
    assert table[4][-1].startswith("'=")  # formulas are neutralized
    xlsx = client.get(f"{HUB}/{interest_survey.pk}/export.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.max_row == 5


def test_written_answers_are_paged(interest_survey, world, as_user):
    _fill(interest_survey, world, 52)
    qs = questions_by_key(interest_survey)
    url = f"{HUB}/{interest_survey.pk}/results/{qs['challenge_story'].pk}/text/"
    client = as_user(world.hub)
    first = client.get(url).content.decode()
    assert "Page 1 of 2" in first
    assert "Story 0" in client.get(url + "?page=2").content.decode()
