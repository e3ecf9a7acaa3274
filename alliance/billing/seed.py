"""Demo billing: for every program its settings, monthly tuition per classroom, a
registration fee, a sibling discount at half the programs and the default chart of accounts;
an account for every family with an enrolled child; CCAP authorizations for about 30% of the
children at programs that accept CCAP; and posted monthly runs (through the billing-run
service) for the past months, with most family invoices paid, some late and a few unpaid.

The enrollment seed starts every enrollment within the last year, so runs go back at most 12
months (``MAX_MONTHS``) even where the scale's history is longer: older months would be empty.
To keep the seed fast, the county scale bills the last 6 months and the state scale 3
(``months_to_bill``); 13 months at county scale took 105 s on a loaded 2-core machine.
Agency shares stay open here: the subsidy-claims part records agency payments.

family1@example.org (Fernanda López) has an account at Little Learners: every invoice paid
but the current month's.
"""

from __future__ import annotations

import time
from collections import defaultdict
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError

from alliance.billing import services, services_runs
from alliance.billing.models import (
    DEFAULT_MAPPING,
    AccountMapping,
    Allocation,
    BillingSettings,
    CcapAuthorization,
    CopaySource,
    CreditKind,
    DiscountPolicy,
    FamilyAccount,
    FeeType,
    Invoice,
    Payer,
    PayerKind,
    Payment,
    PaymentMethod,
    SubsidyAgency,
    TuitionRate,
)
from alliance.billing.services import account_number, provider_type_for, star_rating_for
from alliance.enrollment.models import Enrollment
from alliance.members.models import ProgramKind
from alliance.rules import ccap
from alliance.seed.registry import SeedContext, register_step
from alliance.seed.util import bulk

MAX_MONTHS = 12


def months_to_bill(scale) -> int:
    """Past months posted by the seed (plus the current one). Each month is one run per
    program; to keep the seed near 20 s the bigger scales bill fewer months (county: 6,
    state: 3) than their history."""
    if scale.children_in_care <= 1_000:
        return min(scale.history_months, MAX_MONTHS)
    if scale.children_in_care <= 5_000:
        return min(scale.history_months, 6)
    return min(scale.history_months, 3)


CENT = Decimal("0.01")
HUNDRED = Decimal("100")
# Monthly full-time tuition of a center by the youngest age a room takes (months).
CENTER_MONTHLY = [(0, "1650"), (18, "1450"), (30, "1250"), (60, "820")]


def _monthly(room, program) -> Decimal:
    amount = Decimal("1250")
    for months, value in CENTER_MONTHLY:
        if room.age_min_months >= months:
            amount = Decimal(value)
    if program.kind == ProgramKind.FAMILY_HOME:
        amount = (amount * Decimal("0.8")).quantize(Decimal("1"))
    return amount


def _month_starts(ctx: SeedContext) -> list[date]:
    first = ctx.today.replace(day=1)
    months = months_to_bill(ctx.scale)
    out = []
    y, m = first.year, first.month
    for _ in range(months + 1):
        out.append(date(y, m, 1))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return sorted(out)


