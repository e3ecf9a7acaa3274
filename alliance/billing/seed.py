"""Demo billing: for every program its settings, monthly tuition per classroom, a
registration fee, a sibling discount at half the programs and the default chart of accounts;
an account for every family with an enrolled child; CCAP authorizations (renewed every year)
for about 30% of the children at programs that accept CCAP; and posted monthly runs (through
the billing-run service, ``post_runs``: every month of a program in one call) for the past
months, with most family invoices paid, some late and a few unpaid.

The small scale bills 12 months, the county scale 24 and the state scale 3 (``months_to_bill``:
the scale's history, but only 3 months at the state scale to keep its seed in minutes).
The agency pays its shares of every month but the last three complete ones, which the
subsidy-claims part claims (and records the agency's payments of).

family1@example.org (Fernanda López) has an account at Little Learners: every invoice paid
but the current month's.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from alliance.billing import services_runs
from alliance.billing.models import (
    DEFAULT_MAPPING,
    AccountMapping,
    Allocation,
    BillingSettings,
    CcapAuthorization,
    CopaySource,
    CreditKind,
    CreditNote,
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
from alliance.core.models import AuditEntry
from alliance.enrollment.models import Enrollment
from alliance.members.models import ProgramKind
from alliance.rules import ccap
from alliance.seed.registry import SeedContext, register_step
from alliance.seed.util import bulk

MAX_MONTHS = 24
# The state scale (12,500 children in each of 20 alliances) bills 3 months: 12 would post
# about 2.3 million invoices: 4 months take about 24 s per alliance on PostgreSQL, so 13 would
# add some 18 minutes to the seed.
BIG_SCALE_CHILDREN, BIG_SCALE_MONTHS = 5_000, 3


def months_to_bill(scale) -> int:
    """Past months posted by the seed (plus the current one): the scale's history (small
    12, county 24), at most ``MAX_MONTHS``; 3 at the state scale."""
    if scale.children_in_care > BIG_SCALE_CHILDREN:
        return min(scale.history_months, BIG_SCALE_MONTHS)
    return min(scale.history_months, MAX_MONTHS)


CENT = Decimal("0.01")
CCAP_DATA_FROM = date(2024, 8, 1)  # the first CCAP rate and co-pay tables both in force
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

    # CCAP: ~30% of children at programs that accept it, from their first day in the program
    # (or the first billed month; not before the CCAP tables of alliance.rules begin),
    # renewed every year (the co-pay recomputed on the day).
    first_day: dict[tuple[int, int], date] = {}
    for e in enrollments:
        key = (e.program_id, e.child_id)
        first_day[key] = min(first_day.get(key, e.start_date), e.start_date)
    auths = []
    ccap_rooms = [
        e for e in enrollments if e.end_date is None and programs[e.program_id].accepts_ccap
    ]
    for e in ccap_rooms:
        if rng.random() >= 0.43:  # ~70% of programs accept CCAP → ~30% of all children
            continue
        program = programs[e.program_id]
        begins = max(first_day[(e.program_id, e.child_id)], start, CCAP_DATA_FROM)
        size = rng.randint(2, 5)
        income = (ccap.poverty_guideline(size, on=begins) * Decimal(
            str(rng.uniform(0.6, 2.6))
        )).quantize(CENT, ROUND_HALF_UP)  # fmt: skip
        schedule = "part" if e.schedule == "part" else "full"
        case, special = f"UC{rng.randint(100000, 999999)}", rng.random() < 0.04
        while begins <= ctx.today:
            copay = ccap.weekly_copays_per_child(income, size, [schedule], begins)[0]
            auths.append(
                CcapAuthorization(
                    program=program, account=accounts[(e.program_id, e.child.family_id)],
                    child=e.child, agency=agency, case_number=case, starts_on=begins,
                    ends_on=begins + timedelta(days=364), schedule=schedule,
                    provider_type=provider_type_for(program), star_rating=star_rating_for(program),
                    special_needs=special, copay_source=CopaySource.COMPUTED,
                    annual_income=income, household_size=size, weekly_copay=copay,
                )
            )  # fmt: skip
            begins += timedelta(days=365)
    bulk(CcapAuthorization, auths)

    # Runs through the service (the same code directors use): every month of a program in
    # one call, posted by its director.
    runs = 0
    months = _month_starts(ctx)
    for p in ctx.programs:
        runs += len(
            services_runs.post_runs(
                acting_user=ctx.directors.get(p.pk),
                programs=[p],
                period="monthly",
                days=months,
                notify_families=False,  # demo history: nobody is told about old runs
            )
        )
    payments, unpaid = _pay(ctx)
    payments += _pay_agency(ctx, agency)
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


@dataclass(slots=True)
class _Due:
    """An invoice with a family share, as the payments need it (read with values_list)."""

    COLUMNS = (
        "pk", "program_id", "account_id", "number", "family_amount", "issued_on", "due_on",
        "account__family__account__email",
    )  # fmt: skip
    pk: int
    program_id: int
    account_id: int
    number: str
    family_amount: Decimal
    issued_on: date
    due_on: date
    email: str | None


def _pay(ctx: SeedContext) -> tuple[int, list[tuple[_Due, Decimal]]]:
    """Family payments: most invoices paid by the due date, some late, a few partly or not
    at all; the current month about half paid. Bulk rows that keep the ledger invariants
    (each payment is applied in full to its invoice). Returns the number of payments and
    the invoices of past months still open, with what is open on each."""
    rng = ctx.rng
    demo_family = "family1@example.org"
    invoices = [
        _Due(*values)
        for values in Invoice.objects.filter(program__alliance=ctx.alliance, family_amount__gt=0)
        .order_by("pk")
        .values_list(*_Due.COLUMNS)
    ]
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
        is_demo = inv.email == demo_family
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
        paid = amount if amount and received <= ctx.today else Decimal("0")
        if inv.issued_on < current and paid < inv.family_amount:
            unpaid.append((inv, inv.family_amount - paid))
        if not paid:
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
                program_id=p.program_id, invoice_id=inv.pk, payment=p,
                payer_kind=PayerKind.FAMILY, amount=p.amount,
            )
            for p, inv in zip(pays, amounts, strict=True)
        ],
    )  # fmt: skip
    return len(pays), unpaid


# The subsidy-claims step claims (and records the agency's payments of) the last three
# complete months; the agency has paid every older month.
CLAIMED_MONTHS = 3


def _pay_agency(ctx: SeedContext, agency: SubsidyAgency) -> int:
    """The agency share of every invoice of a month older than the claimed ones, paid in
    full 18–28 days after the month (one agency payment per invoice, applied to it, as the
    claims step records them), so aging shows no agency debt years old."""
    rng = ctx.rng
    first = ctx.today.replace(day=1)
    for _ in range(CLAIMED_MONTHS):
        first = (first - timedelta(days=1)).replace(day=1)
    rows = list(
        Invoice.objects.filter(
            program__alliance=ctx.alliance, agency_amount__gt=0, period_start__lt=first
        )
        .order_by("pk")
        .values_list("pk", "program_id", "account_id", "agency_amount", "period_start",
                     "period_end")
    )  # fmt: skip
    received: dict[date, date] = {}
    note = f"Agency payment from {agency.name}"[:300]
    pays = []
    for _pk, pid, account_id, amount, start, end in rows:
        if start not in received:
            received[start] = min(end + timedelta(days=rng.randint(18, 28)), ctx.today)
        pays.append(
            Payment(
                program_id=pid, account_id=account_id, payer_kind=PayerKind.AGENCY,
                kind="payment", method=PaymentMethod.AGENCY, amount=amount,
                received_on=received[start], reference=f"EFT-{start:%Y%m}-{pid}", note=note,
            )
        )  # fmt: skip
    pays = bulk(Payment, pays)
    bulk(
        Allocation,
        [
            Allocation(
                program_id=p.program_id, invoice_id=row[0], payment=p,
                payer_kind=PayerKind.AGENCY, amount=p.amount,
            )
            for p, row in zip(pays, rows, strict=True)
        ],
    )  # fmt: skip
    return len(pays)


WRITE_OFF_AFTER_DAYS = 90
WRITE_OFF_REASON = "Uncollectible: still unpaid 90 days after the due date"
# Open more than a year after the due date: always written off by then.
WRITE_OFF_ALL_AFTER_DAYS = 365


def _write_off(ctx: SeedContext, unpaid: list[tuple[_Due, Decimal]]) -> int:
    """Bad debt: what is still open on an invoice 90 days after its due date is written
    off then for about half of them, and always when the due date is over a year ago (so
    aging holds no family debt years old), so the bad-debt rate of the reports is not 0.0%
    everywhere. Bulk rows as ``services.issue_credit`` writes them for an invoice: a
    write-off credit note of the open amount numbered from the program's credit numbers,
    applied to the invoice, and its audit row (by the program's director)."""
    rng = ctx.rng
    chosen = []
    long_ago = ctx.today - timedelta(days=WRITE_OFF_ALL_AFTER_DAYS)
    for inv, open_amount in unpaid:
        written_on = inv.due_on + timedelta(days=WRITE_OFF_AFTER_DAYS)
        if written_on > ctx.today or (inv.due_on > long_ago and rng.random() >= 0.5):
            continue
        chosen.append((inv, written_on, open_amount))
    if not chosen:
        return 0
    settings = {
        s.program_id: s
        for s in BillingSettings.objects.filter(program_id__in={c[0].program_id for c in chosen})
    }
    notes = []
    for inv, written_on, open_amount in chosen:
        s = settings[inv.program_id]
        number, s.next_credit_number = f"CR-{s.next_credit_number:06d}", s.next_credit_number + 1
        notes.append(
            CreditNote(
                program_id=inv.program_id, account_id=inv.account_id, invoice_id=inv.pk,
                kind=CreditKind.WRITE_OFF, payer_kind=PayerKind.FAMILY, number=number,
                amount=open_amount, issued_on=written_on, reason=WRITE_OFF_REASON,
                created_by=ctx.directors.get(inv.program_id),
            )
        )  # fmt: skip
    BillingSettings.objects.bulk_update(settings.values(), ["next_credit_number"])
    notes = bulk(CreditNote, notes)
    bulk(
        Allocation,
        [
            Allocation(
                program_id=n.program_id, invoice_id=n.invoice_id, credit_note=n,
                payer_kind=PayerKind.FAMILY, amount=n.amount,
            )
            for n in notes
        ],
    )  # fmt: skip
    bulk(
        AuditEntry,
        [
            AuditEntry(
                actor=n.created_by, alliance=ctx.alliance, program_id=n.program_id,
                action=f"billing.credit_{CreditKind.WRITE_OFF}", object_type="billing.creditnote",
                object_id=str(n.pk), summary=f"{n.number} {n.amount}: {WRITE_OFF_REASON}"[:300],
                data={"invoice": inv.number},
            )
            for n, (inv, _d, _a) in zip(notes, chosen, strict=True)
        ],
    )  # fmt: skip
    return len(notes)


register_step("billing.ledger", seed_billing)

# --- Other billing parts' steps run after the ledger (they build on its invoices). ---
import alliance.billing.seed_claims  # noqa: E402,F401
