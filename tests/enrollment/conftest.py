"""A small enrollment scenario on top of the shared ``world``: an enrolled child with today's
attendance, a waiting family with a proposal and a pending offer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from alliance.enrollment.models import Application, Attendance, Enrollment, Offer, Proposal
from alliance.enrollment.services import check_in
from alliance.enrollment.services_applications import submit_application
from alliance.enrollment.services_offers import run_matching, send_offer
from tests.enrollment.helpers import make_enrollment
from tests.enrollment.test_services import application_input


@dataclass
class Scenario:
    enrollment: Enrollment
    attendance: Attendance
    application: Application
    proposal: Proposal
    offer: Offer
    waiting: Application  # a second waiting application with a proposal not yet offered
    waiting_proposal: Proposal


@pytest.fixture
def scenario(world) -> Scenario:
    with scopes_disabled():
        enrollment = make_enrollment(world.program1, world.classroom1)
        attendance = check_in(
            acting_user=world.staff,
            program=world.program1,
            child_id=enrollment.child_id,
            at=timezone.now() - timedelta(minutes=5),
        )
        application = submit_application(
            acting_user=None,
            alliance=world.alliance,
            data=application_input(preferred_programs=[world.program1.pk]),
        )
        waiting = submit_application(
            acting_user=None,
            alliance=world.alliance,
            data=application_input(
                email="ana@example.org",
                guardian_name="Ana Ruiz",
                town="Plainfield",
                children=[
                    type(application_input().children[0])(
                        "Luz", "Ruiz", date.today() - timedelta(days=900)
                    )
                ],
            ),
        )
        run = run_matching(acting_user=world.hub, alliance=world.alliance)
        proposals = {p.applicant.application_id: p for p in run.proposals.all()}
        proposal = proposals[application.pk]
        offer = send_offer(acting_user=world.hub, proposal=proposal)
        return Scenario(
            enrollment=enrollment,
            attendance=attendance,
            application=application,
            proposal=proposal,
            offer=offer,
            waiting=waiting,
            waiting_proposal=proposals[waiting.pk],
        )
