"""A staff member's own record: their job details, credentials and what is missing."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from alliance.core.forms import submit
from alliance.core.policy import Perm
from alliance.members.decorators import requires
from alliance.staffing import queries, services, services_credentials
from alliance.staffing.forms import CredentialForm


@requires(Perm.PROGRAM_VIEW)
@require_http_methods(["GET", "POST"])
def my_record(request: HttpRequest, program_slug: str) -> HttpResponse:
    """GET shows the record; POST adds one of their own credentials (with proof)."""
    program = request.program
    staff = queries.own_record(program, request.user)
    if staff is not None and staff.user_id is None:
        staff = services.link_account(acting_user=request.user, staff=staff, user=request.user)
    posted = request.method == "POST"
    if posted and staff is None:
        raise Http404
    form = CredentialForm(request.POST if posted else None, request.FILES if posted else None)
    if submit(  # a POST without a record was refused above
        request,
        form,
        lambda data: services_credentials.add_credential(
            acting_user=request.user, staff=staff, **data
        ),
        success=_("Credential added."),
    ).ok:
        return redirect("staffing:my_record", program.slug)
    context = {"program": program, "staff": staff, "form": form}
    if staff is not None:
        credentials = queries.credentials_by_staff([staff])[staff.pk]
        context["credentials"] = credentials
        context["compliance"] = queries.compliance_of(
            staff, credentials, program.alliance.state, timezone.localdate()
        )
    status = 422 if form.errors else 200
    return render(request, "staffing/my_record.html", context, status=status)
