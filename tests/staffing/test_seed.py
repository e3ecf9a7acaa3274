"""The staffing seed step: demo logins see staff, credentials to fix and open jobs."""

from __future__ import annotations

from datetime import date

import pytest
from django_scopes import scopes_disabled

from alliance.core.tenancy import program_scope
from alliance.members.models import Program
from alliance.seed.generate import seed
from alliance.staffing import queries
from alliance.staffing.models import Candidate, JobPosting, ScheduleBlock, StaffMember

pytestmark = pytest.mark.django_db

TODAY = date(2025, 3, 15)


def test_seed_gives_the_demo_program_staff_and_work_to_do():
    seed("small", today=TODAY, log=lambda msg: None)
    with scopes_disabled():
        program = Program.objects.select_related("alliance").get(slug="little-learners")
        staff1 = StaffMember.objects.get(user__email="staff1@example.org")
        assert staff1.program == program
        assert StaffMember.objects.filter(user__email="director1@example.org").exists()
        assert ScheduleBlock.objects.filter(staff=staff1).count() >= 5
        assert JobPosting.objects.filter(program=program).exists()
        assert Candidate.objects.filter(share_with_members=True).exists()
    with program_scope(program):
        report = queries.program_compliance(program, TODAY)
    assert len(report.rows) >= 3
    assert report.total_expiring + report.total_lapsed + report.total_missing > 0
