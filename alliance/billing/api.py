"""Billing API under ``/api/v1/programs/{slug}/`` (accounts, invoices, payments, billing runs,
authorizations) and ``/api/v1/me/billing/`` (a family's own accounts).

Program endpoints open their tenant with ``api_program`` and ``Perm.BILLING_MANAGE`` (404 for
another program, 403 without the role). Every write goes through a billing service. The
collections/claims and documents/reports parts register their routes in ``api_claims.py`` /
``api_reports.py``, imported at the end of this module.
"""

from __future__ import annotations

import importlib
import importlib.util

from django.http import Http404, HttpRequest
from ninja import Query, Status

from alliance.api.root import api
from alliance.api.tenancy import api_program
from alliance.api.types import ErrorOut, Message, PageIn, page_of
from alliance.billing import queries, services, services_payments, services_runs
from alliance.billing.access import (
    access_account,
    access_agency,
    access_billable_child,
    access_invoice,
)
from alliance.billing.api_schemas import (
    AccountDetail,
    AccountPage,
    AuthorizationIn,
    AuthorizationOut,
    AuthorizationPage,
    InvoiceDetail,
    InvoicePage,
    MyAccountOut,
    PayerOut,
    PayersIn,
    PaymentIn,
    PaymentOut,
    PaymentPage,
    PreviewOut,
    RunIn,
    RunOut,
    RunPage,
)
from alliance.billing.models import (
    BillingRun,
    CcapAuthorization,
    FamilyAccount,
    Invoice,
    Payment,
)
from alliance.core.policy import Perm

ERRORS = {401: Message, 403: Message, 404: Message, 422: ErrorOut}
TAGS = ["billing"]


def _balance(b: queries.Balance) -> dict:
    return {"total": b.total, "family": b.family, "agency": b.agency}


def _account(a: FamilyAccount, balance: queries.Balance) -> dict:
    return {
        "id": a.pk,
        "number": a.number,
        "family": a.family.name,
        "status": a.status,
        "autopay_enabled": a.autopay_enabled,
        "balance": _balance(balance),
    }


def _invoice(i: Invoice) -> dict:
    return {
        "id": i.pk,
        "number": i.number,
        "account_id": i.account_id,
        "family": i.account.family.name,
        "kind": i.kind,
        "issued_on": i.issued_on,
        "due_on": i.due_on,
        "period_start": i.period_start,
        "period_end": i.period_end,
        "total": i.total,
        "family_amount": i.family_amount,
        "agency_amount": i.agency_amount,
        "family_open": i.family_amount - queries.cents(i.family_applied),
        "agency_open": i.agency_amount - queries.cents(i.agency_applied),
    }


def _line(ln) -> dict:
    return {
        "kind": ln.kind,
        "payer": ln.payer,
        "description": ln.description,
        "child_id": ln.child_id,
        "days_billed": ln.days_billed,
        "days_scheduled": ln.days_scheduled,
        "amount": ln.amount,
    }


def _payment(p: Payment, applied=None) -> dict:
    return {
        "id": p.pk,
        "account_id": p.account_id,
        "kind": p.kind,
        "method": p.method,
        "amount": p.amount,
        "received_on": p.received_on,
        "reference": p.reference,
        "applied": applied,
    }


def _run(r: BillingRun) -> dict:
    return {
        f: getattr(r, f)
        for f in (
            "period",
            "period_start",
            "period_end",
            "issued_on",
            "due_on",
            "invoice_count",
            "total",
            "family_total",
            "agency_total",
        )
    } | {"id": r.pk}


def _authorization(a: CcapAuthorization) -> dict:
    return {
        "id": a.pk,
        "child_id": a.child_id,
        "child": str(a.child),
        "agency": a.agency.name,
        "case_number": a.case_number,
        "starts_on": a.starts_on,
        "ends_on": a.last_day,
        "schedule": a.schedule,
        "provider_type": a.provider_type,
        "star_rating": a.star_rating,
        "special_needs": a.special_needs,
        "weekly_copay": a.weekly_copay,
        "copay_source": a.copay_source,
    }


# --- accounts ---------------------------------------------------------------------------


@api.get("/programs/{slug}/accounts", response={200: AccountPage, **ERRORS}, tags=TAGS)
def list_accounts(request: HttpRequest, slug: str, page: Query[PageIn]):
    """Family accounts with their balances (family part, agency part)."""
    with api_program(request, slug, Perm.BILLING_MANAGE) as program:
        qs = queries.accounts_for(program)
        rows = list(qs[page.offset : page.offset + page.limit])
        balances = queries.account_balances([a.pk for a in rows])
        return {
            "count": qs.count(),
            "limit": page.limit,
            "offset": page.offset,
            "items": [_account(a, balances[a.pk]) for a in rows],
        }


