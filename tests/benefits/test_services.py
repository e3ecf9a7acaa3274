"""Plans, rates, plan years, policies and quotes: bad input is refused whole, by field."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scopes_disabled

from alliance.benefits import services
from alliance.benefits.models import MemberPolicy, Plan, PlanRate, PlanYear
from alliance.core.models import AuditEntry
from tests.benefits.conftest import PDF

pytestmark = pytest.mark.django_db
D = Decimal


def errors_of(call, **kwargs) -> dict:
    with pytest.raises(ValidationError) as exc:
        call(**kwargs)
    return exc.value.message_dict


def test_policy_percent_over_100_and_negative_are_refused(world, pool):
    with scopes_disabled():
        base = {"acting_user": world.director1, "program": world.program1, "plan": pool.health}
        errors = errors_of(services.set_policy, **base, contribution_kind="percent_tier",
                           contribution_value=D("120"))  # fmt: skip
        assert "100 or less" in errors["contribution_value"][0]
        errors = errors_of(services.set_policy, **base, contribution_kind="fixed",
                           contribution_value=D("-5"))  # fmt: skip
        assert "negative" in errors["contribution_value"][0]
        errors = errors_of(services.set_policy, **base, contribution_kind="fixed",
                           contribution_value=D("5"), contribution_cap=D("-1"), waiting_days=-3,
                           eligible_roles=["astronaut"])  # fmt: skip
        assert set(errors) == {"contribution_cap", "waiting_days", "eligible_roles"}
        # Nothing changed: the 80% policy stands.
        policy = MemberPolicy.objects.get(program=world.program1, plan=pool.health)
        assert (policy.contribution_kind, policy.contribution_value) == ("percent_employee", 80)


def test_fixed_amount_above_100_is_fine_and_audited(world, pool):
    with scopes_disabled():
        policy = services.set_policy(
            acting_user=world.director1, program=world.program1, plan=pool.health,
            contribution_kind="fixed", contribution_value=D("450"), contribution_cap=None,
        )  # fmt: skip
        assert policy.contribution_value == D("450.00")
        assert AuditEntry.objects.filter(
            action="benefits.policy_set", actor=world.director1
        ).exists()


def test_another_alliance_plan_cannot_get_a_policy(world, pool):
    with scopes_disabled():
        plan = Plan.objects.create(alliance=world.other_alliance, kind="health", carrier="X",
                                   name="Y")  # fmt: skip
        errors = errors_of(services.set_policy, acting_user=world.director1,
                           program=world.program1, plan=plan, contribution_kind="fixed",
                           contribution_value=D(1))  # fmt: skip
        assert "plan" in errors


def test_retirement_plan_needs_sound_limits_and_formula(world):
    with scopes_disabled():
        errors = errors_of(
            services.save_plan, acting_user=world.hub, alliance=world.alliance,
            kind="retirement", carrier="Trust", name="401k", deferral_min_percent=D(10),
            deferral_max_percent=D(5), match_formula=[[5, 100], [3, 50]], vesting=[[1, 150]],
        )  # fmt: skip
        assert set(errors) == {"deferral_max_percent", "match_formula", "vesting"}
        assert not Plan.objects.exists()


def test_plan_summary_must_be_a_real_pdf(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with scopes_disabled():
        fake = SimpleUploadedFile("summary.pdf", b"MZ not a pdf")
        errors = errors_of(services.save_plan, acting_user=world.hub, alliance=world.alliance,
                           kind="dental", carrier="A", name="B", summary=fake)  # fmt: skip
        assert "not a real PDF" in errors["summary"][0]
        word = SimpleUploadedFile("summary.docx", PDF)
        errors = errors_of(services.save_plan, acting_user=world.hub, alliance=world.alliance,
                           kind="dental", carrier="A", name="B", summary=word)  # fmt: skip
        assert "PDF" in errors["summary"][0]
        big = SimpleUploadedFile("summary.pdf", PDF + b"x" * (10 * 1024 * 1024))
        errors = errors_of(services.save_plan, acting_user=world.hub, alliance=world.alliance,
                           kind="dental", carrier="A", name="B", summary=big)  # fmt: skip
        assert "10 MB" in errors["summary"][0]
        plan = services.save_plan(acting_user=world.hub, alliance=world.alliance, kind="dental",
                                  carrier="A", name="B",
                                  summary=SimpleUploadedFile("summary.pdf", PDF))  # fmt: skip
        assert plan.summary.name.endswith(".pdf")


def test_rates_replace_on_the_same_day_and_refuse_negative(world, pool):
    with scopes_disabled():
        day = date(pool.today.year, 1, 1)
        errors = errors_of(services.set_rates, acting_user=world.hub, plan=pool.health,
                           effective_on=day, employee=D("-1"), employee_spouse=D(1),
                           employee_children=D(1), family=D(1))  # fmt: skip
        assert set(errors) == {"employee"}
        services.set_rates(acting_user=world.hub, plan=pool.health, effective_on=day,
                           employee=D("510.555"), employee_spouse=D(1000),
                           employee_children=D(900), family=D(1500))  # fmt: skip
        rate = PlanRate.objects.get(plan=pool.health)
        assert rate.employee == D("510.56")
        errors = errors_of(services.set_rates, acting_user=world.hub, plan=pool.retirement,
                           effective_on=day, employee=D(1), employee_spouse=D(1),
                           employee_children=D(1), family=D(1))  # fmt: skip
        assert "effective_on" in errors


def test_plan_years_do_not_overlap(world, pool):
    with scopes_disabled():
        errors = errors_of(
            services.save_plan_year, acting_user=world.hub, alliance=world.alliance,
            name="Overlap", starts_on=date(pool.today.year, 6, 1),
            ends_on=date(pool.today.year + 1, 5, 31), enrollment_opens_on=pool.today,
            enrollment_closes_on=pool.today,
        )  # fmt: skip
        assert "starts_on" in errors
        assert PlanYear.objects.count() == 2


def test_quotes_and_pay_frequency(world, pool):
    with scopes_disabled():
        errors = errors_of(services.save_quote, acting_user=world.director1,
                           program=world.program1, kind="retirement", quoted_on=pool.today,
                           employee=D(1), employee_spouse=D(1), employee_children=D(1),
                           family=D(1))  # fmt: skip
        assert "kind" in errors
        with pytest.raises(ValidationError):
            services.set_pay_frequency(acting_user=world.director1, program=world.program1,
                                       pay_frequency="hourly")  # fmt: skip
        settings = services.set_pay_frequency(
            acting_user=world.director1, program=world.program1, pay_frequency="weekly"
        )
        assert settings.pay_frequency == "weekly"
