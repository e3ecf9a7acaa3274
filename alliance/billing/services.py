"""Billing set-up and corrections: settings, tuition rates, fees, discounts, family accounts
and payers, CCAP authorizations, one-off charges, manual invoices, credit notes and invoice
reversals.

Each service is keyword-only, atomic, takes the acting user and writes an audit row. Bad
input raises ``ValidationError`` naming the field before anything is saved. Runs live in
:mod:`services_runs`, payments in :mod:`services_payments`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from alliance.accounts.models import User
from alliance.billing.models import (
    DEFAULT_MAPPING,
    AccountMapping,
    Allocation,
    BillingSettings,
    CareSchedule,
    CcapAuthorization,
    CopaySource,
    CreditKind,
    CreditNote,
    DiscountPolicy,
    FamilyAccount,
    FeeType,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    LineKind,
    OneOffCharge,
    Payer,
    PayerKind,
    ProviderType,
    StarRating,
    TuitionRate,
)
from alliance.core.audit import changes, log_action
from alliance.core.money import to_money
from alliance.families.models import Child, Family
from alliance.members.models import Classroom, Program, ProgramKind
from alliance.rules import ccap

ZERO = Decimal("0")
HUNDRED = Decimal("100")


# --- helpers -------------------------------------------------------------------------


def parse_amount(value: Any, field: str, *, allow_zero: bool = False) -> Decimal:
    """A positive amount of money (or zero when allowed) or a ValidationError on ``field``."""
    if isinstance(value, float):
        raise ValidationError({field: _("Enter the amount as a number with cents, e.g. 125.50.")})
    try:
        amount = to_money(value if isinstance(value, Decimal | int) else str(value).strip())
    except (TypeError, ValueError, InvalidOperation):
        raise ValidationError(
            {field: _("Enter the amount as a number with cents, e.g. 125.50.")}
        ) from None
    if amount < 0 or (amount == 0 and not allow_zero):
        raise ValidationError(
            {field: _("Enter an amount greater than zero.")}
            if not allow_zero
            else {field: _("The amount cannot be negative.")}
        )
    return amount


def _audit(actor: User | None, action: str, target, program: Program, summary: str = "", data=None):
    log_action(
        actor=actor,
        action=f"billing.{action}",
        target=target,
        alliance=program.alliance,
        program=program,
        summary=summary,
        data=data,
    )


def settings_for(program: Program) -> BillingSettings:
    """The program's billing settings, created with defaults on first use."""
    found = BillingSettings.objects.filter(program=program).first()
    if found is None:
        found, _created = BillingSettings.objects.get_or_create(program=program)
    return found


def _locked_settings(program: Program) -> BillingSettings:
    settings_for(program)
    return BillingSettings.objects.select_for_update().get(program=program)


def next_numbers(program: Program, count: int, *, credit: bool = False) -> list[str]:
    """Reserve ``count`` consecutive invoice (or credit note) numbers. Call inside a
    transaction: the settings row stays locked until it ends."""
    settings = _locked_settings(program)
    field = "next_credit_number" if credit else "next_invoice_number"
    first = getattr(settings, field)
    setattr(settings, field, first + count)
    settings.save(update_fields=[field])
    prefix = "CR" if credit else settings.invoice_prefix
    return [f"{prefix}-{n:06d}" for n in range(first, first + count)]


def provider_type_for(program: Program) -> str:
    if program.kind == ProgramKind.FAMILY_HOME:
        return ProviderType.REGISTERED_FCC
    return ProviderType.LICENSED_CENTER


def star_rating_for(program: Program) -> int:
    rating = program.quality_rating or 0
    return rating if rating in (3, 4, 5) else 0


# --- settings, rates, fees, discounts --------------------------------------------------

SETTINGS_FIELDS = (
    "period",
    "due_days",
    "bill_ccap_difference",
    "statement_name",
    "tax_id",
    "remit_to",
    "brand_color",
    "statement_message",
    "autopay_required",
    "invoice_prefix",
    "late_fee_policy",
    "reminder_schedule",
)


@transaction.atomic
def update_settings(*, acting_user: User, program: Program, **fields: Any) -> BillingSettings:
    settings = _locked_settings(program)
    diff = changes(settings, {k: v for k, v in fields.items() if k in SETTINGS_FIELDS})
    settings.full_clean(exclude=["program", "logo"], validate_constraints=False)
    settings.save()
    _audit(acting_user, "settings_changed", settings, program, data=diff)
    return settings


