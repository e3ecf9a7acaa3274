"""A family's own billing pages: its accounts at every program, invoices, payments and
balance. Only the signed-in family's own accounts are ever read (``queries.family_*``)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from alliance.billing import queries


@login_required
def my_billing(request: HttpRequest) -> HttpResponse:
    return render(
        request, "billing/my_billing.html", {"accounts": queries.family_accounts(request.user)}
    )


@login_required
def my_invoice(request: HttpRequest, invoice_id: int) -> HttpResponse:
    invoice = queries.family_invoice(request.user, invoice_id)
    if invoice is None:
        raise Http404
    return render(request, "billing/my_invoice.html", {"invoice": invoice})
