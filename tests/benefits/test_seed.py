"""The benefits seed step: open enrollment is open on the seed's day, most members have a
policy, about half of eligible staff are enrolled, and Sam Teacher can enroll."""

from __future__ import annotations

from datetime import date

import pytest
from django_scopes import scopes_disabled

from alliance.benefits import figures
from alliance.benefits.models import Election, MemberPolicy, PlanYear, StandaloneQuote
from alliance.benefits.queries import choices_for
from alliance.benefits.services_elections import open_plan_year
from alliance.core.tenancy import program_scope
from alliance.members.models import Program
from alliance.seed.generate import seed
from alliance.staffing.models import StaffMember

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 29)


def test_seed_gives_an_open_enrollment_and_enrolled_staff():
    seed("small", today=TODAY, log=lambda msg: None)
    with scopes_disabled():
        program = Program.objects.select_related("alliance").get(slug="little-learners")
        assert open_plan_year(program.alliance_id, TODAY).name == "2027"
        assert PlanYear.objects.count() == 2
        programs = list(Program.objects.filter(alliance=program.alliance))
        with_policy = {p.program_id for p in MemberPolicy.objects.all()}
        assert len(with_policy) >= len(programs) * 0.6
        assert StandaloneQuote.objects.filter(program=program).exists()
        total = figures.totals(figures.participation(programs, TODAY))
        assert 35 <= total.rate <= 75
        sam = StaffMember.objects.select_related("program__alliance").get(
            user__email="staff1@example.org"
        )
        assert not Election.objects.filter(staff=sam).exists()
    with program_scope(program):
        choices = choices_for(sam, TODAY)
    assert choices.window.reason == "open_enrollment"
    health = choices.offers["health"]
    assert health and all(offer.problem is None for offer in health)