@api.get(
    "/programs/{slug}/accounts/{account_id}", response={200: AccountDetail, **ERRORS}, tags=TAGS
)
def get_account(request: HttpRequest, slug: str, account_id: int):
    with api_program(request, slug, Perm.BILLING_MANAGE) as program:
        account = access_account(program, account_id)
        payers = [
            {
                "id": p.pk,
                "name": p.name,
                "email": p.email,
                "share_percent": str(p.share_percent),
                "is_primary": p.is_primary,
            }
            for p in account.payers.filter(is_active=True)
        ]
        return _account(account, queries.account_balance(account)) | {
            "payers": payers,
            "unapplied": queries.unapplied(account),
        }


def _payer(p) -> dict:
    return {
        "id": p.pk,
        "name": p.name,
        "email": p.email,
        "share_percent": str(p.share_percent),
        "is_primary": p.is_primary,
    }


@api.put(
    "/programs/{slug}/accounts/{account_id}/payers",
    response={200: list[PayerOut], **ERRORS},
    tags=TAGS,
)
def set_payers(request: HttpRequest, slug: str, account_id: int, payload: PayersIn):
    """Replace the account's payers (shares must add up to 100). A payer left out is
    deactivated if it made payments. Returns the active payers, the first is primary."""
    with api_program(request, slug, Perm.BILLING_MANAGE) as program:
        account = access_account(program, account_id)
        kept = services.set_payers(
            acting_user=request.user,
            account=account,
            payers=[p.dict() for p in payload.payers],
        )
        return [_payer(p) for p in kept]


# --- invoices ---------------------------------------------------------------------------


@api.get("/programs/{slug}/invoices", response={200: InvoicePage, **ERRORS}, tags=TAGS)
def list_invoices(
    request: HttpRequest, slug: str, page: Query[PageIn], account_id: int | None = None
):
    """Invoices, newest first, with what is still open for the family and the agency."""
    with api_program(request, slug, Perm.BILLING_MANAGE) as program:
        account = access_account(program, account_id) if account_id else None
        return page_of(queries.invoices_for(program, account=account), page, _invoice)


@api.get(
    "/programs/{slug}/invoices/{invoice_id}", response={200: InvoiceDetail, **ERRORS}, tags=TAGS
)
def get_invoice(request: HttpRequest, slug: str, invoice_id: int):
    with api_program(request, slug, Perm.BILLING_MANAGE) as program:
        inv = queries.invoice_detail(access_invoice(program, invoice_id))
        return _invoice(inv) | {"lines": [_line(ln) for ln in inv.lines.all()]}


# --- payments ---------------------------------------------------------------------------


@api.get("/programs/{slug}/payments", response={200: PaymentPage, **ERRORS}, tags=TAGS)
def list_payments(request: HttpRequest, slug: str, page: Query[PageIn]):
    with api_program(request, slug, Perm.BILLING_MANAGE) as program:
        return page_of(queries.payments_for(program), page, _payment)


@api.post(
    "/programs/{slug}/payments",
    response={200: PaymentOut, 201: PaymentOut, 409: ErrorOut, **ERRORS},
    tags=TAGS,
)
def create_payment(request: HttpRequest, slug: str, payload: PaymentIn):
    """Record a payment. Send an ``Idempotency-Key`` header: a retry with the same key and
    body answers 200 with the first payment (nothing recorded twice); the same key with a
    different body answers 409."""
    with api_program(request, slug, Perm.BILLING_MANAGE) as program:
        account = access_account(program, payload.account_id)
        invoices = None
        if payload.invoice_ids is not None:
            invoices = [access_invoice(program, pk) for pk in payload.invoice_ids]
        key = request.headers.get("Idempotency-Key", "")
        fingerprint = services_payments.request_fingerprint(payload.dict())
        try:
            done = services_payments.record_payment(
                acting_user=request.user,
                account=account,
                amount=payload.amount,
                method=payload.method,
                received_on=payload.received_on,
                reference=payload.reference,
                note=payload.note,
                invoices=invoices,
                idempotency_key=key,
                request_hash=fingerprint,
            )
        except services_payments.IdempotencyConflict as exc:
            return Status(409, {"message": str(exc), "fields": {"Idempotency-Key": [str(exc)]}})
        body = _payment(done.payment, done.applied if done.created else None)
        return Status(201 if done.created else 200, body)


