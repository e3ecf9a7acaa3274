"""Billing pages of a program (its director, and the hub). The tenant middleware opened the
program's scope; every view names its permission; every write calls a service."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from alliance.billing import queries, services, services_payments, services_runs
from alliance.billing.access import (
    access_account,
    access_agency,
    access_billable_child,
    access_invoice,
    access_payment,
)
from alliance.billing.forms import (
    AuthorizationForm,
    CreditForm,
    DiscountForm,
    FeeForm,
    ImportForm,
    PayerFormSet,
    PaymentForm,
    RateForm,
    RefundForm,
    ReverseForm,
    RunForm,
    SettingsForm,
)
from alliance.billing.models import (
    DiscountPolicy,
    FeeType,
    LateFeePolicy,
    PayerKind,
    ReminderSchedule,
    SubsidyAgency,
    TuitionRate,
)
from alliance.core.forms import submit, submit_flashing
from alliance.core.money import format_money
from alliance.core.policy import Perm
from alliance.core.tables import build_table
from alliance.families.models import Child
from alliance.members.decorators import requires
from alliance.members.models import Classroom

MAX_IMPORT_BYTES = 2_000_000


@requires(Perm.BILLING_MANAGE)
def home(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = request.program
    return render(
        request,
        "billing/home.html",
        {
            "program": program,
            "summary": queries.program_summary(program),
            "runs": list(queries.runs_for(program)[:6]),
            "run_form": RunForm(initial={"period": services.settings_for(program).period}),
        },
    )


@requires(Perm.BILLING_MANAGE)
def accounts(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = request.program
    q = request.GET.get("q", "").strip()[:80]
    table = build_table(
        request,
        queries.accounts_for(program, q=q),
        columns=[(_("Family"), "family"), (_("Account"), "number"), (_("Balance"), None)],
        orderings={"family": ("family__name",), "number": ("number",)},
        default_sort="family",
    )
    balances = queries.account_balances([a.pk for a in table.rows])
    for account in table.rows:
        account.balance = balances[account.pk]
    return render(request, "billing/accounts.html", {"program": program, "table": table, "q": q})


@requires(Perm.BILLING_MANAGE)
def account(request: HttpRequest, program_slug: str, account_id: int) -> HttpResponse:
    program = request.program
    acc = access_account(program, account_id)
    return _account_page(request, acc, PaymentForm(prefix="pay"), CreditForm(prefix="credit"))


def _account_page(request, acc, payment_form, credit_form, status=200):
    program = request.program
    return render(
        request,
        "billing/account.html",
        {
            "program": program,
            "account": acc,
            "balance": queries.account_balance(acc),
            "unapplied": queries.unapplied(acc),
            "payers": list(acc.payers.filter(is_active=True)),
            "invoices": list(queries.invoices_for(program, account=acc)[:50]),
            "payments": list(queries.payments_for(program, account=acc)[:50]),
            "credits": list(acc.credit_notes.select_related("invoice").order_by("-issued_on")[:50]),
            "payment_form": payment_form,
            "credit_form": credit_form,
        },
        status=status,
    )


@requires(Perm.BILLING_MANAGE)
@require_POST
def account_payment(request: HttpRequest, program_slug: str, account_id: int) -> HttpResponse:
    acc = access_account(request.program, account_id)
    form = PaymentForm(request.POST, prefix="pay")
    if submit(
        request,
        form,
        lambda data: services_payments.record_payment(
            acting_user=request.user, account=acc, **data
        ),
        success=lambda done: (
            _("Payment of %(amount)s recorded.") % {"amount": format_money(done.payment.amount)}
        ),
    ).ok:
        return redirect("billing:account", request.program.slug, acc.pk)
    return _account_page(request, acc, form, CreditForm(prefix="credit"), status=422)


@requires(Perm.BILLING_MANAGE)
@require_POST
def account_credit(request: HttpRequest, program_slug: str, account_id: int) -> HttpResponse:
    acc = access_account(request.program, account_id)
    form = CreditForm(request.POST, prefix="credit")
    if submit(
        request,
        form,
        lambda data: services.issue_credit(acting_user=request.user, account=acc, **data),
        success=_("Credit recorded."),
    ).ok:
        return redirect("billing:account", request.program.slug, acc.pk)
    return _account_page(request, acc, PaymentForm(prefix="pay"), form, status=422)


@requires(Perm.BILLING_MANAGE)
def invoices(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = request.program
    table = build_table(
        request,
        queries.invoices_for(program),
        columns=[
            (_("Number"), "number"),
            (_("Family"), "family"),
            (_("Date"), "issued"),
            (_("Due"), "due"),
            (_("Total"), "total"),
            (_("Family open"), None),
        ],
        orderings={
            "number": ("number",),
            "family": ("account__family__name",),
            "issued": ("issued_on",),
            "due": ("due_on",),
            "total": ("total",),
        },
        default_sort="-issued",
    )
    return render(request, "billing/invoices.html", {"program": program, "table": table})


@requires(Perm.BILLING_MANAGE)
def invoice(request: HttpRequest, program_slug: str, invoice_id: int) -> HttpResponse:
    inv = queries.invoice_detail(access_invoice(request.program, invoice_id))
    return _invoice_page(request, inv, CreditForm(prefix="credit"), ReverseForm(prefix="reverse"))


def _invoice_page(request, inv, credit_form, reverse_form, status=200):
    return render(
        request,
        "billing/invoice.html",
        {
            "program": request.program,
            "invoice": inv,
            "family_open": inv.family_amount - queries.cents(inv.family_applied),
            "agency_open": inv.agency_amount - queries.cents(inv.agency_applied),
            "credit_form": credit_form,
            "reverse_form": reverse_form,
            "credits": list(inv.credit_notes.all()),
        },
        status=status,
    )


@requires(Perm.BILLING_MANAGE)
@require_POST
def invoice_credit(request: HttpRequest, program_slug: str, invoice_id: int) -> HttpResponse:
    inv = access_invoice(request.program, invoice_id)
    form = CreditForm(request.POST, prefix="credit")
    if submit(
        request,
        form,
        lambda data: services.issue_credit(
            acting_user=request.user,
            account=inv.account,
            invoice=inv,
            payer_kind=PayerKind.FAMILY,
            **data,
        ),
        success=_("Credit note issued."),
    ).ok:
        return redirect("billing:invoice", request.program.slug, inv.pk)
    return _invoice_page(
        request, queries.invoice_detail(inv), form, ReverseForm(prefix="reverse"), status=422
    )


@requires(Perm.BILLING_MANAGE)
@require_POST
def invoice_reverse(request: HttpRequest, program_slug: str, invoice_id: int) -> HttpResponse:
    inv = access_invoice(request.program, invoice_id)
    form = ReverseForm(request.POST, prefix="reverse")
    if submit(
        request,
        form,
        lambda data: services.reverse_invoice(
            acting_user=request.user, invoice=inv, reason=data["reason"]
        ),
        success=_("Invoice reversed."),
    ).ok:
        return redirect("billing:invoice", request.program.slug, inv.pk)
    return _invoice_page(
        request, queries.invoice_detail(inv), CreditForm(prefix="credit"), form, status=422
    )


@requires(Perm.BILLING_MANAGE)
def payments(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = request.program
    table = build_table(
        request,
        queries.payments_for(program),
        columns=[
            (_("Received"), "received"),
            (_("Family"), "family"),
            (_("Method"), None),
            (_("Reference"), None),
            (_("Amount"), "amount"),
        ],
        orderings={
            "received": ("received_on",),
            "family": ("account__family__name",),
            "amount": ("amount",),
        },
        default_sort="-received",
    )
    return render(
        request,
        "billing/payments.html",
        {"program": program, "table": table, "refund_form": RefundForm()},
    )


@requires(Perm.BILLING_MANAGE)
@require_POST
def payment_refund(request: HttpRequest, program_slug: str, payment_id: int) -> HttpResponse:
    pay = access_payment(request.program, payment_id)
    submit_flashing(
        request,
        RefundForm(request.POST),
        lambda data: services_payments.refund_payment(
            acting_user=request.user, payment=pay, **data
        ),
        success=_("Refund recorded."),
        invalid=_("Enter the amount and the reason of the refund."),
    )
    return redirect("billing:account", request.program.slug, pay.account_id)


@requires(Perm.BILLING_MANAGE)
@require_POST
def payment_reverse(request: HttpRequest, program_slug: str, payment_id: int) -> HttpResponse:
    pay = access_payment(request.program, payment_id)
    submit_flashing(
        request,
        ReverseForm(request.POST),
        lambda data: services_payments.reverse_payment(
            acting_user=request.user, payment=pay, reason=data["reason"]
        ),
        success=_("Payment reversed."),
        invalid=_("Give the reason for the reversal."),
    )
    return redirect("billing:account", request.program.slug, pay.account_id)


@requires(Perm.BILLING_MANAGE)
@require_http_methods(["GET", "POST"])
def payments_import(request: HttpRequest, program_slug: str) -> HttpResponse:
    """Step 1: upload → preview with the column mapping and every row's problems.
    Step 2 (``confirm``): post all rows or none."""
    program = request.program
    form = ImportForm()
    preview = None
    content = ""
    filename = ""
    status = 200
    if request.method == "POST":
        if "content" in request.POST:  # re-check with another mapping, or confirm
            content = request.POST.get("content", "")
            filename = request.POST.get("filename", "import.csv")[:200]
        else:
            form = ImportForm(request.POST, request.FILES)
            if form.is_valid():
                upload = form.cleaned_data["file"]
                if upload.size > MAX_IMPORT_BYTES:
                    form.add_error("file", _("The file is too large (2 MB at most)."))
                else:
                    try:
                        content = upload.read().decode("utf-8-sig")
                    except UnicodeDecodeError:
                        form.add_error("file", _("Save the file as CSV (UTF-8) and try again."))
                    filename = upload.name
        mapping = {
            name: request.POST.get(f"map_{name}", "")
            for name in services_payments.IMPORT_FIELDS
            if request.POST.get(f"map_{name}")
        } or None
        if content:
            preview = services_payments.preview_import(
                program=program, content=content, mapping=mapping
            )
            if "confirm" in request.POST and preview.ok:
                try:
                    batch = services_payments.import_payments(
                        acting_user=request.user,
                        program=program,
                        content=content,
                        filename=filename,
                        mapping=preview.mapping,
                    )
                except ValidationError as exc:
                    for message in exc.messages:
                        messages.error(request, message)
                else:
                    messages.success(
                        request,
                        _("%(n)s payments imported (%(total)s).")
                        % {"n": batch.row_count, "total": format_money(batch.total)},
                    )
                    return redirect("billing:payments", program.slug)
            if not preview.ok:
                status = 422
        elif form.errors:
            status = 422
    return render(
        request,
        "billing/payments_import.html",
        {
            "program": program,
            "form": form,
            "preview": preview,
            "content": content,
            "filename": filename,
            "fields": services_payments.IMPORT_FIELDS,
        },
        status=status,
    )


@requires(Perm.BILLING_MANAGE)
def runs(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = request.program
    return render(
        request,
        "billing/runs.html",
        {
            "program": program,
            "runs": list(queries.runs_for(program)[:60]),
            "form": RunForm(initial={"period": services.settings_for(program).period}),
        },
    )


@requires(Perm.BILLING_MANAGE)
@require_POST
def run_preview(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = request.program
    form = RunForm(request.POST)
    preview = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            start, end = services_runs.period_bounds(data["period"], data["day"])
            services_runs._check_period(program, data["period"], start, end)
            preview = services_runs.build_preview(
                program=program,
                period=data["period"],
                day=data["day"],
                issued_on=data["issued_on"],
            )
        except ValidationError as exc:
            form.add_error("day" if "period_start" in exc.message_dict else None, exc.messages)
    return render(
        request,
        "billing/run_preview.html",
        {"program": program, "form": form, "preview": preview},
        status=200 if preview else 422,
    )


@requires(Perm.BILLING_MANAGE)
@require_POST
def run_post(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = request.program
    form = RunForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            run = services_runs.post_run(
                acting_user=request.user,
                program=program,
                period=data["period"],
                day=data["day"],
                issued_on=data["issued_on"],
            )
        except ValidationError as exc:
            form.add_error("day" if "period_start" in exc.message_dict else None, exc.messages)
        else:
            messages.success(
                request,
                _("Run posted: %(n)s invoices, %(total)s.")
                % {"n": run.invoice_count, "total": format_money(run.total)},
            )
            return redirect("billing:runs", program.slug)
    return render(
        request,
        "billing/run_preview.html",
        {"program": program, "form": form, "preview": None},
        status=422,
    )


@requires(Perm.BILLING_MANAGE)
@require_http_methods(["GET", "POST"])
def rates(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = request.program
    classrooms = list(Classroom.objects.filter(program=program, is_active=True).order_by("name"))
    rate_form = RateForm(classrooms=classrooms)
    fee_form, discount_form = FeeForm(), DiscountForm()
    status = 200
    if request.method == "POST":
        which = request.POST.get("form")
        try:
            if which == "rate":
                rate_form = RateForm(request.POST, classrooms=classrooms)
                if rate_form.is_valid():
                    data = dict(rate_form.cleaned_data)
                    room_id = data.pop("classroom")
                    room = next((c for c in classrooms if c.pk == room_id), None)
                    services.save_tuition_rate(
                        acting_user=request.user, program=program, classroom=room, **data
                    )
                    messages.success(request, _("Rate added."))
                    return redirect("billing:rates", program.slug)
            elif which == "fee":
                fee_form = FeeForm(request.POST)
                if fee_form.is_valid():
                    services.save_fee_type(
                        acting_user=request.user, program=program, **fee_form.cleaned_data
                    )
                    messages.success(request, _("Fee saved."))
                    return redirect("billing:rates", program.slug)
            elif which == "discount":
                discount_form = DiscountForm(request.POST)
                if discount_form.is_valid():
                    services.save_discount_policy(
                        acting_user=request.user, program=program, **discount_form.cleaned_data
                    )
                    messages.success(request, _("Discount policy added."))
                    return redirect("billing:rates", program.slug)
        except ValidationError as exc:
            {"rate": rate_form, "fee": fee_form, "discount": discount_form}[
                which
            ].add_service_errors(exc)
        status = 422
    return render(
        request,
        "billing/rates.html",
        {
            "program": program,
            "rates": list(
                TuitionRate.objects.filter(program=program)
                .select_related("classroom")
                .order_by("classroom__name", "age_group", "schedule", "-effective_from")[:200]
            ),
            "fees": list(FeeType.objects.filter(program=program)),
            "discounts": list(DiscountPolicy.objects.filter(program=program)),
            "rate_form": rate_form,
            "fee_form": fee_form,
            "discount_form": discount_form,
        },
        status=status,
    )


@requires(Perm.BILLING_MANAGE)
@require_http_methods(["GET", "POST"])
def authorizations(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = request.program
    children = list(
        Child.objects.filter(enrollments__program=program)
        .distinct()
        .order_by("last_name", "first_name")
    )
    agencies = list(SubsidyAgency.objects.filter(alliance_id=program.alliance_id, is_active=True))
    form = AuthorizationForm(
        children=children,
        agencies=agencies,
        initial={"star_rating": services.star_rating_for(program), "starts_on": date.today()},
    )
    status = 200
    if request.method == "POST":
        form = AuthorizationForm(request.POST, children=children, agencies=agencies)
        if submit(
            request,
            form,
            lambda data: services.create_authorization(
                acting_user=request.user,
                program=program,
                child=access_billable_child(program, data["child"]),
                agency=access_agency(program, data["agency"]),
                **{k: v for k, v in data.items() if k not in ("child", "agency")},
            ),
            success=_("Authorization added."),
        ).ok:
            return redirect("billing:authorizations", program.slug)
        status = 422
    table = build_table(
        request,
        queries.authorizations_for(program),
        columns=[
            (_("Child"), "child"),
            (_("Agency"), None),
            (_("From"), "starts"),
            (_("Until"), "ends"),
            (_("Schedule"), None),
            (_("Weekly co-pay"), None),
        ],
        orderings={
            "child": ("child__last_name", "child__first_name"),
            "starts": ("starts_on",),
            "ends": ("ends_on",),
        },
        default_sort="-starts",
    )
    return render(
        request,
        "billing/authorizations.html",
        {"program": program, "table": table, "form": form},
        status=status,
    )


# --- payers and settings ----------------------------------------------------------------


def _payer_rows(formset) -> tuple[list[dict], list[int]]:
    """The rows to keep (for ``services.set_payers``) and, for each, its form index."""
    rows, index = [], []
    for i, form in enumerate(formset.forms):
        data = form.cleaned_data
        if not data or data.get("remove"):
            continue
        if not (data.get("name") or "").strip() and data.get("share_percent") is None:
            continue  # the empty extra row
        rows.append(
            {
                "id": data.get("id"),
                "name": data.get("name") or "",
                "email": data.get("email") or "",
                "share_percent": data.get("share_percent") or "",
            }
        )
        index.append(i)
    return rows, index


@requires(Perm.BILLING_MANAGE)
@require_http_methods(["GET", "POST"])
def account_payers(request: HttpRequest, program_slug: str, account_id: int) -> HttpResponse:
    """Who pays the family share of an account, and in which percentages."""
    acc = access_account(request.program, account_id)
    active = list(acc.payers.filter(is_active=True))
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        formset = PayerFormSet(request.POST, prefix="payers")
        if formset.is_valid():
            rows, index = _payer_rows(formset)
            try:
                services.set_payers(acting_user=request.user, account=acc, payers=rows)
            except ValidationError as exc:
                for key, msgs in exc.message_dict.items():
                    parts = key.split(".")
                    if len(parts) == 3 and parts[1].isdigit() and int(parts[1]) < len(index):
                        formset.forms[index[int(parts[1])]].add_error(parts[2], msgs)
                    else:
                        errors.extend(msgs)
            else:
                messages.success(request, _("Payers saved."))
                return redirect("billing:account", request.program.slug, acc.pk)
        status = 422
    else:
        formset = PayerFormSet(
            prefix="payers",
            initial=[
                {"id": p.pk, "name": p.name, "email": p.email, "share_percent": p.share_percent}
                for p in active
            ],
        )
    return render(
        request,
        "billing/account_payers.html",
        {"program": request.program, "account": acc, "formset": formset, "errors": errors},
        status=status,
    )


@requires(Perm.BILLING_MANAGE)
@require_http_methods(["GET", "POST"])
def settings_page(request: HttpRequest, program_slug: str) -> HttpResponse:
    """How the program bills: period, due days, CCAP difference, statements, policies."""
    program = request.program
    current = services.settings_for(program)
    choices = {
        "policies": LateFeePolicy.objects.filter(program=program),
        "schedules": ReminderSchedule.objects.filter(program=program),
    }
    status = 200
    if request.method == "POST":
        form = SettingsForm(request.POST, **choices)
        if submit(
            request,
            form,
            lambda data: services.update_settings(
                acting_user=request.user, program=program, **data
            ),
            success=_("Billing settings saved."),
        ).ok:
            return redirect("billing:settings", program.slug)
        status = 422
    else:
        form = SettingsForm(
            initial={name: getattr(current, name) for name in SettingsForm.base_fields},
            **choices,
        )
    return render(
        request,
        "billing/settings.html",
        {"program": program, "form": form, "settings": current},
        status=status,
    )