@transaction.atomic
def save_tuition_rate(
    *,
    acting_user: User,
    program: Program,
    amount: Any,
    schedule: str,
    period: str,
    effective_from: date,
    classroom: Classroom | None = None,
    age_group: str = "",
    effective_to: date | None = None,
) -> TuitionRate:
    """Add a tuition rate. Either a classroom of this program or an age group."""
    if classroom is None and not age_group:
        raise ValidationError({"classroom": _("Choose a classroom or an age group.")})
    if classroom is not None and classroom.program_id != program.pk:
        raise ValidationError({"classroom": _("Choose one of your own classrooms.")})
    if effective_to is not None and effective_to < effective_from:
        raise ValidationError({"effective_to": _("The end date must be after the start date.")})
    rate = TuitionRate(
        program=program,
        classroom=classroom,
        age_group=age_group,
        schedule=schedule,
        period=period,
        amount=parse_amount(amount, "amount", allow_zero=True),
        effective_from=effective_from,
        effective_to=effective_to,
    )
    rate.full_clean(exclude=["program"], validate_constraints=False)
    rate.save()
    _audit(acting_user, "rate_added", rate, program, summary=str(rate))
    return rate


@transaction.atomic
def save_fee_type(
    *, acting_user: User, program: Program, name: str, amount: Any, charge: str
) -> FeeType:
    fee = FeeType.objects.filter(program=program, name__iexact=name.strip()).first()
    fee = fee or FeeType(program=program)
    diff = changes(
        fee,
        {"name": name.strip(), "amount": parse_amount(amount, "amount"), "charge": charge},
    )
    fee.full_clean(exclude=["program"], validate_constraints=False)
    fee.save()
    _audit(acting_user, "fee_saved", fee, program, summary=fee.name, data=diff)
    return fee


@transaction.atomic
def save_discount_policy(
    *,
    acting_user: User,
    program: Program,
    kind: str,
    method: str,
    value: Any,
    effective_from: date,
    effective_to: date | None = None,
) -> DiscountPolicy:
    amount = parse_amount(value, "value")
    if method == "percent" and amount > HUNDRED:
        raise ValidationError({"value": _("A percent discount is at most 100.")})
    policy = DiscountPolicy(
        program=program,
        kind=kind,
        method=method,
        value=amount,
        effective_from=effective_from,
        effective_to=effective_to,
    )
    policy.full_clean(exclude=["program"], validate_constraints=False)
    policy.save()
    _audit(acting_user, "discount_added", policy, program, summary=str(policy))
    return policy


@transaction.atomic
def set_account_mapping(
    *, acting_user: User, program: Program, mapping: dict[str, tuple[str, str, str]]
) -> list[AccountMapping]:
    """Replace the program's chart-of-accounts mapping (category → code, name, type)."""
    rows = []
    for category, (code, name, kind) in mapping.items():
        row = AccountMapping.objects.filter(program=program, category=category).first()
        row = row or AccountMapping(program=program, category=category)
        changes(row, {"account_code": code, "account_name": name, "account_type": kind})
        row.full_clean(exclude=["program"], validate_constraints=False)
        row.save()
        rows.append(row)
    _audit(acting_user, "mapping_changed", rows[0] if rows else program, program)
    return rows


def default_account_mapping(*, acting_user: User | None, program: Program):
    return set_account_mapping(
        acting_user=acting_user, program=program, mapping=dict(DEFAULT_MAPPING)
    )


# --- accounts and payers ----------------------------------------------------------------


def account_number(family: Family) -> str:
    return f"A{family.pk:06d}"


@transaction.atomic
def open_account(
    *, acting_user: User | None, program: Program, family: Family, staff_family: bool = False
) -> FamilyAccount:
    """The family's account at this program (one per family per program), opened with the
    guardian as the single payer (100%) if it does not exist yet."""
    if family.alliance_id != program.alliance_id:
        raise ValidationError({"family": _("This family is not in your alliance.")})
    existing = FamilyAccount.objects.filter(program=program, family=family).first()
    if existing is not None:
        return existing
    account = FamilyAccount.objects.create(
        program=program, family=family, number=account_number(family), staff_family=staff_family
    )
    Payer.objects.create(
        program=program,
        account=account,
        name=family.guardian_name or family.name,
        email=family.email,
        user=family.account,
        share_percent=HUNDRED,
        is_primary=True,
    )
    _audit(acting_user, "account_opened", account, program, summary=family.name)
    return account


