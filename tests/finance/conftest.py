"""Finance fixtures: enrollments, ledger rows and staff written directly (inserting is what
the other modules' records allow; their own services are tested by their modules)."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone
from django_scopes import scopes_disabled

from alliance.billing.models import CreditNote, FamilyAccount, Invoice, Payment
from alliance.enrollment.models import Enrollment
from alliance.finance import services
from alliance.staffing.models import StaffMember
from tests.factories import ChildFactory, ClassroomFactory, FamilyFactory, ProgramFactory

D = Decimal
_n = itertools.count(1)


def today() -> date:
    return timezone.localdate()


def enroll(program, classroom, count: int, *, schedule: str = "full", start: date | None = None):
    start = start or today() - timedelta(days=400)
    with scopes_disabled():
        family = FamilyFactory(alliance=program.alliance)
        for _i in range(count):
            child = ChildFactory(family=family)
            Enrollment.objects.create(
                program=program,
                classroom=classroom,
                child=child,
                start_date=start,
                schedule=schedule,
            )


def account(program):
    with scopes_disabled():
        family = FamilyFactory(alliance=program.alliance)
        return FamilyAccount.objects.create(program=program, family=family, number=f"F{next(_n)}")


def invoice(program, acct, total: str, *, on: date | None = None):
    on = on or today() - timedelta(days=10)
    with scopes_disabled():
        return Invoice.objects.create(
            program=program,
            account=acct,
            kind="manual",
            number=f"I{next(_n)}",
            issued_on=on,
            due_on=on + timedelta(days=10),
            total=D(total),
            family_amount=D(total),
            agency_amount=D(0),
        )


def payment(program, acct, amount: str, *, on: date | None = None):
    with scopes_disabled():
        return Payment.objects.create(
            program=program,
            account=acct,
            payer_kind="family",
            kind="payment",
            method="check",
            amount=D(amount),
            received_on=on or today() - timedelta(days=5),
        )


def write_off(program, acct, amount: str, *, on: date | None = None):
    with scopes_disabled():
        return CreditNote.objects.create(
            program=program,
            account=acct,
            kind="write_off",
            number=f"C{next(_n)}",
            amount=D(amount),
            issued_on=on or today() - timedelta(days=3),
            reason="Family left owing",
        )


def staff(program, *, wage: str, hours: str, role: str = "teacher"):
    with scopes_disabled():
        return StaffMember.objects.create(
            program=program,
            full_name=f"Staff {next(_n)}",
            role=role,
            hire_date=today() - timedelta(days=500),
            wage=D(wage),
            hours_per_week=D(hours),
        )


@pytest.fixture(autouse=True)
def _fresh_alliance_figures():
    """The alliance-wide figures are cached for 5 minutes; each test starts without them."""
    cache.clear()
    yield
    cache.clear()


MODEL = {
    "rooms": [
        {
            "name": "Infants",
            "age_group": "infant",
            "capacity": "8",
            "enrolled_fte": "8",
            "ccap_percent": "0",
        },
        {
            "name": "Preschool",
            "age_group": "preschool",
            "capacity": "20",
            "enrolled_fte": "15",
            "ccap_percent": "20",
        },
    ],
    "positions": [
        {
            "title": "Infant teacher",
            "room": "Infants",
            "count": "2",
            "hourly_wage": "20",
            "hours_per_week": "40",
        },
        {
            "title": "Preschool teacher",
            "room": "Preschool",
            "count": "2",
            "hourly_wage": "18",
            "hours_per_week": "40",
        },
        {
            "title": "Director",
            "room": "",
            "count": "1",
            "hourly_wage": "30",
            "hours_per_week": "40",
        },
    ],
    "weekly_tuition": {"infant": "400", "toddler": "350", "preschool": "300", "school_age": "200"},
    "costs": {
        "rent": "36000",
        "food": "10000",
        "supplies": "5000",
        "insurance": "4000",
        "other": "0",
    },
    "payroll_tax_percent": "10",
    "benefits_annual": "12000",
    "food_program_annual": "7000",
    "other_revenue_annual": "0",
}


@pytest.fixture
def model(world):
    with scopes_disabled():
        return services.save_cost_model(
            acting_user=world.director1, program=world.program1, inputs=MODEL
        )


@pytest.fixture
def peers(world):
    """Six more centers in the alliance, each 52 seats (same band as program1), with
    enrollment and billing: enough for benchmarks to show."""
    made = []
    with scopes_disabled():
        for i in range(6):
            p = ProgramFactory(alliance=world.alliance, name=f"Peer Center {i}", slug=f"peer-{i}")
            room = ClassroomFactory(
                program=p, name="Room", staffed_capacity=10, licensed_capacity=12
            )
            enroll(p, room, 5 + i)
            acct = account(p)
            invoice(p, acct, "1000.00")
            payment(p, acct, str(900 + i * 10))
            made.append(p)
    return made
