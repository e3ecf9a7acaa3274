"""The director's view of their program's training: each person's hours this year against
the requirement (12 / 20 / 6 hours in New Jersey)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from alliance.core.policy import Perm
from alliance.members.decorators import requires
from alliance.training import queries


@requires(Perm.PROGRAM_MANAGE)
def compliance(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = request.program
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year", this_year))
    except ValueError:
        year = this_year
    if not 2000 <= year <= this_year + 1:
        year = this_year
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
