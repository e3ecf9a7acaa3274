"""Staff elections, dependents and qualifying life events, and the eligibility review.

Who may change an election when (``enrollment_start``):

* during a plan year's open-enrollment window: coverage starts with that plan year (or the
  first of next month when the year has begun);
* within 30 days of becoming eligible (after the waiting period), as a new hire;
* otherwise only with a qualifying life event of the person, recorded with proof, within
  the days its kind allows (``rules/data/benefits.json``); coverage then changes on the
  first of the next month.

A person holds at most one election per plan kind at a time: the database refuses two open
ones and :func:`elect` refuses any overlap unless asked to replace (a change), in which case
the current election ends the day before the new one starts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliance.accounts.models import Role, User
from alliance.benefits.models import (
    INSURANCE_KINDS,
    Dependent,
    Election,
    ElectionStatus,
    LifeEvent,
    LifeEventKind,
    MemberPolicy,
    Plan,
    PlanKind,
    PlanRate,
    PlanYear,
    Relationship,
)
from alliance.core.audit import log_action
from alliance.core.policy import RoleKind
from alliance.members.models import Program
from alliance.rules import benefits as rules
from alliance.staffing.models import StaffMember
from alliance.staffing.services_credentials import check_proof

ENDED_KIND = "benefits_eligibility_ended"
Errors = dict[str, list[str]]


def _register_kind() -> None:
    from alliance.notifications.kinds import register_kind

    register_kind(ENDED_KIND, category="staffing")


_register_kind()


@dataclass(frozen=True)
class Window:
    reason: str  # "open_enrollment", "new_hire", "life_event"
    starts_on: date
    plan_year: PlanYear | None = None
    life_event: LifeEvent | None = None


def open_plan_year(alliance_id: int, today: date) -> PlanYear | None:
    return (
        PlanYear.objects.filter(
            alliance_id=alliance_id,
            enrollment_opens_on__lte=today,
            enrollment_closes_on__gte=today,
        )
        .order_by("starts_on")
        .first()
    )


def _month_on_or_after(day: date) -> date:
    return day if day.day == 1 else rules.first_of_next_month(day)


def enrollment_window(
    *,
    staff: StaffMember,
    today: date,
    life_event: LifeEvent | None = None,
    waiting_days: int = 0,
    plan_year: PlanYear | None = None,
) -> Window | None:
    """The window this person may change elections in today, or None."""
    year = plan_year or open_plan_year(staff.program.alliance_id, today)
    if year is not None and year.is_open(today):
        start = max(year.starts_on, rules.first_of_next_month(today))
        if year.starts_on > today:
            start = year.starts_on
        return Window("open_enrollment", start, plan_year=year)
    if life_event is not None and life_event.staff_id == staff.pk:
        days = rules.life_event_days(life_event.kind)
        if life_event.occurred_on <= today <= life_event.occurred_on + timedelta(days=days):
            return Window("life_event", rules.first_of_next_month(today), life_event=life_event)
    eligible_from = rules.first_eligible_day(staff.hire_date, waiting_days)
    grace = rules.newly_eligible_days()
    if eligible_from - timedelta(days=grace) <= today <= eligible_from + timedelta(days=grace):
        start = max(rules.first_of_next_month(today), _month_on_or_after(eligible_from))
        return Window("new_hire", start)
    return None


def rate_on(plan: Plan, day: date) -> PlanRate | None:
    return (
        PlanRate.objects.filter(plan=plan, effective_on__lte=day).order_by("-effective_on").first()
    )


def _ineligible_message(reason: rules.Ineligible, policy: MemberPolicy, staff: StaffMember) -> str:
    if reason == rules.Ineligible.HOURS:
        return _("%(name)s works %(hours)s hours a week; this plan needs at least %(min)s.") % {
            "name": staff.full_name,
            "hours": staff.hours_per_week,
            "min": policy.min_hours,
        }
    if reason == rules.Ineligible.ROLE:
        return _("This plan is not offered to %(role)s staff here.") % {
            "role": staff.get_role_display()
        }
    if reason == rules.Ineligible.WAITING:
        first = rules.first_eligible_day(staff.hire_date, policy.waiting_days)
        return _("The waiting period after hire ends on %(day)s; enroll from then.") % {
            "day": first.isoformat()
        }
    return _("%(name)s does not work here on that date.") % {"name": staff.full_name}


def check_eligible(staff: StaffMember, policy: MemberPolicy | None, on: date) -> str | None:
    """Why ``staff`` may not enroll under ``policy`` on ``on`` (None: eligible)."""
    if policy is None or not policy.offered:
        return _("Your program does not offer this plan.")
    reason = rules.eligibility(
        on=on, hire_date=staff.hire_date, separated_on=staff.separated_on,
        hours_per_week=staff.hours_per_week, role=staff.role, min_hours=policy.min_hours,
        waiting_days=policy.waiting_days, roles=policy.eligible_roles,
    )  # fmt: skip
    return None if reason is None else _ineligible_message(reason, policy, staff)


TIER_MESSAGES = {
    "one_spouse": gettext_lazy("Cover at most one spouse or partner."),
    "employee_alone": gettext_lazy(
        "Employee-only coverage covers no dependents; choose a larger tier."
    ),
    "spouse_only": gettext_lazy(
        "Employee + spouse covers exactly one spouse or partner and no children."
    ),
    "children_only": gettext_lazy("Employee + children covers one or more children and no spouse."),
    "family": gettext_lazy("Family coverage needs a spouse or partner and at least one child."),
}


@transaction.atomic
def elect(
    *,
    acting_user: User,
    staff: StaffMember,
    kind: str,
    today: date,
    waive: bool = False,
    plan: Plan | None = None,
    tier: str = "",
    deferral_percent: Decimal | None = None,
    dependents: list[Dependent] | None = None,
    life_event: LifeEvent | None = None,
    replace: bool = False,
) -> Election:
    """Enroll ``staff`` in ``plan`` (or waive ``kind``) in the window open to them today.

    Guarantees before any write: a window is open (open enrollment, new hire, or a recent
    life event of theirs), they are eligible on the start date under their program's
    policy, the tier fits the dependents (all theirs), a retirement deferral lies within
    the plan's limits, and nothing overlaps unless ``replace`` (then the current election
    of the kind ends the day before; one not started yet is withdrawn)."""
    program = staff.program
    errors: Errors = {}
    if kind not in PlanKind.values:
        raise ValidationError({"kind": [_("Choose health, dental, vision or retirement.")]})
    policy = None
    if not waive:
        if plan is None or plan.kind != kind or plan.alliance_id != program.alliance_id:
            raise ValidationError({"plan": [_("Choose one of the plans offered to you.")]})
        if not plan.is_active:
            raise ValidationError({"plan": [_("This plan is no longer offered.")]})
        policy = MemberPolicy.objects.filter(program=program, plan=plan).first()
    waiting = policy.waiting_days if policy else 0
    window = enrollment_window(
        staff=staff, today=today, life_event=life_event, waiting_days=waiting
    )
    if window is None:
        raise ValidationError(
            {
                "life_event": [
                    _(
                        "Open enrollment is closed. Record a qualifying life event (with its "
                        "date and proof) to change your elections now."
                    )
                ]
            }
        )
    start = window.starts_on
    if staff.separated_on is not None and staff.separated_on < start:
        raise ValidationError({"staff": [_("%(name)s has left the program.") % {"name": staff}]})
    chosen = list(dependents or [])
    if not waive:
        problem = check_eligible(staff, policy, start)
        if problem:
            errors["plan"] = [problem]
        if plan.kind == PlanKind.RETIREMENT:
            pct = deferral_percent
            low, high = plan.deferral_min_percent or 0, plan.deferral_max_percent or 100
            if pct is None or not Decimal(pct).is_finite() or not low <= Decimal(pct) <= high:
                errors["deferral_percent"] = [
                    _("Choose a deferral between %(low)s%% and %(high)s%% of pay.")
                    % {"low": low, "high": high}
                ]
            tier, chosen = "", []
        else:
            if tier not in rules.Tier.__members__.values():
                errors["tier"] = [_("Choose who is covered (the coverage tier).")]
            elif any(d.staff_id != staff.pk for d in chosen):
                errors["dependents"] = [_("Choose dependents from your own list.")]
            else:
                found = rules.tier_problem(tier, [d.relationship for d in chosen])
                if found:
                    errors["dependents"] = [str(TIER_MESSAGES[found])]
            if "plan" not in errors and rate_on(plan, start) is None:
                errors["plan"] = [_("This plan has no rates for %(day)s yet; ask the hub.")
                                  % {"day": start.isoformat()}]  # fmt: skip
            deferral_percent = None
    current = list(
        Election.objects.select_for_update(of=("self",))
        .filter(staff=staff, kind=kind)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=start))
    )
    if current and not replace:
        existing = current[0]
        errors["kind"] = [
            _("You already have a %(kind)s election from %(day)s. Choose “Change” to replace it.")
            % {"kind": existing.get_kind_display().lower(), "day": existing.starts_on.isoformat()}
        ]
    if errors:
        raise ValidationError(errors)
    for old in current:
        if old.starts_on >= start:
            log_action(
                actor=acting_user, action="benefits.election_withdrawn", target=old,
                alliance=program.alliance, program=program,
                summary=f"{staff}: {old.kind} election replaced before it started",
            )  # fmt: skip
            old.delete()
        else:
            old.ends_on = start - timedelta(days=1)
            old.ended_reason = "changed"
            old.save(update_fields=["ends_on", "ended_reason"])
    election = Election.objects.create(
        program=program,
        staff=staff,
        kind=kind,
        plan=None if waive else plan,
        status=ElectionStatus.WAIVED if waive else ElectionStatus.ENROLLED,
        tier="" if waive else tier,
        deferral_percent=None if waive else deferral_percent,
        starts_on=start,
        life_event=window.life_event,
        created_by=acting_user,
    )
    if chosen and not waive:
        election.dependents.set(chosen)
    log_action(
        actor=acting_user, action="benefits.elected", target=election,
        alliance=program.alliance, program=program,
        summary=f"{staff}: {'waived' if waive else plan} {kind} from {start}",
        data={"window": window.reason, "tier": tier, "deferral": deferral_percent,
              "dependents": [d.pk for d in chosen]},
    )  # fmt: skip
    return election


@transaction.atomic
def add_dependent(
    *, acting_user: User, staff: StaffMember, full_name: str, relationship: str, birth_date: date
) -> Dependent:
    errors: Errors = {}
    if not (full_name or "").strip():
        errors["full_name"] = [_("Enter the dependent's name.")]
    if relationship not in Relationship.values:
        errors["relationship"] = [_("Choose spouse, partner or child.")]
    if not isinstance(birth_date, date) or birth_date > date.today():
        errors["birth_date"] = [_("Enter a birth date in the past.")]
    if errors:
        raise ValidationError(errors)
    dependent = Dependent.objects.create(
        program=staff.program, staff=staff, full_name=full_name.strip(),
        relationship=relationship, birth_date=birth_date,
    )  # fmt: skip
    log_action(
        actor=acting_user, action="benefits.dependent_added", target=dependent,
        alliance=staff.program.alliance, program=staff.program,
        summary=f"{staff}: dependent ({relationship})",
    )  # fmt: skip
    return dependent


@transaction.atomic
def record_life_event(
    *,
    acting_user: User,
    staff: StaffMember,
    kind: str,
    occurred_on: date,
    proof: UploadedFile | None,
    today: date,
) -> LifeEvent:
    """Record a qualifying life event with proof (PDF, JPEG or PNG up to 5 MB). The event
    must be of a known kind, not in the future, and recent enough to still open a window."""
    errors: Errors = {}
    if kind not in LifeEventKind.values:
        errors["kind"] = [_("Choose the kind of event.")]
    if not isinstance(occurred_on, date):
        errors["occurred_on"] = [_("Enter the date of the event.")]
    elif occurred_on > today:
        errors["occurred_on"] = [_("The event date cannot be in the future.")]
    elif kind in LifeEventKind.values:
        days = rules.life_event_days(kind)
        if (today - occurred_on).days > days:
            errors["occurred_on"] = [
                _("Changes must be asked within %(days)s days of this event; it is too late.")
                % {"days": days}
            ]
    if proof is None:
        errors["proof"] = [_("Upload proof of the event (a PDF, JPEG or PNG).")]
    else:
        problem = check_proof(proof)
        if problem:
            errors["proof"] = [problem]
    if errors:
        raise ValidationError(errors)
    event = LifeEvent(
        program=staff.program, staff=staff, kind=kind, occurred_on=occurred_on,
        recorded_by=acting_user,
    )  # fmt: skip
    event.proof.save(proof.name, proof, save=False)
    event.save()
    log_action(
        actor=acting_user, action="benefits.life_event", target=event,
        alliance=staff.program.alliance, program=staff.program,
        summary=f"{staff}: {kind} on {occurred_on}",
    )  # fmt: skip
    return event


@transaction.atomic
def end_election(
    *, acting_user: User | None, election: Election, ends_on: date, reason: str
) -> Election | None:
    """End coverage on ``ends_on``; an election that would start after it is withdrawn."""
    program = election.program
    if election.starts_on > ends_on:
        log_action(
            actor=acting_user, action="benefits.election_withdrawn", target=election,
            alliance=program.alliance, program=program,
            summary=f"{election.staff}: {election.kind} withdrawn ({reason})",
        )  # fmt: skip
        election.delete()
        return None
    election.ends_on = ends_on
    election.ended_reason = reason
    election.save(update_fields=["ends_on", "ended_reason"])
    log_action(
        actor=acting_user, action="benefits.election_ended", target=election,
        alliance=program.alliance, program=program,
        summary=f"{election.staff}: {election.kind} ends {ends_on} ({reason})",
    )  # fmt: skip
    return election


@transaction.atomic
def review_eligibility(*, program: Program, today: date) -> int:
    """End the enrollments of people who are no longer eligible (left, hours or role
    changed, plan no longer offered): coverage runs to the end of this month. The person
    (when they have an account) and the directors are told. Returns how many ended.
    Idempotent: an election already ending by then is left alone."""
    from alliance.notifications.services import notify

    end = rules.month_end(today)
    elections = list(
        Election.objects.select_for_update(of=("self",))
        .filter(program=program, status=ElectionStatus.ENROLLED)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=end))
        .select_related("staff__user", "plan")
    )
    policies = {p.plan_id: p for p in MemberPolicy.objects.filter(program=program)}
    directors = [
        r.user
        for r in Role.objects.filter(
            program=program, kind=RoleKind.DIRECTOR, user__is_active=True
        ).select_related("user")
    ]
    ended = 0
    for election in elections:
        staff = election.staff
        policy = policies.get(election.plan_id)
        if policy is None or not policy.offered:
            reason = rules.Ineligible.NOT_OFFERED
        else:
            reason = rules.eligibility(
                on=today, hire_date=staff.hire_date, separated_on=staff.separated_on,
                hours_per_week=staff.hours_per_week, role=staff.role,
                min_hours=policy.min_hours, waiting_days=0, roles=policy.eligible_roles,
            )  # fmt: skip
            if reason == rules.Ineligible.NOT_EMPLOYED and staff.hire_date > today:
                reason = None  # a hire who has not started yet
        if reason is None:
            continue
        end_election(acting_user=None, election=election, ends_on=end, reason=str(reason))
        ended += 1
        recipients = list(directors)
        if staff.user is not None and staff.user.is_active and staff.user not in recipients:
            recipients.append(staff.user)
        for user in recipients:
            is_director = user in directors
            link = (
                reverse("benefits:staff_elections", args=[program.slug, staff.pk])
                if is_director
                else reverse("benefits:my_elections", args=[program.slug])
            )
            notify(
                recipient=user,
                kind=ENDED_KIND,
                context={
                    "staff_name": staff.full_name,
                    "plan_name": str(election.plan),
                    "program_name": program.name,
                    "ends_on": end,
                    "reason": str(reason),
                },
                alliance=program.alliance,
                program=program,
                link=link,
            )
    return ended


def insurance_kinds() -> tuple[str, ...]:
    return tuple(str(k) for k in INSURANCE_KINDS)
