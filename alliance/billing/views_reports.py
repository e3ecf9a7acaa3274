"""Documents and reports pages: a program's aging, collections, deposits and accounting
export (director, hub), the hub's roll-ups, PDF documents for the director and for the
family (their own only). Reads only; the one write is the chart-of-accounts mapping,
through ``services.set_account_mapping``."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_scopes import scopes_disabled

from alliance.billing import documents, exports, reports, services
from alliance.billing.access_reports import (
    access_account,
    access_family_account,
    access_family_invoice,
    access_invoice,
    family_accounts_of,
)
from alliance.billing.models import AccountType, LedgerCategory
from alliance.core.charts import Bar, bar_chart
from alliance.core.money import format_money
from alliance.core.policy import Perm
from alliance.members.decorators import requires
from alliance.members.models import Program

EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


# --- request helpers ----------------------------------------------------------------------


def _date(request: HttpRequest, name: str, default: date, label: str) -> date:
    """A ``YYYY-MM-DD`` (or ``YYYY-MM``) query parameter; a bad one shows a message naming
    the field and falls back to ``default`` (a report never answers 500 to a typo)."""
    raw = (request.GET.get(name) or "").strip()
    if not raw:
        return default
    try:
        if len(raw) == 7:
            return date.fromisoformat(raw + "-01")
        return date.fromisoformat(raw)
    except ValueError:
        messages.error(
            request,
            _("%(field)s: “%(value)s” is not a date; use YYYY-MM-DD. Showing %(default)s.")
            % {"field": label, "value": raw[:20], "default": default.isoformat()},
        )
        return default


def _range(request: HttpRequest, default_days: int) -> tuple[date, date]:
    today = timezone.localdate()
    end = _date(request, "to", today, _("Until"))
    start = _date(request, "from", end - timedelta(days=default_days), _("From"))
    if start > end:
        messages.error(request, _("From: the start date must be on or before the end date."))
        start = end - timedelta(days=default_days)
    if (end - start).days > 366 * 3:
        messages.error(request, _("From: a report covers at most three years."))
        start = end - timedelta(days=366 * 3)
    return start, end


def _month_range(request: HttpRequest) -> tuple[date, date]:
    today = timezone.localdate()
    end_month = _date(request, "to", today.replace(day=1), _("Until"))
    start = _date(request, "from", (end_month - timedelta(days=330)).replace(day=1), _("From"))
    start = start.replace(day=1)
    end = (end_month.replace(day=1) + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    if start > end or len(reports.months_between(start, end)) > 36:
        messages.error(request, _("From: choose a start month at most 36 months before the end."))
        start = (end.replace(day=1) - timedelta(days=330)).replace(day=1)
    return start, end


def _export(request: HttpRequest, name: str, title: str, table) -> HttpResponse | None:
    fmt = request.GET.get("format")
    if fmt not in EXPORT_TYPES:
        return None
    header, rows = table
    body = (
        exports.table_csv(header, rows) if fmt == "csv" else exports.table_xlsx(title, header, rows)
    )
    response = HttpResponse(body, content_type=EXPORT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _pdf(body: bytes, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response


def _members(alliance) -> list[tuple[int, str]]:
    return list(
        Program.objects.filter(alliance=alliance).order_by("name", "pk").values_list("pk", "name")
    )


# --- charts -------------------------------------------------------------------------------


def aging_chart(report: reports.AgingReport):
    labels = exports.bucket_labels()
    t = report.totals
    bars = [
        Bar(
            label=labels[b],
            value=t.combined(b),
            display=_("%(total)s (family %(family)s, agency %(agency)s)")
            % {
                "total": format_money(t.combined(b)),
                "family": format_money(t.family[b]),
                "agency": format_money(t.agency[b]),
            },
        )
        for b in reports.BUCKETS
    ]
    return (
        bar_chart(
            bars,
            title=_("Open balance by days past due"),
            description=_(
                "Open invoice amounts in each aging bucket; the table below has the figures."
            ),
            width=720,
            label_width=110,
            bar_height=24,
        )
        if t.total
        else None
    )


def collections_chart(report: reports.CollectionReport, *, hub: bool):
    if not report.has_billing:
        return None
    bars = [
        Bar(
            label=r.label if hub else r.key.strftime("%Y-%m"),
            value=r.collection_rate or 0,
            display="—" if r.collection_rate is None else f"{r.collection_rate}%",
        )
        for r in report.rows
    ]
    return bar_chart(
        bars,
        title=_("Collection rate"),
        description=_("Payments received as a percentage of the amount billed."),
    )


def deposits_chart(report: reports.DepositReport, *, hub: bool):
    if not report.rows:
        return None
    bars = [
        Bar(label=d.label if hub else d.key.isoformat(), value=max(d.total, 0),
            display=format_money(d.total))
        for d in report.rows
    ]  # fmt: skip
    return bar_chart(bars, title=_("Deposits"), description=_("Net payments received."))


# --- program reports ------------------------------------------------------------------------


def _part_table(report: reports.AgingReport, part: str, *, keep_all: bool) -> dict:
    """Rows of one part (family or agency) for the page: label, amounts per bucket, total."""

    def line(row: reports.AgingRow) -> dict:
        values = getattr(row, part)
        return {
            "label": row.label,
            "number": row.number,
            "values": [values[b] for b in reports.BUCKETS],
            "total": sum(values.values(), reports.ZERO),
        }

    rows = [line(r) for r in report.rows]
    return {
        "rows": [r for r in rows if keep_all or r["total"]],
        "totals": line(report.totals),
    }


def _aging_page(request, report, *, hub, context):
    title = _("Aging")
    name = f"aging-{context['slug']}-{report.as_of.isoformat()}"
    exported = _export(request, name, title, exports.aging_table(report, hub=hub))
    if exported is not None:
        return exported
    return render(
        request,
        "billing/reports/aging.html",
        {
            **context,
            "report": report,
            "hub": hub,
            "buckets": list(exports.bucket_labels().items()),
            "chart": aging_chart(report),
            "family_table": _part_table(report, "family", keep_all=hub),
            "agency_table": _part_table(report, "agency", keep_all=hub),
        },
    )


@requires(Perm.BILLING_MANAGE)
def aging(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = request.program
    as_of = _date(request, "as_of", timezone.localdate(), _("As of"))
    report = reports.aging(program_ids=[program.pk], as_of=as_of)
    return _aging_page(
        request, report, hub=False, context={"program": program, "slug": program.slug}
    )


@requires(Perm.BILLING_MANAGE)
def collections(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = request.program
    start, end = _month_range(request)
    report = reports.collections_by_month(program_ids=[program.pk], start=start, end=end)
    return _collections_page(
        request, report, hub=False, context={"program": program, "slug": program.slug}
    )


def _collections_page(request, report, *, hub, context):
    name = f"collections-{context['slug']}-{report.start:%Y-%m}-{report.end:%Y-%m}"
    exported = _export(request, name, _("Collections"), exports.collections_table(report, hub=hub))
    if exported is not None:
        return exported
    return render(
        request,
        "billing/reports/collections.html",
        {**context, "report": report, "hub": hub, "chart": collections_chart(report, hub=hub)},
    )


@requires(Perm.BILLING_MANAGE)
def deposits(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = request.program
    start, end = _range(request, 30)
    report = reports.deposits_by_day(program_ids=[program.pk], start=start, end=end)
    return _deposits_page(
        request, report, hub=False, context={"program": program, "slug": program.slug}
    )


def _deposits_page(request, report, *, hub, context):
    name = f"deposits-{context['slug']}-{report.start}-{report.end}"
    exported = _export(request, name, _("Deposits"), exports.deposits_table(report, hub=hub))
    if exported is not None:
        return exported
    header, rows = exports.deposits_table(report, hub=hub)
    return render(
        request,
        "billing/reports/deposits.html",
        {**context, "report": report, "hub": hub, "header": header, "rows": rows,
         "chart": deposits_chart(report, hub=hub)},
    )  # fmt: skip


# --- accounting export ---------------------------------------------------------------------


@requires(Perm.BILLING_MANAGE)
@require_http_methods(["GET", "POST"])
def accounting(request: HttpRequest, program_slug: str) -> HttpResponse:
    """The chart-of-accounts mapping (edit code and name per ledger category) and the
    journal download form."""
    program = request.program
    chart = exports.chart_of_accounts(program)
    errors: dict[str, str] = {}
    if request.method == "POST":
        mapping = {}
        for cat in LedgerCategory.values:
            code = request.POST.get(f"{cat}-code", "").strip()
            name = request.POST.get(f"{cat}-name", "").strip()
            kind = request.POST.get(f"{cat}-type", chart[cat].kind)
            label = LedgerCategory(cat).label
            if not code or len(code) > 20:
                errors[cat] = _("%(category)s: enter an account number of 1 to 20 characters.") % {
                    "category": label
                }
            elif not name or len(name) > 120:
                errors[cat] = _("%(category)s: enter an account name of 1 to 120 characters.") % {
                    "category": label
                }
            elif kind not in AccountType.values:
                errors[cat] = _("%(category)s: choose one of the account types.") % {
                    "category": label
                }
            mapping[cat] = (code, name, kind)
        if not errors:
            try:
                services.set_account_mapping(
                    acting_user=request.user, program=program, mapping=mapping
                )
            except ValidationError as exc:
                errors["__all__"] = " ".join(exc.messages)
            else:
                messages.success(request, _("The chart of accounts is saved."))
                return redirect("billing:report_accounting", program.slug)
        chart = {
            cat: exports.Account(*mapping[cat]) if cat in mapping else acc
            for cat, acc in chart.items()
        }
    today = timezone.localdate()
    first = today.replace(day=1)
    last_start = (first - timedelta(days=1)).replace(day=1)
    return render(
        request,
        "billing/reports/accounting.html",
        {
            "program": program,
            "rows": [
                (cat, LedgerCategory(cat).label, chart[cat], errors.get(cat))
                for cat in LedgerCategory.values
            ],
            "types": AccountType.choices,
            "errors": errors,
            "form_error": errors.get("__all__", ""),
            "default_from": last_start,
            "default_to": first - timedelta(days=1),
        },
        status=422 if errors else 200,
    )


@requires(Perm.BILLING_MANAGE)
def journal(request: HttpRequest, program_slug: str, fmt: str) -> HttpResponse:
    if fmt not in EXPORT_TYPES:
        raise Http404
    program = request.program
    start, end = _range(request, 30)
    entries = exports.journal(program=program, start=start, end=end)
    body = exports.journal_csv(entries) if fmt == "csv" else exports.journal_xlsx(entries)
    response = HttpResponse(body, content_type=EXPORT_TYPES[fmt])
    response["Content-Disposition"] = (
        f'attachment; filename="journal-{program.slug}-{start}-{end}.{fmt}"'
    )
    return response


# --- documents (director) --------------------------------------------------------------------


def _statement_period(request: HttpRequest) -> tuple[date, date]:
    """Default: last calendar month."""
    first = timezone.localdate().replace(day=1)
    end = _date(request, "to", first - timedelta(days=1), _("Until"))
    start = _date(request, "from", end.replace(day=1), _("From"))
    if start > end:
        start = end.replace(day=1)
    return start, end


def _year(year: int) -> int:
    if not 2000 <= year <= timezone.localdate().year:
        raise Http404
    return year


@requires(Perm.BILLING_MANAGE)
def invoice_pdf(request: HttpRequest, program_slug: str, invoice_id: int) -> HttpResponse:
    invoice = access_invoice(request.program, invoice_id)
    body = documents.invoice_pdf(invoice, language=request.GET.get("lang"))
    return _pdf(body, invoice.number)


@requires(Perm.BILLING_MANAGE)
def statement_pdf(request: HttpRequest, program_slug: str, account_id: int) -> HttpResponse:
    account = access_account(request.program, account_id)
    start, end = _statement_period(request)
    data = reports.statement(account=account, start=start, end=end)
    body = documents.statement_pdf(data, language=request.GET.get("lang"))
    return _pdf(body, f"statement-{account.number}-{start}-{end}")


@requires(Perm.BILLING_MANAGE)
def tax_statement_pdf(
    request: HttpRequest, program_slug: str, account_id: int, year: int
) -> HttpResponse:
    account = access_account(request.program, account_id)
    data = reports.tax_year(account=account, year=_year(year))
    body = documents.tax_statement_pdf(data, language=request.GET.get("lang"))
    return _pdf(body, f"tax-statement-{account.number}-{year}")


# --- hub roll-ups ---------------------------------------------------------------------------------


@requires(Perm.HUB_MANAGE)
def hub_aging(request: HttpRequest, alliance_slug: str) -> HttpResponse:
    alliance = request.alliance
    as_of = _date(request, "as_of", timezone.localdate(), _("As of"))
    report = reports.aging_by_program(programs=_members(alliance), as_of=as_of)
    return _aging_page(
        request, report, hub=True, context={"alliance": alliance, "slug": alliance.slug}
    )


@requires(Perm.HUB_MANAGE)
def hub_collections(request: HttpRequest, alliance_slug: str) -> HttpResponse:
    alliance = request.alliance
    start, end = _month_range(request)
    report = reports.collections_by_program(programs=_members(alliance), start=start, end=end)
    return _collections_page(
        request, report, hub=True, context={"alliance": alliance, "slug": alliance.slug}
    )


@requires(Perm.HUB_MANAGE)
def hub_deposits(request: HttpRequest, alliance_slug: str) -> HttpResponse:
    alliance = request.alliance
    start, end = _range(request, 30)
    report = reports.deposits_by_program(programs=_members(alliance), start=start, end=end)
    return _deposits_page(
        request, report, hub=True, context={"alliance": alliance, "slug": alliance.slug}
    )


# --- the family's documents --------------------------------------------------------------------


@login_required
def my_documents(request: HttpRequest) -> HttpResponse:
    """Statements and tax statements of each of the family's accounts (two queries)."""
    with scopes_disabled():
        accounts = list(family_accounts_of(request.user).order_by("program__name", "pk"))
        years = reports.tax_years(account_ids=[a.pk for a in accounts])
    today = timezone.localdate()
    first = today.replace(day=1)
    months = []
    cur = first
    for _i in range(6):
        end = cur - timedelta(days=1)
        cur = end.replace(day=1)
        months.append((cur, end))
    return render(
        request,
        "billing/reports/my_documents.html",
        {"accounts": [(a, years.get(a.pk, [])) for a in accounts], "months": months},
    )


@login_required
def my_invoice_pdf(request: HttpRequest, invoice_id: int) -> HttpResponse:
    invoice = access_family_invoice(request.user, invoice_id)
    with scopes_disabled():
        body = documents.invoice_pdf(invoice, language=request.GET.get("lang"))
    return _pdf(body, invoice.number)


@login_required
def my_statement_pdf(request: HttpRequest, account_id: int) -> HttpResponse:
    account = access_family_account(request.user, account_id)
    start, end = _statement_period(request)
    with scopes_disabled():
        data = reports.statement(account=account, start=start, end=end)
        body = documents.statement_pdf(data, language=request.GET.get("lang"))
    return _pdf(body, f"statement-{account.number}-{start}-{end}")


@login_required
def my_tax_statement_pdf(request: HttpRequest, account_id: int, year: int) -> HttpResponse:
    account = access_family_account(request.user, account_id)
    with scopes_disabled():
        data = reports.tax_year(account=account, year=_year(year))
        body = documents.tax_statement_pdf(data, language=request.GET.get("lang"))
    return _pdf(body, f"tax-statement-{account.number}-{year}")