@transaction.atomic
def set_payers(
    *, acting_user: User, account: FamilyAccount, payers: Sequence[dict[str, Any]]
) -> list[Payer]:
    """Replace the account's payers. ``payers``: dicts with name, email, share_percent and
    optionally id (to keep a payer). Shares must sum to exactly 100; the first is primary.
    Payers left out are deactivated (kept for the payments they made)."""
    if not payers:
        raise ValidationError({"payers": _("An account needs at least one payer.")})
    total = ZERO
    cleaned = []
    for i, data in enumerate(payers):
        name = (data.get("name") or "").strip()
        if not name:
            raise ValidationError({f"payers.{i}.name": _("Enter the payer's name.")})
        try:
            share = Decimal(str(data.get("share_percent", "")).strip())
        except InvalidOperation:
            share = Decimal("-1")
        if not share.is_finite() or share <= 0 or share > HUNDRED:
            raise ValidationError(
                {f"payers.{i}.share_percent": _("Enter a share between 0.001 and 100 percent.")}
            )
        total += share
        cleaned.append((data.get("id"), name, (data.get("email") or "").strip(), share))
    if total != HUNDRED:
        raise ValidationError(
            {
                "payers": _("The payers' shares must add up to 100%% (now %(total)s%%).")
                % {"total": total}
            }
        )
    program = account.program
    existing = {p.pk: p for p in Payer.objects.filter(program=program, account=account)}
    kept = []
    for i, (pk, name, email, share) in enumerate(cleaned):
        payer = existing.pop(int(pk), None) if pk else None
        payer = payer or Payer(program=program, account=account)
        changes(
            payer,
            {
                "name": name,
                "email": email,
                "share_percent": share,
                "is_primary": i == 0,
                "is_active": True,
            },
        )
        payer.full_clean(exclude=["program", "account", "user"], validate_constraints=False)
        payer.save()
        kept.append(payer)
    for payer in existing.values():
        if payer.is_active:
            payer.is_active = False
            payer.is_primary = False
            payer.save(update_fields=["is_active", "is_primary"])
    _audit(
        acting_user,
        "payers_set",
        account,
        program,
        data={"payers": [[p.name, str(p.share_percent)] for p in kept]},
    )
    return kept


# --- CCAP authorizations ----------------------------------------------------------------