# --- billing runs -----------------------------------------------------------------------


@api.get("/programs/{slug}/billing-runs", response={200: RunPage, **ERRORS}, tags=TAGS)
def list_runs(request: HttpRequest, slug: str, page: Query[PageIn]):
    with api_program(request, slug, Perm.BILLING_MANAGE) as program:
        return page_of(queries.runs_for(program), page, _run)


@api.post("/programs/{slug}/billing-runs/preview", response={200: PreviewOut, **ERRORS}, tags=TAGS)
def preview_run(request: HttpRequest, slug: str, payload: RunIn):
    """Every invoice the run would post, with its lines. Nothing is written."""
    with api_program(request, slug, Perm.BILLING_MANAGE) as program:
        start, end = services_runs.period_bounds(payload.period, payload.day)
        services_runs._check_period(program, payload.period, start, end)
        p = services_runs.build_preview(
            program=program, period=payload.period, day=payload.day, issued_on=payload.issued_on
        )
        return {
            "period": p.period,
            "period_start": p.period_start,
            "period_end": p.period_end,
            "issued_on": p.issued_on,
            "due_on": p.due_on,
            "invoice_count": len(p.invoices),
            "total": p.total,
            "family_total": p.family_total,
            "agency_total": p.agency_total,
            "warnings": p.warnings,
            "invoices": [
                {
                    "family": d.family_name,
                    "account_id": d.account_id,
                    "family_amount": d.family_amount,
                    "agency_amount": d.agency_amount,
                    "lines": [_line(ln) for ln in d.lines],
                }
                for d in p.invoices
            ],
        }


@api.post("/programs/{slug}/billing-runs", response={201: RunOut, **ERRORS}, tags=TAGS)
def post_run(request: HttpRequest, slug: str, payload: RunIn):
    """Post the run of the period containing ``day``. A period already billed is 422."""
    with api_program(request, slug, Perm.BILLING_MANAGE) as program:
        run = services_runs.post_run(
            acting_user=request.user,
            program=program,
            period=payload.period,
            day=payload.day,
            issued_on=payload.issued_on,
        )
        return Status(201, _run(run))


# --- authorizations ---------------------------------------------------------------------


@api.get("/programs/{slug}/authorizations", response={200: AuthorizationPage, **ERRORS}, tags=TAGS)
def list_authorizations(request: HttpRequest, slug: str, page: Query[PageIn]):
    with api_program(request, slug, Perm.BILLING_MANAGE) as program:
        return page_of(queries.authorizations_for(program), page, _authorization)


@api.post("/programs/{slug}/authorizations", response={201: AuthorizationOut, **ERRORS}, tags=TAGS)
def create_authorization(request: HttpRequest, slug: str, payload: AuthorizationIn):
    """Add a CCAP authorization; overlapping dates for the same child are 422."""
    with api_program(request, slug, Perm.BILLING_MANAGE) as program:
        data = payload.dict()
        child = access_billable_child(program, data.pop("child_id"))
        agency = access_agency(program, data.pop("agency_id"))
        auth = services.create_authorization(
            acting_user=request.user, program=program, child=child, agency=agency, **data
        )
        return Status(201, _authorization(auth))


# --- the family's own billing -------------------------------------------------------------


@api.get("/me/billing/accounts", response={200: list[MyAccountOut], **ERRORS}, tags=TAGS)
def my_accounts(request: HttpRequest):
    """The signed-in family's accounts at every program, with recent invoices and payments."""
    out = []
    for view in queries.family_accounts(request.user):
        a = view.account
        out.append(
            {
                "id": a.pk,
                "program": a.program.name,
                "program_slug": a.program.slug,
                "number": a.number,
                "balance": view.balance.family,
                "invoices": [_invoice(i) for i in view.invoices],
                "payments": [_payment(p) for p in view.payments],
            }
        )
    return out


@api.get("/me/billing/invoices/{invoice_id}", response={200: InvoiceDetail, **ERRORS}, tags=TAGS)
def my_invoice(request: HttpRequest, invoice_id: int):
    inv = queries.family_invoice(request.user, invoice_id)
    if inv is None:
        raise Http404
    return _invoice(inv) | {"lines": [_line(ln) for ln in inv.lines.all()]}


# --- Other billing parts plug in here (do not import them directly: they may not exist). ---
for _part in (
    "alliance.billing.api_claims",
    "alliance.billing.api_agencies",
    "alliance.billing.api_reports",
):
    if importlib.util.find_spec(_part) is not None:
        importlib.import_module(_part)
