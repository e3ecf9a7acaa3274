"""Every change to a family's application: submit, update, withdraw, refer.

The application's data is the family's: programs see it only when it is proposed, offered
or referred to them (see :mod:`alliance.enrollment.access`).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.accounts.models import User
from alliance.core.audit import log_action
from alliance.core.policy import RoleKind
from alliance.enrollment.models import (
    Applicant,
    ApplicantStatus,
    Application,
    ApplicationStatus,
    CcapStatus,
    Referral,
    Schedule,
)
from alliance.enrollment.rules import clean_days, months_between
from alliance.families.models import Child, Family
from alliance.families.services import family_account
from alliance.members.models import Alliance, Program

MAX_CHILDREN = 6
CHECKIN_DAYS = 90  # ask "still interested?" when the family has not confirmed for this long
CHECKIN_ANSWER_DAYS = 14  # then close the application if there is no answer


@dataclass
class ChildInput:
    first_name: str
    last_name: str
    birth_date: date | None


@dataclass
class ApplicationInput:
    guardian_name: str
    email: str
    phone: str
    language: str
    town: str
    zip_code: str
    children: list[ChildInput]
    desired_start: date | None
    schedule: str = Schedule.FULL_TIME
    days: str = "01234"
    preferred_programs: list[int] | None = None
    preferred_towns: list[str] | None = None
    ccap: str = CcapStatus.NONE
    languages: list[str] | None = None
    special_needs: str = ""
    consent_to_share: bool = False
    notes: str = ""


def _served_ages(alliance: Alliance) -> tuple[int, int]:
    """The youngest and oldest age (months) any member classroom serves."""
    from django.db.models import Max, Min

    from alliance.members.models import Classroom

    agg = Classroom.objects.filter(program__alliance=alliance, is_active=True).aggregate(
        lo=Min("age_min_months"), hi=Max("age_max_months")
    )
    return agg["lo"] or 0, agg["hi"] or 0


def _check(alliance: Alliance, data: ApplicationInput, today: date) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not data.guardian_name.strip():
        errors["guardian_name"] = _("Enter your name.")
    try:
        validate_email(data.email)
    except ValidationError:
        errors["email"] = _("Enter an email address we can reach you at.")
    if not data.town.strip():
        errors["town"] = _("Enter the town you live in.")
    if not (data.zip_code.strip()[:5].isdigit() and len(data.zip_code.strip()) in (5, 10)):
        errors["zip_code"] = _("Enter a 5-digit ZIP code, e.g. 07201.")
    if data.desired_start is None:
        errors["desired_start"] = _("Enter the date you would like care to start.")
    elif data.desired_start < today:
        errors["desired_start"] = _("The start date cannot be in the past.")
    if data.schedule not in Schedule.values:
        errors["schedule"] = _("Choose full time or part time.")
    if data.ccap not in CcapStatus.values:
        errors["ccap"] = _("Choose your CCAP status.")
    try:
        clean_days(data.days)
    except ValueError:
        errors["days"] = _("Choose at least one weekday.")
    if not data.consent_to_share:
        errors["consent_to_share"] = _(
            "We can only match you with programs if you agree to share your application with them."
        )
    if not data.children:
        errors["children"] = _("Add at least one child.")
    elif len(data.children) > MAX_CHILDREN:
        errors["children"] = _("Add at most %(n)s children per application.") % {"n": MAX_CHILDREN}
    lo, hi = _served_ages(alliance)
    start = data.desired_start or today
    for child in data.children:
        if not child.first_name.strip() or not child.last_name.strip():
            errors["children"] = _("Enter each child's first and last name.")
        elif child.birth_date is None:
            errors["children"] = _("Enter each child's birth date.")
        elif child.birth_date > today:
            errors["children"] = _("A birth date cannot be in the future.")
        else:
            age = months_between(child.birth_date, start)
            if not lo <= age <= hi:
                errors["children"] = _(
                    "%(name)s will be %(age)s months old on the start date; member programs "
                    "care for children from %(lo)s to %(hi)s months."
                ) % {"name": child.first_name, "age": max(age, 0), "lo": lo, "hi": hi}
    return errors


def _duplicate(alliance: Alliance, data: ApplicationInput) -> bool:
    email = data.email.strip().lower()
    waiting = Application.objects.filter(alliance=alliance, status=ApplicationStatus.WAITING)
    if waiting.filter(family__email__iexact=email).exists():
        return True
    for child in data.children:
        if Applicant.objects.filter(
            application__alliance=alliance,
            application__status=ApplicationStatus.WAITING,
            child__first_name__iexact=child.first_name.strip(),
            child__last_name__iexact=child.last_name.strip(),
            child__birth_date=child.birth_date,
        ).exists():
            return True
    return False


@transaction.atomic
def submit_application(
    *,
    acting_user: User | None,
    alliance: Alliance,
    data: ApplicationInput,
    invite_account: bool = True,
) -> Application:
    """A family applies once to the whole alliance. Guarantees: valid dates and ages, no
    second waiting application for the same email or child, the family and children are
    created (or the signed-in family's record reused), and an account invitation is emailed
    so the family can follow up."""
    today = timezone.localdate()
    errors = _check(alliance, data, today)
    if not errors and _duplicate(alliance, data):
        errors["email"] = _(
            "There is already a waiting application for this family or child. Use the link "
            "in your confirmation email to update it."
        )
    if errors:
        raise ValidationError(errors)
    family = None
    signed_in = acting_user is not None and acting_user.is_authenticated
    if signed_in:
        # An existing user applies: they hold the family role from now on, and their
        # family record is linked to their account (Family.account) at once.
        from alliance.accounts.services import grant_role

        grant_role(
            acting_user=acting_user, user=acting_user, kind=RoleKind.FAMILY, alliance=alliance
        )
        family = Family.objects.filter(alliance=alliance, account=acting_user).first()
    if family is None:
        family = Family.objects.create(
            alliance=alliance,
            account=acting_user
            if signed_in
            else family_account(alliance=alliance, email=data.email),
            name=_("%(name)s family") % {"name": data.children[0].last_name.strip()},
            guardian_name=data.guardian_name.strip(),
            email=data.email.strip().lower(),
            phone=data.phone.strip()[:30],
            town=data.town.strip(),
            zip_code=data.zip_code.strip(),
            language=data.language if data.language in ("en", "es") else "en",
        )
    application = Application.objects.create(
        alliance=alliance,
        family=family,
        desired_start=data.desired_start,
        schedule=data.schedule,
        days=clean_days(data.days),
        preferred_programs=list(dict.fromkeys(data.preferred_programs or [])),
        preferred_towns=list(
            dict.fromkeys(t.strip() for t in data.preferred_towns or [] if t.strip())
        ),
        ccap=data.ccap,
        languages=list(data.languages or []),
        special_needs=data.special_needs.strip(),
        consent_to_share=True,
        notes=data.notes.strip(),
        submitted_at=timezone.now(),
        confirmed_at=timezone.now(),
        token=secrets.token_urlsafe(32),
    )
    for item in data.children:
        child = Child.objects.filter(
            family=family,
            first_name__iexact=item.first_name.strip(),
            birth_date=item.birth_date,
        ).first() or Child.objects.create(
            family=family,
            first_name=item.first_name.strip(),
            last_name=item.last_name.strip(),
            birth_date=item.birth_date,
        )
        Applicant.objects.create(application=application, child=child)
    log_action(
        actor=acting_user,
        action="application.submitted",
        target=application,
        alliance=alliance,
        summary=f"{family} ({len(data.children)} children)",
    )
    if invite_account and family.account_id is None:
        _invite_family(alliance, family)
    _send_confirmation(application)
    return application


def _invite_family(alliance: Alliance, family: Family) -> None:
    """Invite the guardian to create their account (or, with an account already, to take
    the family role); accepting it links the account to this family record."""
    from alliance.accounts.services import invite

    invite(
        acting_user=None,
        email=family.email,
        kind=RoleKind.FAMILY,
        alliance=alliance,
        full_name=family.guardian_name,
        language=family.language,
    )


def _send_confirmation(application: Application) -> None:
    from alliance.enrollment.notify import application_received

    application_received(application)


@transaction.atomic
def update_application(
    *, acting_user: User | None, application: Application, data: ApplicationInput
) -> Application:
    """The family changes its preferences (children stay; add a child with a new one)."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status != ApplicationStatus.WAITING:
        raise ValidationError({"__all__": _("Only a waiting application can be changed.")})
    existing = [
        ChildInput(a.child.first_name, a.child.last_name, a.child.birth_date)
        for a in application.applicants.select_related("child")
    ]
    data.children = existing
    data.email = application.family.email
    errors = _check(application.alliance, data, timezone.localdate())
    if errors:
        raise ValidationError(errors)
    fields = {
        "desired_start": data.desired_start,
        "schedule": data.schedule,
        "days": clean_days(data.days),
        "preferred_programs": list(dict.fromkeys(data.preferred_programs or [])),
        "preferred_towns": list(
            dict.fromkeys(t.strip() for t in data.preferred_towns or [] if t.strip())
        ),
        "ccap": data.ccap,
        "languages": list(data.languages or []),
        "special_needs": data.special_needs.strip(),
        "notes": data.notes.strip(),
    }
    for name, value in fields.items():
        setattr(application, name, value)
    application.save(update_fields=[*fields, "updated_at"])
    family = application.family
    family.phone = data.phone.strip()[:30]
    family.town = data.town.strip()
    family.zip_code = data.zip_code.strip()
    family.save(update_fields=["phone", "town", "zip_code"])
    log_action(
        actor=acting_user,
        action="application.updated",
        target=application,
        alliance=application.alliance,
        summary=str(family),
    )
    return application


@transaction.atomic
def withdraw_application(
    *, acting_user: User | None, application: Application, reason: str = ""
) -> Application:
    """The family leaves the waiting list: pending offers are withdrawn with it."""
    from alliance.enrollment.models import Offer, OfferStatus

    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status != ApplicationStatus.WAITING:
        raise ValidationError({"__all__": _("This application is no longer waiting.")})
    now = timezone.now()
    application.status = ApplicationStatus.WITHDRAWN
    application.withdrawn_at = now
    application.withdrawal_reason = reason.strip()[:300]
    application.save(update_fields=["status", "withdrawn_at", "withdrawal_reason"])
    application.applicants.exclude(status=ApplicantStatus.PLACED).update(
        status=ApplicantStatus.WITHDRAWN
    )
    Offer.objects.filter(applicant__application=application, status=OfferStatus.PENDING).update(
        status=OfferStatus.WITHDRAWN, responded_at=now
    )
    log_action(
        actor=acting_user,
        action="application.withdrawn",
        target=application,
        alliance=application.alliance,
        summary=application.withdrawal_reason,
    )
    return application


@transaction.atomic
def refer_application(
    *,
    acting_user: User,
    application: Application,
    to_program: Program,
    from_program: Program | None = None,
    note: str = "",
) -> Referral:
    """Pass a waiting family on to another member. Only with the family's consent."""
    errors: dict[str, str] = {}
    if not application.consent_to_share:
        errors["__all__"] = _("The family has not agreed to share its application.")
    if application.status != ApplicationStatus.WAITING:
        errors["__all__"] = _("This application is no longer waiting.")
    if to_program.alliance_id != application.alliance_id:
        errors["to_program"] = _("Choose a member program of this alliance.")
    elif from_program is not None and to_program.pk == from_program.pk:
        errors["to_program"] = _("Choose another program.")
    elif Referral.objects.filter(application=application, to_program=to_program).exists():
        errors["to_program"] = _("This family was already referred to that program.")
    if errors:
        raise ValidationError(errors)
    referral = Referral.objects.create(
        alliance=application.alliance,
        application=application,
        from_program=from_program,
        to_program=to_program,
        note=note.strip()[:300],
        referred_by=acting_user,
    )
    log_action(
        actor=acting_user,
        action="application.referred",
        target=referral,
        alliance=application.alliance,
        program=from_program,
        summary=f"→ {to_program.name}",
    )
    # The receiving program sees it among its recent changes (dashboard) and is notified.
    log_action(
        actor=acting_user,
        action="referral.received",
        target=referral,
        alliance=application.alliance,
        program=to_program,
        summary=f"{application.family} ← {from_program.name if from_program else 'hub'}",
    )
    from alliance.enrollment.notify import referral_received

    referral_received(referral)
    return referral


@transaction.atomic
def respond_to_referral(
    *, acting_user: User, referral: Referral, accept: bool, note: str = ""
) -> Referral:
    """The receiving program answers a referral: it will contact the family (accept) or it
    cannot take them (decline, with a reason). Guarantees: answered once; a decline says
    why; the family's application is unchanged either way (it stays on the waiting list)."""
    from alliance.enrollment.models import ReferralStatus

    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.status != ReferralStatus.PENDING:
        raise ValidationError({"__all__": _("This referral was already answered.")})
    if not accept and not note.strip():
        raise ValidationError(
            {"note": _("Say why you cannot take this family (it helps the hub refer them on).")}
        )
    referral.status = ReferralStatus.ACCEPTED if accept else ReferralStatus.DECLINED
    referral.response_note = note.strip()[:300]
    referral.responded_by = acting_user
    referral.responded_at = timezone.now()
    referral.save(update_fields=["status", "response_note", "responded_by", "responded_at"])
    log_action(
        actor=acting_user,
        action=f"referral.{referral.status}",
        target=referral,
        alliance=referral.alliance,
        program=referral.to_program,
        summary=referral.response_note,
    )
    return referral


@transaction.atomic
def set_priority_referral(
    *, acting_user: User, application: Application, cps_referral: bool
) -> Application:
    """The hub records (or clears) a child protective services referral, the first
    priority tier (alliance/rules/data/enrollment_priority.json)."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.cps_referral != cps_referral:
        application.cps_referral = cps_referral
        application.save(update_fields=["cps_referral", "updated_at"])
        log_action(
            actor=acting_user,
            action="application.priority",
            target=application,
            alliance=application.alliance,
            summary=f"cps_referral={cps_referral}",
        )
    return application


@transaction.atomic
def confirm_interest(*, acting_user: User | None, application: Application) -> Application:
    """The family answers "still interested?": it stays on the waiting list."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status != ApplicationStatus.WAITING:
        raise ValidationError({"__all__": _("This application is no longer waiting.")})
    application.confirmed_at = timezone.now()
    application.checkin_sent_at = None
    application.save(update_fields=["confirmed_at", "checkin_sent_at", "updated_at"])
    log_action(
        actor=acting_user,
        action="application.confirmed",
        target=application,
        alliance=application.alliance,
    )
    return application


def send_checkins(*, alliance: Alliance, now=None) -> int:
    """Ask every waiting family that has not confirmed for ``CHECKIN_DAYS`` whether it is
    still interested (by email or in the app, in its language). Each family is asked once
    per period; returns how many were asked."""
    from datetime import timedelta

    from alliance.enrollment.notify import checkin_sent

    now = now or timezone.now()
    from django.db.models import Q

    cut = now - timedelta(days=CHECKIN_DAYS)
    due = (
        Application.objects.filter(
            alliance=alliance, status=ApplicationStatus.WAITING, checkin_sent_at__isnull=True
        )
        .filter(Q(confirmed_at__lte=cut) | Q(confirmed_at__isnull=True, submitted_at__lte=cut))
        .select_related("family", "alliance")
    )
    count = 0
    for application in due:
        with transaction.atomic():
            claimed = Application.objects.filter(
                pk=application.pk, checkin_sent_at__isnull=True
            ).update(checkin_sent_at=now)
            if not claimed:
                continue
            application.checkin_sent_at = now
            checkin_sent(application, answer_by=now + timedelta(days=CHECKIN_ANSWER_DAYS))
            log_action(
                actor=None,
                action="application.checkin_sent",
                target=application,
                alliance=alliance,
            )
            count += 1
    return count


def close_unanswered_checkins(*, alliance: Alliance, now=None) -> int:
    """Withdraw waiting applications whose "still interested?" check-in went unanswered for
    ``CHECKIN_ANSWER_DAYS`` (pending offers are withdrawn with them); returns how many."""
    from datetime import timedelta

    now = now or timezone.now()
    stale = Application.objects.filter(
        alliance=alliance,
        status=ApplicationStatus.WAITING,
        checkin_sent_at__lte=now - timedelta(days=CHECKIN_ANSWER_DAYS),
    )
    count = 0
    for application in stale:
        try:
            withdraw_application(
                acting_user=None,
                application=application,
                reason=_("No answer to the “still interested?” check-in."),
            )
        except ValidationError:
            continue
        count += 1
    return count