@transaction.atomic
def create_authorization(
    *,
    acting_user: User,
    program: Program,
    child: Child,
    agency,
    starts_on: date,
    ends_on: date,
    schedule: str = CareSchedule.FULL_TIME,
    star_rating: int | None = None,
    special_needs: bool = False,
    case_number: str = "",
    weekly_copay: Any = None,
    annual_income: Any = None,
    household_size: int | None = None,
    child_position: int = 1,
    age_group: str = "",
) -> CcapAuthorization:
    """Record an agency's authorization for a child. The co-pay is entered (``weekly_copay``)
    or computed from income and household size with CC-236 (the child's position among the
    family's children in care decides its rate). Overlapping authorizations of the same
    child at this program are refused."""
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The end date must be on or after the start date.")})
    if agency.alliance_id != program.alliance_id:
        raise ValidationError({"agency": _("Choose an agency of your alliance.")})
    if not agency.is_active:
        raise ValidationError(
            {"agency": _("This agency is deactivated; the hub can reactivate it.")}
        )
    if child.family.alliance_id != program.alliance_id:
        raise ValidationError({"child": _("This child is not in your alliance.")})
    if schedule not in CareSchedule.values:
        raise ValidationError({"schedule": _("Choose full time or part time.")})
    rating = star_rating_for(program) if star_rating is None else star_rating
    if rating not in StarRating.values:
        raise ValidationError({"star_rating": _("Choose none, 3, 4 or 5 stars.")})
    overlapping = CcapAuthorization.objects.filter(
        program=program, child=child, starts_on__lte=ends_on, ends_on__gte=starts_on
    ).exclude(ended_early_on__lt=starts_on)
    if overlapping.exists():
        raise ValidationError(
            {
                "starts_on": _(
                    "This child already has an authorization for part of these dates; "
                    "end it first or change the dates."
                )
            }
        )
    source = CopaySource.ENTERED
    income = None
    if weekly_copay in (None, "") and annual_income not in (None, ""):
        income = parse_amount(annual_income, "annual_income", allow_zero=True)
        if not household_size or household_size < 1:
            raise ValidationError({"household_size": _("Enter the household size (1 or more).")})
        if child_position < 1:
            raise ValidationError({"child_position": _("Enter 1 for the first child, 2, 3...")})
        kinds = ["full"] * (child_position - 1) + [schedule]
        try:
            copay = ccap.weekly_copays_per_child(income, household_size, kinds, starts_on)[-1]
        except ccap.CcapDataMissing as exc:
            raise ValidationError({"starts_on": str(exc)}) from None
        source = CopaySource.COMPUTED
    elif weekly_copay in (None, ""):
        raise ValidationError(
            {"weekly_copay": _("Enter the weekly co-pay, or the income and household size.")}
        )
    else:
        copay = parse_amount(weekly_copay, "weekly_copay", allow_zero=True)
    account = open_account(acting_user=acting_user, program=program, family=child.family)
    auth = CcapAuthorization(
        program=program,
        account=account,
        child=child,
        agency=agency,
        case_number=case_number.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        schedule=schedule,
        provider_type=provider_type_for(program),
        star_rating=rating,
        special_needs=special_needs,
        age_group=age_group,
        copay_source=source,
        annual_income=income,
        household_size=household_size if source == CopaySource.COMPUTED else None,
        child_position=child_position,
        weekly_copay=copay,
        created_by=acting_user,
    )
    auth.full_clean(exclude=["program", "account", "child", "agency"], validate_constraints=False)
    auth.save()
    _audit(
        acting_user,
        "authorization_added",
        auth,
        program,
        summary=f"{child} {starts_on}–{ends_on}",
        data={"weekly_copay": copay, "source": source},
    )
    return auth


@transaction.atomic
def end_authorization(
    *, acting_user: User, authorization: CcapAuthorization, on: date
) -> CcapAuthorization:
    if on < authorization.starts_on or on > authorization.ends_on:
        raise ValidationError({"on": _("Choose a date within the authorization.")})
    authorization.ended_early_on = on
    authorization.save(update_fields=["ended_early_on"])
    _audit(
        acting_user, "authorization_ended", authorization, authorization.program, data={"on": on}
    )
    return authorization


# --- one-off charges, manual invoices ------------------------------------------------------


@transaction.atomic
def add_charge(
    *,
    acting_user: User,
    account: FamilyAccount,
    description: str,
    amount: Any,
    charge_on: date,
    child: Child | None = None,
) -> OneOffCharge:
    """A charge billed by the next run that covers ``charge_on``."""
    if not description.strip():
        raise ValidationError({"description": _("Describe the charge.")})
    if child is not None and child.family_id != account.family_id:
        raise ValidationError({"child": _("Choose a child of this family.")})
    charge = OneOffCharge.objects.create(
        program=account.program,
        account=account,
        child=child,
        description=description.strip()[:200],
        amount=parse_amount(amount, "amount"),
        charge_on=charge_on,
        created_by=acting_user,
    )
    _audit(acting_user, "charge_added", charge, account.program, summary=charge.description)
    return charge


