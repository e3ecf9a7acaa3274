"""Waiting brothers and sisters are matched to the same program when that scores best, and
the proposal says so ("With sibling …")."""

from __future__ import annotations

import pytest
from django_scopes import scopes_disabled

from alliance.enrollment.services_applications import ChildInput, submit_application
from alliance.enrollment.services_offers import run_matching
from tests.enrollment.helpers import born_months_ago
from tests.enrollment.test_services import application_input
from tests.factories import ClassroomFactory

pytestmark = pytest.mark.django_db


def test_siblings_on_one_application_are_proposed_to_the_same_program(world, as_user):
    with scopes_disabled():
        # Only Little Learners has an infant room; the family prefers Sunshine first.
        ClassroomFactory(
            program=world.program1, name="Infants", age_min_months=0, age_max_months=17
        )
        submit_application(
            acting_user=None,
            alliance=world.alliance,
            data=application_input(
                town="Union",
                zip_code="07083",
                preferred_programs=[world.program2.pk, world.program1.pk],
                children=[
                    ChildInput("Mateo", "López", born_months_ago(28)),
                    ChildInput("Lucía", "López", born_months_ago(8)),
                ],
            ),
        )
        run = run_matching(acting_user=world.hub, alliance=world.alliance)
        proposals = {p.applicant.child.first_name: p for p in run.proposals.all()}
    assert set(proposals) == {"Mateo", "Lucía"}
    # Alone, Mateo would go to his family's first choice (Sunshine); kept together, both
    # go to Little Learners.
    assert proposals["Mateo"].program_id == proposals["Lucía"].program_id == world.program1.pk
    assert ["together:Lucía", 20] in proposals["Mateo"].reasons
    assert ["together:Mateo", 20] in proposals["Lucía"].reasons
    response = as_user(world.hub).get("/a/union-county/hub/enrollment/matching/")
    assert "With sibling Lucía" in response.content.decode()