def seed_billing(ctx: SeedContext) -> dict[str, int]:
    began = time.perf_counter()
    rng = ctx.rng
    agency = SubsidyAgency.objects.create(
        alliance=ctx.alliance,
        name=f"{ctx.alliance.county} County Child Care Resource & Referral",
        code=f"{ctx.alliance.county[:3].upper()}-CCRR",
        email="ccap@example.org",
        phone="(908) 555-0199",
    )
    programs = {p.pk: p for p in ctx.programs}
    rooms_by_program = defaultdict(list)
    for room in ctx.classrooms:
        rooms_by_program[room.program_id].append(room)
    start = _month_starts(ctx)[0]
    bulk(
        BillingSettings,
        [
            BillingSettings(
                program=p,
                period="monthly",
                due_days=10,
                bill_ccap_difference=rng.random() < 0.4,
                statement_name=p.name,
                remit_to=f"{p.name}\n{p.address}\n{p.town}, NJ {p.zip_code}",
            )
            for p in ctx.programs
        ],
    )
    rates = []
    for p in ctx.programs:
        for room in rooms_by_program[p.pk]:
            full = _monthly(room, p)
            for schedule, amount in (
                ("full", full),
                ("part", (full * Decimal("0.6")).quantize(CENT)),
            ):
                rates.append(
                    TuitionRate(
                        program=p, classroom=room, schedule=schedule, period="monthly",
                        amount=amount, effective_from=start - timedelta(days=365),
                    )
                )  # fmt: skip
    bulk(TuitionRate, rates)
    bulk(
        FeeType,
        [
            FeeType(program=p, name="Registration", amount=Decimal("75.00"), charge="once")
            for p in ctx.programs
        ],
    )
    bulk(
        DiscountPolicy,
        [
            DiscountPolicy(
                program=p, kind="sibling", method="percent", value=Decimal("10"),
                effective_from=start - timedelta(days=365),
            )
            for i, p in enumerate(ctx.programs) if i % 2 == 0
        ],
    )  # fmt: skip
    bulk(
        AccountMapping,
        [
            AccountMapping(
                program=p, category=cat, account_code=code, account_name=name, account_type=kind
            )
            for p in ctx.programs
            for cat, (code, name, kind) in DEFAULT_MAPPING.items()
        ],
    )

    enrollments = list(
        Enrollment.objects.filter(program__alliance=ctx.alliance).select_related("child__family")
    )
    accounts: dict[tuple[int, int], FamilyAccount] = {}
    for e in enrollments:
        key = (e.program_id, e.child.family_id)
        if key not in accounts:
            accounts[key] = FamilyAccount(
                program_id=e.program_id,
                family=e.child.family,
                number=account_number(e.child.family),
                autopay_enabled=rng.random() < 0.25,
            )
    created = bulk(FamilyAccount, list(accounts.values()))
    for acc in created:
        if acc.autopay_enabled:
            acc.autopay_method = rng.choice(["ach", "card"])
    bulk(
        Payer,
        [
            Payer(
                program_id=a.program_id, account=a, name=a.family.guardian_name or a.family.name,
                email=a.family.email, user_id=a.family.account_id, share_percent=HUNDRED,
                is_primary=True,
            )
            for a in created
        ],
    )  # fmt: skip

    # CCAP: ~30% of children at programs that accept it (the enrollment start, for a year).
    auths = []
    ccap_rooms = [e for e in enrollments if programs[e.program_id].accepts_ccap]
    for e in ccap_rooms:
        if rng.random() >= 0.43:  # ~70% of programs accept CCAP → ~30% of all children
            continue
        program = programs[e.program_id]
        begins = max(e.start_date, start)
        size = rng.randint(2, 5)
        income = (ccap.poverty_guideline(size, on=max(begins, date(2024, 8, 1))) * Decimal(
            str(rng.uniform(0.6, 2.6))
        )).quantize(CENT, ROUND_HALF_UP)  # fmt: skip
        schedule = "part" if e.schedule == "part" else "full"
        on = max(begins, date(2024, 8, 1))
        copay = ccap.weekly_copays_per_child(income, size, [schedule], on)[0]
        auths.append(
            CcapAuthorization(
                program=program, account=accounts[(e.program_id, e.child.family_id)], child=e.child,
                agency=agency, case_number=f"UC{rng.randint(100000, 999999)}", starts_on=begins,
                ends_on=begins + timedelta(days=364), schedule=schedule,
                provider_type=provider_type_for(program), star_rating=star_rating_for(program),
                special_needs=rng.random() < 0.04, copay_source=CopaySource.COMPUTED,
                annual_income=income, household_size=size, weekly_copay=copay,
            )
        )  # fmt: skip
    bulk(CcapAuthorization, auths)

    # Runs, month by month, through the service (the same code directors use).
    runs = 0
    for month in _month_starts(ctx):
        for p in ctx.programs:
            try:
                services_runs.post_run(
                    acting_user=ctx.directors.get(p.pk),
                    program=p,
                    period="monthly",
                    day=month,
                    notify_families=False,  # demo history: nobody is told about old runs
                )
                runs += 1
            except ValidationError:
                continue  # nothing to bill that month (no enrollment yet)
    payments, unpaid = _pay(ctx)
    write_offs = _write_off(ctx, unpaid)
    ctx.log(
        f"  billing: {runs} runs, {payments} payments and {write_offs} write-offs"
        f" in {time.perf_counter() - began:.1f} s"
    )
    return {
        "billing accounts": len(created),
        "CCAP authorizations": len(auths),
        "billing runs": runs,
        "invoices": Invoice.objects.filter(program__alliance=ctx.alliance).count(),
        "payments": payments,
        "bad-debt write-offs": write_offs,
    }


