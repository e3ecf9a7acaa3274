"""Staff, credential and job services: validation before any write, audit rows."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_scopes import scopes_disabled

from alliance.accounts.models import Invitation
from alliance.core.models import AuditEntry
from alliance.core.tenancy import program_scope
from alliance.staffing import queries, services, services_credentials, services_jobs
from alliance.staffing.models import Application, Credential, StaffMember
from alliance.staffing.requirements import EXPIRING, LAPSED, MISSING, OK
from tests.staffing.factories import CredentialFactory, PostingFactory, StaffFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 test"


def actions() -> list[str]:
    with scopes_disabled():
        return list(AuditEntry.objects.values_list("action", flat=True))


def test_create_staff_links_the_account_with_a_role_here(world):
    with program_scope(world.program1):
        staff = services.create_staff(
            acting_user=world.director1,
            program=world.program1,
            full_name="Staff One",
            email="STAFF1@example.org",
            role="group_teacher",
            hire_date=date(2024, 1, 8),
            hours_per_week=Decimal("40"),
            wage=Decimal("18.25"),
        )
    assert staff.user == world.staff
    assert "staff.created" in actions()


def test_bad_staff_input_saves_nothing(world):
    with program_scope(world.program1), pytest.raises(ValidationError) as exc:
        services.create_staff(
            acting_user=world.director1,
            program=world.program1,
            full_name=" ",
            role="astronaut",
            hire_date=date(2024, 1, 8),
            hours_per_week=Decimal("90"),
            wage=Decimal("-1"),
        )
    assert {"full_name", "role", "hours_per_week", "wage"} <= set(exc.value.message_dict)
    with scopes_disabled():
        assert StaffMember.objects.count() == 0
    assert actions() == []


def test_separation_needs_a_reason_and_a_date_after_hire(world):
    with scopes_disabled():
        staff = StaffFactory(program=world.program1, hire_date=date(2024, 1, 8))
    with program_scope(world.program1):
        with pytest.raises(ValidationError) as exc:
            services.separate_staff(
                acting_user=world.director1, staff=staff, separated_on=date(2023, 1, 1), reason=""
            )
        assert set(exc.value.message_dict) == {"separated_on", "separation_reason"}
        services.separate_staff(
            acting_user=world.director1,
            staff=staff,
            separated_on=date(2025, 6, 30),
            reason="resigned_pay",
        )
    assert staff.separated_on == date(2025, 6, 30)


@pytest.mark.parametrize(
    ("name", "content", "field_error"),
    [
        ("card.docx", b"PK..", "PDF, JPEG or PNG"),
        ("card.pdf", b"not a pdf", "not a real"),
        ("card.png", b"\x89PNG\r\n\x1a\n" + b"0" * (5 * 1024 * 1024), "larger than 5 MB"),
    ],
)
def test_credential_proof_is_checked(world, name, content, field_error):
    with scopes_disabled():
        staff = StaffFactory(program=world.program1)
    with program_scope(world.program1), pytest.raises(ValidationError) as exc:
        services_credentials.add_credential(
            acting_user=world.director1,
            staff=staff,
            kind="cpr_first_aid",
            issued_on=date(2025, 1, 1),
            proof=SimpleUploadedFile(name, content),
        )
    assert field_error in exc.value.message_dict["proof"][0]
    with scopes_disabled():
        assert Credential.objects.count() == 0


def test_expiry_before_issue_is_refused(world):
    with scopes_disabled():
        staff = StaffFactory(program=world.program1)
    with program_scope(world.program1), pytest.raises(ValidationError) as exc:
        services_credentials.add_credential(
            acting_user=world.director1,
            staff=staff,
            kind="tb_test",
            issued_on=date(2025, 1, 1),
            expires_on=date(2024, 12, 31),
        )
    assert "expires_on" in exc.value.message_dict


def test_credential_with_proof_for_a_staff_without_account(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with scopes_disabled():
        staff = StaffFactory(program=world.program1)
    with program_scope(world.program1):
        credential = services_credentials.add_credential(
            acting_user=world.director1,
            staff=staff,
            kind="cpr_first_aid",
            issued_on=date(2025, 1, 1),
            expires_on=date(2027, 1, 1),
            proof=SimpleUploadedFile("cpr.pdf", PDF),
        )
    assert credential.staff == staff and credential.person is None
    assert credential.proof.name.endswith(".pdf")
    assert "credential.added" in actions()


def test_compliance_statuses(world):
    today = timezone.localdate()
    with scopes_disabled():
        staff = StaffFactory(program=world.program1, user=world.staff, role="group_teacher")
        a = world.alliance
        CredentialFactory(alliance=a, person=world.staff, kind="cari")
        CredentialFactory(
            alliance=a, person=world.staff, kind="tb_test", expires_on=today + timedelta(30)
        )
        CredentialFactory(
            alliance=a, person=world.staff, kind="physical", expires_on=today - timedelta(1)
        )
        CredentialFactory(
            alliance=a,
            person=world.staff,
            kind="cpr_first_aid",
            expires_on=today + timedelta(61),
        )
    with program_scope(world.program1):
        (row,) = queries.program_compliance(world.program1, today).rows
    status = {f.requirement.key: f.status for f in row.findings}
    assert row.staff == staff
    assert status == {
        "cari": OK,
        "fingerprints": MISSING,
        "tb_test": EXPIRING,
        "physical": LAPSED,
        "orientation": MISSING,
        "cpr_first_aid": OK,
    }


def test_retention_figures():
    today = date(2026, 6, 1)
    rows = [
        (date(2020, 6, 1), None),
        (date(2024, 6, 1), None),
        (date(2023, 1, 1), date(2026, 1, 15)),
        (date(2026, 2, 1), None),
    ]
    figures = queries.retention_figures(rows, today)
    # Headcount a year ago: 3; today: 3 → average 3; one separation → 33.3 %.
    assert figures.headcount == 3
    assert figures.separations == 1
    assert figures.turnover_pct == Decimal("33.3")
    # Tenure of the three current: 6 + 2 + 0.33 years → 2.8 on average.
    assert figures.average_tenure_years == Decimal("2.8")


def test_apply_twice_is_refused_and_hire_creates_the_record(world, mailoutbox):
    with scopes_disabled():
        posting = PostingFactory(program=world.program1)
    profile = {
        "full_name": "Ana Ruiz",
        "town": "Elizabeth",
        "languages": ["Spanish", "English"],
        "credentials": ["cda", "nonsense"],
        "share_with_members": True,
    }
    with program_scope(world.program1):
        application = services_jobs.apply(
            acting_user=None, posting=posting, email="ana@example.net", **profile
        )
        assert application.candidate.credentials == ["cda"]
        assert application.candidate.consented_at is not None
        with pytest.raises(ValidationError) as exc:
            services_jobs.apply(
                acting_user=None, posting=posting, email="ANA@example.net", **profile
            )
        assert "already applied" in exc.value.message_dict["email"][0]
        services_jobs.move_application(
            acting_user=world.director1, application=application, stage="interview"
        )
        staff = services_jobs.hire(
            acting_user=world.director1,
            application=application,
            hire_date=date(2026, 7, 1),
            wage=Decimal("19.00"),
        )
    assert staff.full_name == "Ana Ruiz" and staff.program == world.program1
    with scopes_disabled():
        assert Application.objects.get().stage == "hired"
        assert Invitation.objects.filter(email="ana@example.net", kind="staff").exists()
    assert "job.hired" in actions()
