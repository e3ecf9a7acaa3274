"""After the shift: timesheets, ratings, monthly invoices and subsidized-hours budgets."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.accounts.models import User
from alliance.core.audit import log_action
from alliance.core.money import to_money
from alliance.members.models import Program
from alliance.substitutes import history
from alliance.substitutes.models import (
    Assignment,
    AssignmentStatus,
    Rating,
    SubsidyBudget,
    SubstituteInvoice,
    Timesheet,
    TimesheetStatus,
)


def worked_hours(start: time, end: time, break_minutes: int) -> Decimal:
    minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute) - break_minutes
    return (Decimal(minutes) / 60).quantize(Decimal("0.01"))


def _times_errors(start: time | None, end: time | None, break_minutes: int | None) -> dict:
    errors = {}
    if start is None:
        errors["start"] = _("Enter when you arrived.")
    if end is None:
        errors["end"] = _("Enter when you left.")
    if start and end and end <= start:
        errors["end"] = _("The end must be after the start.")
    if break_minutes is None or break_minutes < 0:
        errors["break_minutes"] = _("Enter the unpaid break in minutes (0 if none).")
    elif start and end and not errors and worked_hours(start, end, break_minutes) <= 0:
        errors["break_minutes"] = _("The break is longer than the shift.")
    return errors


@transaction.atomic
def submit_timesheet(
    *,
    acting_user: User,
    assignment: Assignment,
    work_date: date | None,
    start: time | None,
    end: time | None,
    break_minutes: int | None = 0,
    note: str = "",
) -> Timesheet:
    """The substitute reports the hours of one day of their assignment (once per day;
    until approved, submitting again replaces the hours)."""
    request = assignment.request
    errors = _times_errors(start, end, break_minutes)
    if assignment.substitute_id != acting_user.pk:
        errors["assignment"] = _("This is not your shift.")
    elif assignment.status not in (AssignmentStatus.CONFIRMED, AssignmentStatus.COMPLETED):
        errors["assignment"] = _("This shift was cancelled.")
    if work_date is None or work_date.isoformat() not in request.dates:
        errors["work_date"] = _("Choose a day of this shift.")
    elif work_date > timezone.localdate():
        errors["work_date"] = _("You can report hours once the day has come.")
    existing = (
        Timesheet.objects.filter(assignment=assignment, work_date=work_date).first()
        if work_date
        else None
    )
    if existing is not None and existing.status == TimesheetStatus.APPROVED:
        errors["work_date"] = _("The hours of this day are already approved.")
    if errors:
        raise ValidationError(errors)
    hours = worked_hours(start, end, break_minutes)
    sheet = existing or Timesheet(assignment=assignment, program=request.program)
    sheet.work_date, sheet.start, sheet.end = work_date, start, end
    sheet.break_minutes, sheet.hours, sheet.note = break_minutes, hours, note[:200]
    sheet.save()
    log_action(
        actor=acting_user,
        action="substitutes.timesheet_submitted",
        target=sheet,
        alliance=request.program.alliance,
        program=request.program,
        summary=_("%(hours)s hours on %(day)s") % {"hours": hours, "day": work_date},
    )
    return sheet


@transaction.atomic
def approve_timesheet(
    *,
    acting_user: User,
    timesheet: Timesheet,
    start: time | None = None,
    end: time | None = None,
    break_minutes: int | None = None,
) -> Timesheet:
    """The director approves the hours, optionally correcting them first."""
    if timesheet.status == TimesheetStatus.APPROVED:
        raise ValidationError({"status": _("These hours are already approved.")})
    if timesheet.invoice_id:
        raise ValidationError({"status": _("These hours are already invoiced.")})
    new_start = start or timesheet.start
    new_end = end or timesheet.end
    new_break = timesheet.break_minutes if break_minutes is None else break_minutes
    errors = _times_errors(new_start, new_end, new_break)
    if errors:
        raise ValidationError(errors)
    corrected = (new_start, new_end, new_break) != (
        timesheet.start,
        timesheet.end,
        timesheet.break_minutes,
    )
    old_hours = timesheet.hours
    timesheet.start, timesheet.end, timesheet.break_minutes = new_start, new_end, new_break
    timesheet.hours = worked_hours(new_start, new_end, new_break)
    timesheet.corrected = corrected
    timesheet.status = TimesheetStatus.APPROVED
    timesheet.approved_by = acting_user
    timesheet.approved_at = timezone.now()
    timesheet.save(
        update_fields=[
            "start",
            "end",
            "break_minutes",
            "hours",
            "corrected",
            "status",
            "approved_by",
            "approved_at",
        ]
    )
    assignment = timesheet.assignment
    if assignment.status == AssignmentStatus.CONFIRMED:
        assignment.status = AssignmentStatus.COMPLETED
        assignment.save(update_fields=["status"])
    log_action(
        actor=acting_user,
        action="substitutes.timesheet_approved",
        target=timesheet,
        alliance=timesheet.program.alliance,
        program=timesheet.program,
        data={"hours": [old_hours, timesheet.hours]} if corrected else {},
    )
    return timesheet


@transaction.atomic
def rate_substitute(
    *, acting_user: User, assignment: Assignment, stars: int | None, comment: str = ""
) -> Rating:
    """The director rates the substitute after a worked shift (one rating, changeable)."""
    if stars is None or not 1 <= stars <= 5:
        raise ValidationError({"stars": _("Choose 1 to 5 stars.")})
    if assignment.status not in (AssignmentStatus.COMPLETED, AssignmentStatus.CONFIRMED):
        raise ValidationError({"stars": _("Only a worked shift can be rated.")})
    program = assignment.request.program
    rating, _created = Rating.objects.update_or_create(
        assignment=assignment,
        defaults={
            "program": program,
            "substitute_id": assignment.substitute_id,
            "stars": stars,
            "comment": comment[:300],
            "created_by": acting_user,
        },
    )
    history.refresh_for(assignment)
    log_action(
        actor=acting_user,
        action="substitutes.rated",
        target=rating,
        alliance=program.alliance,
        program=program,
        data={"stars": stars},
    )
    return rating


def month_start(day: date) -> date:
    return day.replace(day=1)


def _next_month(month: date) -> date:
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)


@transaction.atomic
def issue_invoice(
    *, acting_user: User, program: Program, month: date, rate: Decimal
) -> SubstituteInvoice:
    """Invoice a member for the month's approved, not yet invoiced hours at the hub's rate.

    Hours within the member's subsidized budget for the year are not charged. Amount is
    rounded half-up to the cent."""
    month = month_start(month)
    if _next_month(month) > timezone.localdate():
        raise ValidationError({"month": _("A month can be invoiced once it has ended.")})
    if SubstituteInvoice.objects.filter(program=program, month=month).exists():
        raise ValidationError({"month": _("This month is already invoiced.")})
    sheets = Timesheet.objects.filter(
        program=program,
        status=TimesheetStatus.APPROVED,
        invoice__isnull=True,
        work_date__gte=month,
        work_date__lt=_next_month(month),
    )
    hours = sheets.aggregate(h=Sum("hours"))["h"] or Decimal("0")
    if hours <= 0:
        raise ValidationError({"month": _("No approved hours to invoice in this month.")})
    left = budget_left(program=program, year=month.year)
    subsidized = min(hours, left) if left is not None else Decimal("0")
    invoice = SubstituteInvoice.objects.create(
        program=program,
        month=month,
        hours=hours,
        rate=rate,
        subsidized_hours=subsidized,
        amount=to_money((hours - subsidized) * rate),
        issued_by=acting_user,
    )
    sheets.update(invoice=invoice)
    log_action(
        actor=acting_user,
        action="substitutes.invoice_issued",
        target=invoice,
        alliance=program.alliance,
        program=program,
        summary=f"{month:%Y-%m}: {hours} h, ${invoice.amount}",
    )
    return invoice


def budget_left(*, program: Program, year: int) -> Decimal | None:
    """Subsidized hours left this year (None without a budget)."""
    budget = SubsidyBudget.objects.filter(program=program, year=year).first()
    if budget is None:
        return None
    used = SubstituteInvoice.objects.filter(program=program, month__year=year).aggregate(
        h=Sum("subsidized_hours")
    )["h"] or Decimal("0")
    return max(Decimal("0"), budget.hours - used)


@transaction.atomic
def set_budget(
    *, acting_user: User, program: Program, year: int, hours: Decimal, warn_at_percent: int = 80
) -> SubsidyBudget:
    if hours is None or hours < 0:
        raise ValidationError({"hours": _("Enter 0 or more hours.")})
    if not 1 <= warn_at_percent <= 100:
        raise ValidationError({"warn_at_percent": _("Enter a percentage from 1 to 100.")})
    budget, _created = SubsidyBudget.objects.update_or_create(
        program=program, year=year, defaults={"hours": hours, "warn_at_percent": warn_at_percent}
    )
    log_action(
        actor=acting_user,
        action="substitutes.budget_set",
        target=budget,
        alliance=program.alliance,
        program=program,
        data={"year": year, "hours": hours},
    )
    return budget
