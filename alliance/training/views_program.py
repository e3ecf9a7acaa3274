"""The director's view of their program's training: each person's hours this year against
the requirement (12 / 20 / 6 hours in New Jersey), the export for the state workforce
registry, and their staff's certificates."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from alliance.core.policy import Perm
from alliance.members.decorators import requires
from alliance.training import queries
from alliance.training.access import access_program_registration
from alliance.training.certificates import certificate_pdf
from alliance.training.export import program_csv, program_xlsx
from alliance.training.models import Attendance


def _year(request: HttpRequest) -> int:
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year", this_year))
    except ValueError:
        year = this_year
    return year if 2000 <= year <= this_year + 1 else this_year


@requires(Perm.PROGRAM_MANAGE)
def compliance(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = request.program
    this_year = timezone.localdate().year
    year = _year(request)
    people = queries.hours_for_program(program, year)
    met = sum(1 for p in people if p.progress.met)
    return render(
        request,
        "training/program/compliance.html",
        {
            "program": program,
            "alliance": program.alliance,
            "year": year,
            "years": list(range(this_year, this_year - 4, -1)),
            "people": people,
            "met": met,
            "short": len(people) - met,
        },
    )


@requires(Perm.PROGRAM_MANAGE)
def export(request: HttpRequest, program_slug: str, fmt: str) -> HttpResponse:
    """The program's training hours of one year as CSV or XLSX (staff, course, date, hours,
    year totals against the requirement) for the state workforce registry."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    program = request.program
    year = _year(request)
    people = queries.hours_for_program(program, year)
    tz = program.alliance.timezone
    name = f"training-{program.slug}-{year}.{fmt}"
    if fmt == "csv":
        response = HttpResponse(
            program_csv(people, year=year, tz=tz), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(
            program_xlsx(people, year=year, tz=tz),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@requires(Perm.PROGRAM_MANAGE)
def certificate(request: HttpRequest, program_slug: str, registration_id: int) -> HttpResponse:
    """A certificate of one of the program's own staff (another program's: 404)."""
    registration = access_program_registration(request.program, registration_id)
    if registration.attendance != Attendance.PRESENT:
        raise Http404
    pdf = certificate_pdf(registration, language=registration.person.language or "en")
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"certificate-{registration.certificate_code}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