@transaction.atomic
def post_manual_invoice(
    *,
    acting_user: User | None,
    account: FamilyAccount,
    lines: Sequence[dict[str, Any]],
    issued_on: date,
    due_on: date | None = None,
    memo: str = "",
    kind: str = InvoiceKind.MANUAL,
) -> Invoice:
    """Post an invoice now. ``lines``: dicts with description, amount (> 0), and optionally
    kind (default "charge"), payer ("family"/"agency") and child. Used for one-off bills,
    late fees (collections) and gaps billed to the family (claims)."""
    if not lines:
        raise ValidationError({"lines": _("Add at least one line.")})
    program = account.program
    settings = settings_for(program)
    parsed = []
    for i, line in enumerate(lines):
        description = (line.get("description") or "").strip()
        if not description:
            raise ValidationError({f"lines.{i}.description": _("Describe the line.")})
        amount = parse_amount(line.get("amount"), f"lines.{i}.amount")
        payer = line.get("payer", PayerKind.FAMILY)
        if payer not in PayerKind.values:
            raise ValidationError({f"lines.{i}.payer": _("The payer is the family or the agency.")})
        parsed.append(
            (line.get("kind", LineKind.CHARGE), payer, description, amount, line.get("child"))
        )
    family = sum((a for _k, p, _d, a, _c in parsed if p == PayerKind.FAMILY), ZERO)
    agency = sum((a for _k, p, _d, a, _c in parsed if p == PayerKind.AGENCY), ZERO)
    number = next_numbers(program, 1)[0]
    invoice = Invoice.objects.create(
        program=program,
        account=account,
        kind=kind,
        number=number,
        issued_on=issued_on,
        due_on=due_on or issued_on + _days(settings.due_days),
        total=family + agency,
        family_amount=family,
        agency_amount=agency,
        memo=memo[:300],
        created_by=acting_user,
    )
    InvoiceLine.objects.bulk_create(
        InvoiceLine(
            program=program,
            invoice=invoice,
            child=child,
            kind=kind_,
            payer=payer,
            description=description[:200],
            amount=amount,
        )
        for kind_, payer, description, amount, child in parsed
    )
    _audit(acting_user, "invoice_posted", invoice, program, summary=f"{number} {invoice.total}")
    return invoice


def _days(n: int):
    from datetime import timedelta

    return timedelta(days=n)


# --- credit notes and reversals ----------------------------------------------------------


@transaction.atomic
def issue_credit(
    *,
    acting_user: User | None,
    account: FamilyAccount,
    amount: Any,
    reason: str,
    invoice: Invoice | None = None,
    kind: str = CreditKind.CREDIT,
    payer_kind: str = PayerKind.FAMILY,
    issued_on: date | None = None,
) -> CreditNote:
    """Credit an account, with a reason. Against an invoice, the credit is at most that
    invoice's open amount for the payer and is applied to it; otherwise it is applied to
    the account's open invoices oldest first and any rest stays as account credit."""
    from alliance.billing import queries
    from alliance.billing.services_payments import allocate_oldest_first

    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the credit.")})
    value = parse_amount(amount, "amount")
    program = account.program
    if invoice is not None:
        if invoice.account_id != account.pk:
            raise ValidationError({"invoice": _("Choose an invoice of this account.")})
        open_amount = queries.open_amounts([invoice.pk], payer_kind)[invoice.pk]
        if value > open_amount:
            raise ValidationError(
                {
                    "amount": _("At most %(open)s is still open on invoice %(number)s.")
                    % {"open": open_amount, "number": invoice.number}
                }
            )
    note = CreditNote.objects.create(
        program=program,
        account=account,
        invoice=invoice,
        kind=kind,
        payer_kind=payer_kind,
        number=next_numbers(program, 1, credit=True)[0],
        amount=value,
        issued_on=issued_on or date.today(),
        reason=reason[:300],
        created_by=acting_user,
    )
    if invoice is not None:
        Allocation.objects.create(
            program=program, invoice=invoice, credit_note=note, payer_kind=payer_kind, amount=value
        )
    else:
        allocate_oldest_first(account=account, source=note, amount=value, payer_kind=payer_kind)
    _audit(
        acting_user,
        f"credit_{kind}",
        note,
        program,
        summary=f"{note.number} {value}: {reason}"[:300],
        data={"invoice": invoice.number if invoice else None},
    )
    return note


@transaction.atomic
def reverse_invoice(*, acting_user: User, invoice: Invoice, reason: str) -> list[CreditNote]:
    """Reverse what is still open on an invoice (family and agency parts) with reversal
    credit notes. Money already paid against it stays paid: refund it separately."""
    from alliance.billing import queries

    notes = []
    for payer_kind in (PayerKind.FAMILY, PayerKind.AGENCY):
        open_amount = queries.open_amounts([invoice.pk], payer_kind)[invoice.pk]
        if open_amount > 0:
            notes.append(
                issue_credit(
                    acting_user=acting_user,
                    account=invoice.account,
                    amount=open_amount,
                    reason=reason,
                    invoice=invoice,
                    kind=CreditKind.REVERSAL,
                    payer_kind=payer_kind,
                )
            )
    if not notes:
        raise ValidationError({"invoice": _("Nothing is open on this invoice to reverse.")})
    return notes