def _pay(ctx: SeedContext) -> tuple[int, list[Invoice]]:
    """Family payments: most invoices paid by the due date, some late, a few partly or not
    at all; the current month about half paid. Bulk rows that keep the ledger invariants
    (each payment is applied in full to its invoice). Returns the number of payments and
    the invoices left wholly unpaid."""
    rng = ctx.rng
    demo_family = "family1@example.org"
    invoices = list(
        Invoice.objects.filter(program__alliance=ctx.alliance, family_amount__gt=0)
        .select_related("account__family__account")
        .order_by("pk")
    )
    current = ctx.today.replace(day=1)
    methods = [
        PaymentMethod.ACH,
        PaymentMethod.ACH,
        PaymentMethod.CARD,
        PaymentMethod.CHECK,
        PaymentMethod.CASH,
    ]
    pays, amounts, unpaid = [], [], []
    for inv in invoices:
        fam_user = inv.account.family.account
        is_demo = fam_user is not None and fam_user.email == demo_family
        roll = rng.random()
        if inv.issued_on >= current:
            amount = inv.family_amount if (roll < 0.5 and not is_demo) else None
            received = inv.issued_on + timedelta(days=rng.randint(0, 8))
        elif is_demo or roll < 0.80:
            amount, received = inv.family_amount, inv.due_on - timedelta(days=rng.randint(0, 9))
        elif roll < 0.91:
            amount, received = inv.family_amount, inv.due_on + timedelta(days=rng.randint(1, 45))
        elif roll < 0.96:
            amount = (inv.family_amount * Decimal(str(rng.choice([0.25, 0.5, 0.75])))).quantize(
                CENT
            )
            received = inv.due_on + timedelta(days=rng.randint(0, 30))
        else:
            amount = None  # unpaid: aging has something to show
            received = inv.due_on
            unpaid.append(inv)
        if not amount or received > ctx.today:
            continue
        method = rng.choice(methods)
        pays.append(
            Payment(
                program_id=inv.program_id, account_id=inv.account_id, payer_kind=PayerKind.FAMILY,
                kind="payment", method=method, amount=amount, received_on=received,
                reference=f"{method.upper()}-{inv.pk:07d}" if method != PaymentMethod.CASH else "",
            )
        )  # fmt: skip
        amounts.append(inv)
    pays = bulk(Payment, pays)
    bulk(
        Allocation,
        [
            Allocation(
                program_id=p.program_id, invoice=inv, payment=p, payer_kind=PayerKind.FAMILY,
                amount=p.amount,
            )
            for p, inv in zip(pays, amounts, strict=True)
        ],
    )  # fmt: skip
    return len(pays), unpaid


WRITE_OFF_AFTER_DAYS = 90


def _write_off(ctx: SeedContext, unpaid: list[Invoice]) -> int:
    """Bad debt: about half of the invoices never paid and over 90 days past due are written
    off (through the credit service, dated 90 days after the due date), so the bad-debt rate
    of the reports is not 0.0% everywhere."""
    rng = ctx.rng
    done = 0
    for inv in unpaid:
        written_on = inv.due_on + timedelta(days=WRITE_OFF_AFTER_DAYS)
        if written_on > ctx.today or rng.random() >= 0.5:
            continue
        services.issue_credit(
            acting_user=ctx.directors.get(inv.program_id),
            account=inv.account,
            amount=inv.family_amount,
            reason="Uncollectible: no payment 90 days after the due date",
            invoice=inv,
            kind=CreditKind.WRITE_OFF,
            issued_on=written_on,
        )
        done += 1
    return done


register_step("billing.ledger", seed_billing)

# --- Other billing parts' steps run after the ledger (they build on its invoices). ---
import alliance.billing.seed_claims  # noqa: E402,F401
