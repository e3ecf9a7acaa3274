"""Changes to the pool itself: profiles, availability, onboarding, blocks, pool settings."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, time
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.accounts.models import User
from alliance.core.audit import changes, log_action
from alliance.core.policy import RoleKind
from alliance.members.models import Alliance, Program
from alliance.substitutes.models import (
    ONBOARDING_STEPS,
    Availability,
    AvailabilityException,
    DispatchMode,
    Favourite,
    PoolSettings,
    ProfileStatus,
    ProgramBlock,
    Qualification,
    SubstituteProfile,
)
from alliance.substitutes.ranking import town_centroids


def _profile_errors(data: dict) -> dict[str, str]:
    errors: dict[str, str] = {}
    if "qualifications" in data:
        unknown = set(data["qualifications"]) - set(Qualification.values)
        if unknown:
            errors["qualifications"] = _("Unknown qualification: %(q)s.") % {
                "q": ", ".join(sorted(unknown))
            }
    if "home_town" in data:
        town = (data["home_town"] or "").strip()
        if not town:
            errors["home_town"] = _("Enter your home town.")
        elif town.lower() not in town_centroids():
            errors["home_town"] = _("Choose a New Jersey town from the list.")
    if "travel_miles" in data:
        miles = data["travel_miles"]
        if not isinstance(miles, int) or not 1 <= miles <= 200:
            errors["travel_miles"] = _("Enter a distance between 1 and 200 miles.")
    if "pay_rate" in data:
        try:
            rate = Decimal(str(data["pay_rate"]))
        except (InvalidOperation, ValueError):
            rate = None
        if rate is None or rate <= 0 or rate > Decimal("500"):
            errors["pay_rate"] = _("Enter an hourly rate, e.g. 18.50.")
    if "status" in data and data["status"] not in ProfileStatus.values:
        errors["status"] = _("Choose a status.")
    return errors


@transaction.atomic
def create_profile(
    *,
    acting_user: User | None,
    alliance: Alliance,
    user: User,
    home_town: str,
    pay_rate: Decimal,
    qualifications: Sequence[str] = (),
    languages: Sequence[str] = (),
    travel_miles: int = 10,
    status: str = ProfileStatus.ONBOARDING,
) -> SubstituteProfile:
    """Add a person to the pool (the hub, after they accepted a substitute invitation)."""
    data = {
        "home_town": home_town,
        "pay_rate": pay_rate,
        "qualifications": list(qualifications),
        "travel_miles": travel_miles,
        "status": status,
    }
    errors = _profile_errors(data)
    if SubstituteProfile.objects.filter(alliance=alliance, user=user).exists():
        errors["user"] = _("This person is already in the pool.")
    if errors:
        raise ValidationError(errors)
    profile = SubstituteProfile.objects.create(
        alliance=alliance,
        user=user,
        home_town=home_town.strip(),
        pay_rate=Decimal(str(pay_rate)),
        qualifications=sorted(set(qualifications)),
        languages=list(languages),
        travel_miles=travel_miles,
        status=status,
    )
    from alliance.accounts.models import Role

    Role.objects.get_or_create(user=user, kind=RoleKind.SUBSTITUTE, alliance=alliance, program=None)
    log_action(
        actor=acting_user,
        action="substitutes.profile_created",
        target=profile,
        alliance=alliance,
        summary=str(user),
    )
    return profile


HUB_FIELDS = ("status", "qualifications", "languages", "home_town", "travel_miles", "pay_rate")
SELF_FIELDS = ("qualifications", "languages", "home_town", "travel_miles")


@transaction.atomic
def update_profile(
    *,
    acting_user: User,
    profile: SubstituteProfile,
    preferred_programs: Iterable[Program] | None = None,
    blocked_programs: Iterable[Program] | None = None,
    by_hub: bool = False,
    **fields,
) -> SubstituteProfile:
    """Change a profile. The substitute may change what they offer; the hub also status
    and pay rate (qualifications the sub claims are checked by the hub at onboarding)."""
    allowed = HUB_FIELDS if by_hub else SELF_FIELDS
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    errors = _profile_errors(fields)
    status = fields.get("status")
    if status is not None and status != profile.status:
        if status == ProfileStatus.SUSPENDED:
            errors["status"] = _("Suspension follows the no-show policy; it cannot be set here.")
        elif profile.status == ProfileStatus.SUSPENDED:
            errors["status"] = _("This person is suspended: reinstate them with a reason.")
    if errors:
        raise ValidationError(errors)
    if "pay_rate" in fields:
        fields["pay_rate"] = Decimal(str(fields["pay_rate"]))
    if "home_town" in fields:
        fields["home_town"] = fields["home_town"].strip()
    diff = changes(profile, fields)
    if diff:
        profile.save(update_fields=list(diff))
    if preferred_programs is not None:
        profile.preferred_programs.set(
            [p for p in preferred_programs if p.alliance_id == profile.alliance_id]
        )
    if blocked_programs is not None:
        profile.blocked_programs.set(
            [p for p in blocked_programs if p.alliance_id == profile.alliance_id]
        )
    log_action(
        actor=acting_user,
        action="substitutes.profile_updated",
        target=profile,
        alliance=profile.alliance,
        summary=str(profile.user),
        data=diff,
    )
    return profile


@transaction.atomic
def set_availability(
    *,
    acting_user: User,
    profile: SubstituteProfile,
    windows: Sequence[tuple[int, time, time]],
) -> list[Availability]:
    """Replace the weekly availability (weekday 0 = Monday, from, until)."""
    errors = {}
    for weekday, start, end in windows:
        if not 0 <= weekday <= 6:
            errors["windows"] = _("Unknown weekday.")
        elif end <= start:
            errors["windows"] = _("Each window must end after it starts.")
    if errors:
        raise ValidationError(errors)
    Availability.objects.filter(profile=profile).delete()
    rows = Availability.objects.bulk_create(
        [Availability(profile=profile, weekday=w, start=s, end=e) for w, s, e in windows]
    )
    log_action(
        actor=acting_user,
        action="substitutes.availability_set",
        target=profile,
        alliance=profile.alliance,
        data={"windows": [[w, s.isoformat(), e.isoformat()] for w, s, e in windows]},
    )
    return rows


@transaction.atomic
def add_day_off(
    *, acting_user: User, profile: SubstituteProfile, day: date | None, reason: str = ""
) -> AvailabilityException:
    if day is None:
        raise ValidationError({"day": _("Enter a date.")})
    if day < timezone.localdate():
        raise ValidationError({"day": _("Choose today or a later date.")})
    row, _created = AvailabilityException.objects.get_or_create(
        profile=profile, day=day, defaults={"reason": reason[:120]}
    )
    log_action(
        actor=acting_user,
        action="substitutes.day_off_added",
        target=profile,
        alliance=profile.alliance,
        data={"day": day},
    )
    return row


@transaction.atomic
def remove_day_off(*, acting_user: User, profile: SubstituteProfile, day_off_id: int) -> None:
    deleted, _rows = AvailabilityException.objects.filter(profile=profile, pk=day_off_id).delete()
    if deleted:
        log_action(
            actor=acting_user,
            action="substitutes.day_off_removed",
            target=profile,
            alliance=profile.alliance,
        )


@transaction.atomic
def set_onboarding_step(
    *, acting_user: User, profile: SubstituteProfile, step: str, done: bool
) -> SubstituteProfile:
    """Tick (or untick) a step of the hub's onboarding checklist. A profile whose checklist
    is complete becomes active (it still needs valid checks to be offered work)."""
    if step not in ONBOARDING_STEPS:
        raise ValidationError({"step": _("Unknown onboarding step.")})
    checklist = dict(profile.onboarding)
    if done:
        checklist[step] = timezone.localdate().isoformat()
    else:
        checklist.pop(step, None)
    profile.onboarding = checklist
    fields = ["onboarding"]
    if profile.onboarding_complete and profile.status == ProfileStatus.ONBOARDING:
        profile.status = ProfileStatus.ACTIVE
        fields.append("status")
    profile.save(update_fields=fields)
    log_action(
        actor=acting_user,
        action="substitutes.onboarding",
        target=profile,
        alliance=profile.alliance,
        data={"step": step, "done": done},
    )
    return profile


@transaction.atomic
def block_substitute(
    *, acting_user: User, program: Program, substitute: User, reason: str = ""
) -> ProgramBlock:
    """The program does not want this substitute again: they are never offered its shifts."""
    block, _created = ProgramBlock.objects.get_or_create(
        program=program, substitute=substitute, defaults={"reason": reason[:200]}
    )
    log_action(
        actor=acting_user,
        action="substitutes.blocked",
        target=block,
        alliance=program.alliance,
        program=program,
        summary=str(substitute),
    )
    return block


@transaction.atomic
def unblock_substitute(*, acting_user: User, program: Program, substitute: User) -> None:
    deleted, _rows = ProgramBlock.objects.filter(program=program, substitute=substitute).delete()
    if deleted:
        log_action(
            actor=acting_user,
            action="substitutes.unblocked",
            target=substitute,
            alliance=program.alliance,
            program=program,
        )


SETTINGS_FIELDS = (
    "default_mode",
    "wave_size",
    "wave_minutes",
    "offer_hours",
    "late_cancel_hours",
    "billing_rate",
    "tiered_release",
    "no_show_warning_after",
    "no_show_suspend_after",
    "no_show_window_months",
    "never_work_min_offers",
)


@transaction.atomic
def update_pool_settings(*, acting_user: User, settings: PoolSettings, **fields) -> PoolSettings:
    errors = {}
    if "default_mode" in fields and fields["default_mode"] not in DispatchMode.values:
        errors["default_mode"] = _("Choose “waves”, “broadcast” or “picks”.")
    for name in (
        "wave_size",
        "wave_minutes",
        "offer_hours",
        "no_show_warning_after",
        "no_show_suspend_after",
        "no_show_window_months",
        "never_work_min_offers",
    ):
        if name in fields and (not isinstance(fields[name], int) or fields[name] < 1):
            errors[name] = _("Enter a whole number of at least 1.")
    if "billing_rate" in fields and (
        fields["billing_rate"] is None or Decimal(str(fields["billing_rate"])) < 0
    ):
        errors["billing_rate"] = _("Enter a rate of 0 or more.")
    warn = fields.get("no_show_warning_after", settings.no_show_warning_after)
    suspend = fields.get("no_show_suspend_after", settings.no_show_suspend_after)
    if not errors and suspend < warn:
        errors["no_show_suspend_after"] = _(
            "Suspend at the warning's number of no-shows or later (at least %(n)d)."
        ) % {"n": warn}
    if errors:
        raise ValidationError(errors)
    diff = changes(settings, {k: v for k, v in fields.items() if k in SETTINGS_FIELDS})
    if diff:
        settings.save(update_fields=list(diff))
        log_action(
            actor=acting_user,
            action="substitutes.settings_updated",
            target=settings,
            alliance=settings.alliance,
            data=diff,
        )
    return settings


def _in_pool(program: Program, substitute: User) -> bool:
    from django_scopes import scopes_disabled

    with scopes_disabled():
        return SubstituteProfile.objects.filter(
            alliance_id=program.alliance_id, user=substitute
        ).exists()


@transaction.atomic
def mark_favourite(*, acting_user: User, program: Program, substitute: User) -> Favourite:
    """The program wants this substitute asked first (tiered release). Idempotent."""
    if not _in_pool(program, substitute):
        raise ValidationError(
            {"substitute_id": _("This person is not in your alliance's substitute pool.")}
        )
    favourite, created = Favourite.objects.get_or_create(
        program=program, substitute=substitute, defaults={"created_by": acting_user}
    )
    if created:
        log_action(
            actor=acting_user,
            action="substitutes.favourite_marked",
            target=favourite,
            alliance=program.alliance,
            program=program,
            summary=str(substitute),
        )
    return favourite


@transaction.atomic
def unmark_favourite(*, acting_user: User, program: Program, substitute: User) -> bool:
    """Remove a favourite; returns whether there was one."""
    deleted, _rows = Favourite.objects.filter(program=program, substitute=substitute).delete()
    if deleted:
        log_action(
            actor=acting_user,
            action="substitutes.favourite_unmarked",
            target=substitute,
            alliance=program.alliance,
            program=program,
            summary=str(substitute),
        )
    return bool(deleted)


@transaction.atomic
def reinstate_profile(
    *, acting_user: User, profile: SubstituteProfile, reason: str
) -> SubstituteProfile:
    """The hub lifts a no-show suspension; the reason is required and audited."""
    reason = (reason or "").strip()
    if profile.status != ProfileStatus.SUSPENDED:
        raise ValidationError({"status": _("This person is not suspended.")})
    if not reason:
        raise ValidationError({"reason": _("Give the reason for reinstating this person.")})
    profile.status = ProfileStatus.ACTIVE
    profile.suspended_at = None
    profile.save(update_fields=["status", "suspended_at"])
    log_action(
        actor=acting_user,
        action="substitutes.reinstated",
        target=profile,
        alliance=profile.alliance,
        summary=reason[:300],
        data={"reason": reason[:300]},
    )
    return profile
