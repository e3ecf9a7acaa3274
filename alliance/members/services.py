"""Every change to alliances' members: applications, programs, classrooms, memberships.

Each service is keyword-only, atomic, takes the acting user and writes an audit row. Bad
input raises ``ValidationError`` with a message per field, before anything is saved.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from alliance.accounts.models import User
from alliance.accounts.services import invite
from alliance.core.audit import changes, log_action
from alliance.core.money import to_money
from alliance.core.policy import RoleKind
from alliance.core.tenancy import program_scope
from alliance.members.models import (
    Alliance,
    ApplicationStatus,
    Classroom,
    Membership,
    MembershipApplication,
    MembershipStatus,
    MembershipTier,
    Program,
    ProgramKind,
)
from alliance.rules.capacity import family_home_limits

PROGRAM_FIELDS = (
    "name",
    "kind",
    "license_number",
    "license_expires_on",
    "licensed_capacity",
    "staffed_capacity",
    "ages_min_months",
    "ages_max_months",
    "languages",
    "accepts_ccap",
    "quality_rating",
    "address",
    "town",
    "zip_code",
    "phone",
    "email",
    "website",
    "tax_id",
    "description",
    "listed_in_directory",
)
CLASSROOM_FIELDS = (
    "name",
    "age_min_months",
    "age_max_months",
    "licensed_capacity",
    "staffed_capacity",
    "is_active",
)


def _check_program_figures(
    *, state: str, kind: str, licensed: int, staffed: int, ages_min: int, ages_max: int
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if staffed > licensed:
        errors["staffed_capacity"] = _(
            "Staffed capacity (%(staffed)s) cannot be more than licensed capacity (%(licensed)s)."
        ) % {"staffed": staffed, "licensed": licensed}
    if ages_min > ages_max:
        errors["ages_max_months"] = _("The oldest age must be at least the youngest age.")
    limits = family_home_limits(state) if kind == ProgramKind.FAMILY_HOME else None
    if limits and licensed > limits.max_in_care:
        errors["licensed_capacity"] = _(
            "A registered family child care home in %(state)s may care for at most "
            "%(max)s children (not counting the provider's own)."
        ) % {"state": state, "max": limits.max_in_care}
    return errors


def _unique_slug(name: str) -> str:
    base = slugify(name)[:70] or "program"
    slug, n = base, 2
    while Program.unscoped.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


# --- applications -----------------------------------------------------------------------


@transaction.atomic
def submit_application(*, alliance: Alliance, data: dict[str, Any]) -> MembershipApplication:
    """Record a public membership application. Validates every field first."""
    application = MembershipApplication(alliance=alliance, **data)
    errors = _check_program_figures(
        state=alliance.state,
        kind=application.kind,
        licensed=application.licensed_capacity or 0,
        staffed=0,
        ages_min=application.ages_min_months or 0,
        ages_max=application.ages_max_months or 0,
    )
    errors.pop("staffed_capacity", None)
    if application.tier_id and application.tier.alliance_id != alliance.pk:
        errors["tier"] = _("Choose one of this alliance's membership tiers.")
    if errors:
        raise ValidationError(errors)
    application.full_clean(exclude=["alliance", "reviewed_by", "program"])
    application.save()
    log_action(
        actor=None,
        action="application.submitted",
        target=application,
        alliance=alliance,
        summary=f"{application.program_name} applied",
    )
    return application


@transaction.atomic
def approve_application(
    *,
    acting_user: User,
    application: MembershipApplication,
    tier: MembershipTier,
    joined_on: date | None = None,
) -> Program:
    """Approve: create the program and its active membership, and invite the applicant as
    its director. Approving twice is refused (the application is locked while deciding)."""
    application = MembershipApplication.objects.select_for_update().get(pk=application.pk)
    if application.status != ApplicationStatus.SUBMITTED:
        raise ValidationError({"status": _("This application was already decided.")})
    if tier.alliance_id != application.alliance_id:
        raise ValidationError({"tier": _("Choose one of this alliance's membership tiers.")})
    joined_on = joined_on or timezone.localdate()
    program = Program(
        alliance=application.alliance,
        slug=_unique_slug(application.program_name),
        name=application.program_name,
        kind=application.kind,
        license_number=application.license_number,
        license_expires_on=application.license_expires_on,
        licensed_capacity=application.licensed_capacity,
        staffed_capacity=application.licensed_capacity,
        ages_min_months=application.ages_min_months,
        ages_max_months=application.ages_max_months,
        languages=application.languages,
        accepts_ccap=application.accepts_ccap,
        address=application.address,
        town=application.town,
        zip_code=application.zip_code,
        phone=application.phone,
        email=application.email,
    )
    program.save()
    with program_scope(program):
        Membership.objects.create(
            program=program,
            tier=tier,
            annual_fee=tier.annual_fee,
            joined_on=joined_on,
            renews_on=_one_year_after(joined_on),
        )
    application.status = ApplicationStatus.APPROVED
    application.reviewed_by = acting_user
    application.reviewed_at = timezone.now()
    application.program = program
    application.tier = tier
    application.save(update_fields=["status", "reviewed_by", "reviewed_at", "program", "tier"])
    log_action(
        actor=acting_user,
        action="application.approved",
        target=application,
        alliance=application.alliance,
        program=program,
        summary=f"Approved {program.name} ({tier.name})",
    )
    invite(
        acting_user=acting_user,
        email=application.email,
        kind=RoleKind.DIRECTOR,
        alliance=application.alliance,
        program=program,
        full_name=application.contact_name,
    )
    return program


@transaction.atomic
def decline_application(
    *, acting_user: User, application: MembershipApplication, note: str
) -> None:
    application = MembershipApplication.objects.select_for_update().get(pk=application.pk)
    if application.status != ApplicationStatus.SUBMITTED:
        raise ValidationError({"status": _("This application was already decided.")})
    if not note.strip():
        raise ValidationError({"decision_note": _("Tell the applicant why, in a sentence or two.")})
    application.status = ApplicationStatus.DECLINED
    application.reviewed_by = acting_user
    application.reviewed_at = timezone.now()
    application.decision_note = note.strip()
    application.save(update_fields=["status", "reviewed_by", "reviewed_at", "decision_note"])
    log_action(
        actor=acting_user,
        action="application.declined",
        target=application,
        alliance=application.alliance,
        summary=f"Declined {application.program_name}",
    )


def _one_year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


# --- programs ---------------------------------------------------------------------------


@transaction.atomic
def update_program(*, acting_user: User, program: Program, **fields: Any) -> Program:
    """Change a program's profile. Only known fields; figures checked against the rules."""
    unknown = set(fields) - set(PROGRAM_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    merged = {name: fields.get(name, getattr(program, name)) for name in PROGRAM_FIELDS}
    errors = _check_program_figures(
        state=program.alliance.state,
        kind=merged["kind"],
        licensed=merged["licensed_capacity"],
        staffed=merged["staffed_capacity"],
        ages_min=merged["ages_min_months"],
        ages_max=merged["ages_max_months"],
    )
    if errors:
        raise ValidationError(errors)
    diff = changes(program, fields)
    if not diff:
        return program
    program.full_clean(exclude=["alliance", "slug"])
    program.save(update_fields=list(diff))
    log_action(
        actor=acting_user,
        action="program.updated",
        target=program,
        alliance=program.alliance,
        program=program,
        summary=f"Updated {', '.join(sorted(diff))}",
        data=diff,
    )
    return program


# --- classrooms -------------------------------------------------------------------------


def _check_classroom(program: Program, data: dict[str, Any], exclude_pk: int | None) -> None:
    errors: dict[str, str] = {}
    if not str(data.get("name") or "").strip():
        errors["name"] = _("Give the classroom a name, e.g. “Toddlers A”.")
    if data["age_min_months"] > data["age_max_months"]:
        errors["age_max_months"] = _("The oldest age must be at least the youngest age.")
    if data["staffed_capacity"] > data["licensed_capacity"]:
        errors["staffed_capacity"] = _(
            "Staffed capacity cannot be more than licensed capacity (%(licensed)s)."
        ) % {"licensed": data["licensed_capacity"]}
    if data["licensed_capacity"] < 1:
        errors["licensed_capacity"] = _("Licensed capacity must be at least 1.")
    same_name = Classroom.objects.filter(program=program, name__iexact=str(data["name"]).strip())
    if exclude_pk:
        same_name = same_name.exclude(pk=exclude_pk)
    if "name" not in errors and same_name.exists():
        errors["name"] = _("This program already has a classroom with that name.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_classroom(
    *,
    acting_user: User,
    program: Program,
    name: str,
    age_min_months: int,
    age_max_months: int,
    licensed_capacity: int,
    staffed_capacity: int | None = None,
) -> Classroom:
    """Add a classroom. Staffed capacity defaults to licensed capacity."""
    data = {
        "name": (name or "").strip(),
        "age_min_months": age_min_months,
        "age_max_months": age_max_months,
        "licensed_capacity": licensed_capacity,
        "staffed_capacity": licensed_capacity if staffed_capacity is None else staffed_capacity,
    }
    _check_classroom(program, data, exclude_pk=None)
    classroom = Classroom(program=program, **data)
    classroom.full_clean(exclude=["program", "site"])
    classroom.save()
    log_action(
        actor=acting_user,
        action="classroom.created",
        target=classroom,
        alliance=program.alliance,
        program=program,
        summary=f"Added {classroom.name}",
        data=data,
    )
    return classroom


@transaction.atomic
def update_classroom(*, acting_user: User, classroom: Classroom, **fields: Any) -> Classroom:
    unknown = set(fields) - set(CLASSROOM_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    if "name" in fields:
        fields["name"] = (fields["name"] or "").strip()
    merged = {name: fields.get(name, getattr(classroom, name)) for name in CLASSROOM_FIELDS}
    _check_classroom(classroom.program, merged, exclude_pk=classroom.pk)
    diff = changes(classroom, fields)
    if diff:
        classroom.save(update_fields=list(diff))
        log_action(
            actor=acting_user,
            action="classroom.updated",
            target=classroom,
            alliance=classroom.program.alliance,
            program=classroom.program,
            summary=f"Updated {classroom.name}",
            data=diff,
        )
    return classroom


# --- tiers and memberships --------------------------------------------------------------


@transaction.atomic
def create_tier(
    *,
    acting_user: User,
    alliance: Alliance,
    name: str,
    annual_fee: Decimal | str,
    description: str = "",
) -> MembershipTier:
    name = (name or "").strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("Give the tier a name.")
    try:
        fee = to_money(annual_fee)
        if fee < 0:
            errors["annual_fee"] = _("The fee cannot be negative.")
    except (ValueError, TypeError):
        errors["annual_fee"] = _("Enter the fee in dollars and cents, e.g. 450.00.")
    if not errors and MembershipTier.objects.filter(alliance=alliance, name__iexact=name).exists():
        errors["name"] = _("There is already a tier with that name.")
    if errors:
        raise ValidationError(errors)
    tier = MembershipTier.objects.create(
        alliance=alliance, name=name, annual_fee=fee, description=description.strip()
    )
    log_action(
        actor=acting_user,
        action="tier.created",
        target=tier,
        alliance=alliance,
        summary=f"Tier {name} at {fee}",
    )
    return tier


@transaction.atomic
def change_membership(
    *,
    acting_user: User,
    membership: Membership,
    status: str | None = None,
    tier: MembershipTier | None = None,
    fee_paid_through: date | None = None,
) -> Membership:
    """Change status, tier (the fee follows the tier) or record the fee as paid."""
    fields: dict[str, Any] = {}
    if status is not None:
        if status not in MembershipStatus.values:
            raise ValidationError({"status": _("Choose active, suspended or ended.")})
        fields["status"] = status
    if tier is not None:
        if tier.alliance_id != membership.program.alliance_id:
            raise ValidationError({"tier": _("Choose one of this alliance's membership tiers.")})
        fields["tier"] = tier
        fields["annual_fee"] = tier.annual_fee
    if fee_paid_through is not None:
        fields["fee_paid_through"] = fee_paid_through
    diff = changes(membership, fields)
    if diff:
        membership.save(update_fields=[("tier" if k == "tier" else k) for k in diff])
        log_action(
            actor=acting_user,
            action="membership.changed",
            target=membership,
            alliance=membership.program.alliance,
            program=membership.program,
            summary=f"Membership: {', '.join(sorted(diff))}",
            data=diff,
        )
    return membership
