"""Every change to alliances' members: applications, programs, tiers and memberships.

Each service is keyword-only, atomic, takes the acting user and writes an audit row. Bad
input raises ``ValidationError`` with a message per field, before anything is saved.
Classrooms and sites live in :mod:`alliance.members.services_places`, tiers and
memberships in :mod:`alliance.members.services_tiers`; both are re-exported here, so callers
have one module to import.
"""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from alliance.accounts.models import User
from alliance.accounts.services import invite
from alliance.core.audit import changes, log_action
from alliance.core.policy import RoleKind
from alliance.core.tenancy import program_scope
from alliance.members.models import (
    Alliance,
    ApplicationStatus,
    Membership,
    MembershipApplication,
    MembershipTier,
    Program,
    ProgramKind,
)
from alliance.members.services_places import (  # noqa: F401 - one import point for callers
    CLASSROOM_FIELDS,
    SITE_FIELDS,
    create_classroom,
    create_site,
    update_classroom,
    update_site,
)
from alliance.members.services_tiers import (  # noqa: F401 - one import point for callers
    TIER_FIELDS,
    change_membership,
    create_tier,
    update_tier,
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
APPLICATION_FIELDS = (
    "program_name",
    "kind",
    "contact_name",
    "email",
    "phone",
    "license_number",
    "license_expires_on",
    "licensed_capacity",
    "address",
    "town",
    "zip_code",
    "ages_min_months",
    "ages_max_months",
    "languages",
    "accepts_ccap",
    "tier",
    "message",
)


def _check_program_figures(
    *, state: str, kind: str, licensed: Any, staffed: Any, ages_min: Any, ages_max: Any
) -> dict[str, str]:
    """Cross-field rules. Values that are not whole numbers are left to the field checks."""
    errors: dict[str, str] = {}
    numbers = (licensed, staffed, ages_min, ages_max)
    if not all(isinstance(n, int) for n in numbers):
        return errors
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


def _merge(errors: dict[str, list[str]], extra: dict[str, str]) -> None:
    """Add cross-field messages for fields that passed their own checks."""
    for field, message in extra.items():
        errors.setdefault(field, [message])


def _unique_slug(name: str) -> str:
    base = slugify(name)[:70] or "program"
    slug, n = base, 2
    while Program.unscoped.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _unknown_fields(given: Any, allowed: tuple[str, ...]) -> None:
    unknown = set(given) - set(allowed)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})


# --- applications -----------------------------------------------------------------------


def _duplicate_errors(alliance: Alliance, *, license_number: str, email: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    waiting = MembershipApplication.objects.filter(
        alliance=alliance, status=ApplicationStatus.SUBMITTED
    )
    if license_number and waiting.filter(license_number__iexact=license_number).exists():
        errors["license_number"] = _(
            "An application for this license number is already waiting for review. "
            "The hub will reply to it by email."
        )
    elif (
        license_number
        and Program.objects.filter(
            alliance=alliance, license_number__iexact=license_number
        ).exists()
    ):
        errors["license_number"] = _(
            "A program with this license number is already a member of the alliance. "
            "Contact the hub to renew or change its membership."
        )
    if email and waiting.filter(email__iexact=email).exists():
        errors["email"] = _(
            "An application from this email address is already waiting for review. "
            "The hub will reply to it by email."
        )
    return errors


@transaction.atomic
def submit_application(*, alliance: Alliance, data: dict[str, Any]) -> MembershipApplication:
    """Record a public membership application.

    Guarantees: every field, the capacity rules, the tier and duplicates (a waiting
    application with the same license number or email, or a member program with the same
    license number) are checked before anything is saved; on any error nothing is saved.
    """
    _unknown_fields(data, APPLICATION_FIELDS)
    data = {k: v.strip() if isinstance(v, str) else v for k, v in data.items()}
    if data.get("email"):
        data["email"] = data["email"].lower()
    application = MembershipApplication(alliance=alliance, **data)
    errors: dict[str, list[str]] = {}
    try:
        application.full_clean(
            exclude=["alliance", "status", "reviewed_by", "program"], validate_constraints=False
        )
    except ValidationError as exc:
        errors.update(exc.message_dict)
    _merge(
        errors,
        _check_program_figures(
            state=alliance.state,
            kind=application.kind,
            licensed=application.licensed_capacity,
            staffed=0,
            ages_min=application.ages_min_months,
            ages_max=application.ages_max_months,
        ),
    )
    tier = application.tier if application.tier_id else None
    if tier is not None and (tier.alliance_id != alliance.pk or not tier.is_active):
        _merge(errors, {"tier": _("Choose one of this alliance's membership tiers.")})
    _merge(
        errors,
        _duplicate_errors(
            alliance, license_number=application.license_number, email=application.email
        ),
    )
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:  # a second, simultaneous submission of the same form
        raise ValidationError(
            {"license_number": _("An application for this license number is already waiting.")}
        )
    log_action(
        actor=None,
        action="application.submitted",
        target=application,
        alliance=alliance,
        summary=f"{application.program_name} applied",
        data={"license_number": application.license_number, "email": application.email},
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
    its director. Approving twice is refused (the application row is locked while deciding),
    so a double-submitted approval creates exactly one program."""
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
        data={"program": program.slug, "tier": tier.name, "annual_fee": tier.annual_fee},
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
    """Decline with a note to the applicant. Deciding twice is refused."""
    application = MembershipApplication.objects.select_for_update().get(pk=application.pk)
    if application.status != ApplicationStatus.SUBMITTED:
        raise ValidationError({"status": _("This application was already decided.")})
    if not (note or "").strip():
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
    """Change a program's profile. Only known fields; figures checked against the rules.

    Guarantees: the whole new profile is validated on a copy first, so on error neither the
    database nor the ``program`` object passed in is changed.
    """
    _unknown_fields(fields, PROGRAM_FIELDS)
    fields = {k: v.strip() if isinstance(v, str) else v for k, v in fields.items()}
    candidate = copy.copy(program)
    for name, value in fields.items():
        setattr(candidate, name, value)
    errors: dict[str, list[str]] = {}
    try:
        candidate.full_clean(exclude=["alliance", "slug"], validate_constraints=False)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    _merge(
        errors,
        _check_program_figures(
            state=program.alliance.state,
            kind=candidate.kind,
            licensed=candidate.licensed_capacity,
            staffed=candidate.staffed_capacity,
            ages_min=candidate.ages_min_months,
            ages_max=candidate.ages_max_months,
        ),
    )
    if errors:
        raise ValidationError(errors)
    diff = changes(program, fields)
    if not diff:
        return program
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
