"""The job board: postings, applications (one profile per candidate), pipeline, hiring."""

from __future__ import annotations

import contextlib
import copy
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from alliance.accounts.models import Language, User
from alliance.accounts.services import invite
from alliance.core.audit import changes, log_action
from alliance.core.policy import RoleKind
from alliance.members.models import Program
from alliance.staffing import notify, services
from alliance.staffing.models import (
    Application,
    ApplicationStage,
    Candidate,
    CredentialKind,
    JobPosting,
    PostingStatus,
    StaffMember,
)

POSTING_FIELDS = (
    "title",
    "role",
    "employment_type",
    "hours_per_week",
    "wage_min",
    "wage_max",
    "description",
    "requirements",
    "closes_on",
)
PROFILE_FIELDS = (
    "full_name",
    "phone",
    "town",
    "towns",
    "experience_years",
    "experience",
    "credentials",
    "languages",
    "availability",
    "availability_note",
    "share_with_members",
)


def _check_posting(posting: JobPosting) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    try:
        posting.full_clean(exclude=["program", "created_by"], validate_constraints=False)
    except ValidationError as exc:
        errors = dict(exc.message_dict)
    if not (posting.title or "").strip():
        errors["title"] = [_("Give the job a title, e.g. “Toddler teacher”.")]
    if (
        isinstance(posting.wage_min, Decimal)
        and isinstance(posting.wage_max, Decimal)
        and posting.wage_max < posting.wage_min
    ):
        errors["wage_max"] = [_("The top of the wage range must be at least its bottom.")]
    if posting.closes_on and posting.closes_on < posting.posted_on:
        errors["closes_on"] = [_("Applications cannot close before the job is posted.")]
    return errors


@transaction.atomic
def create_posting(*, acting_user: User, program: Program, **fields: Any) -> JobPosting:
    """Post a job; it is public on the alliance's job board at once."""
    unknown = set(fields) - set(POSTING_FIELDS)
    if unknown:
        raise ValidationError({n: _("This field cannot be set here.") for n in unknown})
    posting = JobPosting(
        program=program, posted_on=timezone.localdate(), created_by=acting_user, **fields
    )
    posting.title = (posting.title or "").strip()
    errors = _check_posting(posting)
    if errors:
        raise ValidationError(errors)
    posting.save()
    log_action(
        actor=acting_user,
        action="job.posted",
        target=posting,
        alliance=program.alliance,
        program=program,
        summary=f"Posted {posting.title}",
        data={name: getattr(posting, name) for name in POSTING_FIELDS},
    )
    return posting


@transaction.atomic
def update_posting(*, acting_user: User, posting: JobPosting, **fields: Any) -> JobPosting:
    unknown = set(fields) - set(POSTING_FIELDS) - {"status"}
    if unknown:
        raise ValidationError({n: _("This field cannot be changed here.") for n in unknown})
    if "status" in fields and fields["status"] not in PostingStatus.values:
        raise ValidationError({"status": _("Choose open or closed.")})
    candidate = copy.copy(posting)
    for name, value in fields.items():
        setattr(candidate, name, value)
    errors = _check_posting(candidate)
    if errors:
        raise ValidationError(errors)
    diff = changes(posting, fields)
    if diff:
        posting.save(update_fields=list(diff))
        log_action(
            actor=acting_user,
            action="job.updated",
            target=posting,
            alliance=posting.program.alliance,
            program=posting.program,
            summary=f"Updated {posting.title}",
            data=diff,
        )
    return posting


def _clean_list(values: Any, allowed: set[str] | None = None, limit: int = 20) -> list[str]:
    cleaned = []
    for value in values or []:
        text = str(value).strip()[:80]
        if text and text not in cleaned and (allowed is None or text in allowed):
            cleaned.append(text)
    return cleaned[:limit]


@transaction.atomic
def apply(
    *,
    acting_user: User | None,
    posting: JobPosting,
    email: str,
    message: str = "",
    language: str | None = None,
    **profile: Any,
) -> Application:
    """A candidate applies. Their profile (one per alliance, found by email) is created or
    brought up to date; applying twice to the same job is refused with a clear message.
    Consent to share the profile with all members is recorded with its time. Once committed,
    the candidate is emailed a confirmation with their private link (withdraw an application,
    stop sharing the profile), in ``language`` (default: the language of the request)."""
    unknown = set(profile) - set(PROFILE_FIELDS)
    if unknown:
        raise ValidationError({n: _("This field cannot be set here.") for n in unknown})
    if posting.status != PostingStatus.OPEN or (
        posting.closes_on and posting.closes_on < timezone.localdate()
    ):
        raise ValidationError(_("This job is no longer taking applications."))
    email = (email or "").strip().lower()
    alliance = posting.program.alliance
    profile["credentials"] = _clean_list(profile.get("credentials"), set(CredentialKind.values))
    profile["languages"] = _clean_list(profile.get("languages"))
    profile["towns"] = _clean_list(profile.get("towns"))
    candidate = Candidate.objects.filter(alliance=alliance, email=email).first()
    is_new = candidate is None
    if is_new:
        candidate = Candidate(alliance=alliance, email=email)
    before_consent = candidate.share_with_members
    for name, value in profile.items():
        setattr(candidate, name, value.strip() if isinstance(value, str) else value)
    if acting_user is not None and acting_user.is_authenticated and candidate.user_id is None:
        candidate.user = acting_user
    candidate.language = _language(language)
    errors: dict[str, list[str]] = {}
    try:
        candidate.full_clean(exclude=["alliance", "user"], validate_unique=False)
    except ValidationError as exc:
        errors = dict(exc.message_dict)
    if not candidate.full_name.strip():
        errors["full_name"] = [_("Enter your name.")]
    if not is_new and Application.objects.filter(posting=posting, candidate=candidate).exists():
        errors["email"] = [_("You have already applied for this job with this email.")]
    if errors:
        raise ValidationError(errors)
    if candidate.share_with_members and not before_consent:
        candidate.consented_at = timezone.now()
    elif not candidate.share_with_members:
        candidate.consented_at = None
    candidate.save()
    try:
        with transaction.atomic():
            application = Application.objects.create(
                program=posting.program,
                posting=posting,
                candidate=candidate,
                message=(message or "").strip()[:4000],
            )
    except IntegrityError as exc:  # the same form sent twice at once
        raise ValidationError(
            {"email": _("You have already applied for this job with this email.")}
        ) from exc
    log_action(
        actor=acting_user,
        action="job.applied",
        target=application,
        alliance=alliance,
        program=posting.program,
        summary=f"{candidate.full_name} applied for {posting.title}",
        data={"posting": posting.pk, "shares_profile": candidate.share_with_members},
    )
    notify.application_received(application)
    return application


def _language(requested: str | None) -> str:
    """A supported language code: the one asked for, else the request's, else English."""
    supported = {code for code, _label in Language.choices}
    for code in (requested, translation.get_language()):
        short = (code or "").split("-")[0].lower()
        if short in supported:
            return short
    return Language.ENGLISH


@transaction.atomic
def move_application(
    *, acting_user: User, application: Application, stage: str, note: str | None = None
) -> Application:
    """Move along the pipeline (or back). Hiring is :func:`hire`, which makes the record."""
    if application.stage == ApplicationStage.HIRED:
        raise ValidationError({"stage": _("This candidate has been hired already.")})
    if application.stage == ApplicationStage.WITHDRAWN or stage == ApplicationStage.WITHDRAWN:
        raise ValidationError({"stage": _("Only the candidate can withdraw an application.")})
    if stage == ApplicationStage.HIRED:
        raise ValidationError({"stage": _("Use “Hire” to hire: it creates the staff record.")})
    if stage not in ApplicationStage.values:
        raise ValidationError({"stage": _("Choose a step of the pipeline.")})
    old = application.stage
    application.stage = stage
    application.stage_changed_at = timezone.now()
    fields = ["stage", "stage_changed_at"]
    if note is not None:
        application.note = note.strip()[:4000]
        fields.append("note")
    application.save(update_fields=fields)
    log_action(
        actor=acting_user,
        action="job.application_moved",
        target=application,
        alliance=application.program.alliance,
        program=application.program,
        summary=f"{application.candidate.full_name}: {old} → {stage}",
        data={"from": old, "to": stage},
    )
    return application


@transaction.atomic
def hire(
    *,
    acting_user: User,
    application: Application,
    hire_date: date,
    wage: Decimal,
    hours_per_week: Decimal | None = None,
    role: str | None = None,
) -> StaffMember:
    """Hire the candidate: the staff record is created from the profile and the posting,
    the application is marked hired, and the person is invited to sign in as staff."""
    if application.stage == ApplicationStage.HIRED:
        raise ValidationError({"stage": _("This candidate has been hired already.")})
    if application.stage == ApplicationStage.WITHDRAWN:
        raise ValidationError({"stage": _("The candidate withdrew this application.")})
    posting = application.posting
    candidate = application.candidate
    program = application.program
    staff = services.create_staff(
        acting_user=acting_user,
        program=program,
        full_name=candidate.full_name,
        email=candidate.email,
        phone=candidate.phone,
        role=role or posting.role,
        hire_date=hire_date,
        hours_per_week=hours_per_week if hours_per_week is not None else posting.hours_per_week,
        wage=wage,
    )
    application.stage = ApplicationStage.HIRED
    application.stage_changed_at = timezone.now()
    application.hired_staff = staff
    application.save(update_fields=["stage", "stage_changed_at", "hired_staff"])
    log_action(
        actor=acting_user,
        action="job.hired",
        target=application,
        alliance=program.alliance,
        program=program,
        summary=f"Hired {candidate.full_name} for {posting.title}",
        data={"staff": staff.pk, "wage": wage, "hire_date": hire_date},
    )
    if candidate.email and staff.user_id is None:
        # Someone who already holds the staff role here has nothing to be invited to.
        with contextlib.suppress(ValidationError):
            invite(
                acting_user=acting_user,
                email=candidate.email,
                kind=RoleKind.STAFF,
                alliance=program.alliance,
                program=program,
                full_name=candidate.full_name,
            )
    return staff


@transaction.atomic
def withdraw_consent(*, acting_user: User | None, candidate: Candidate) -> Candidate:
    """The candidate stops sharing their profile: it leaves the shared talent pool at once
    (programs they applied to keep seeing it with those applications)."""
    if not candidate.share_with_members:
        raise ValidationError(
            {"share_with_members": _("Your profile is not shared with other programs.")}
        )
    candidate.share_with_members = False
    candidate.consented_at = None
    candidate.save(update_fields=["share_with_members", "consented_at", "updated_at"])
    log_action(
        actor=acting_user,
        action="job.consent_withdrawn",
        target=candidate,
        alliance=candidate.alliance,
        summary=f"{candidate.full_name} stopped sharing their profile",
    )
    return candidate


@transaction.atomic
def withdraw_application(*, acting_user: User | None, application: Application) -> Application:
    """The candidate withdraws one application. A hire cannot be withdrawn here (the
    program records a separation instead); withdrawing twice is refused."""
    if application.stage == ApplicationStage.HIRED:
        raise ValidationError({"stage": _("You were hired for this job; talk to the program.")})
    if application.stage == ApplicationStage.WITHDRAWN:
        raise ValidationError({"stage": _("This application was already withdrawn.")})
    old = application.stage
    application.stage = ApplicationStage.WITHDRAWN
    application.stage_changed_at = timezone.now()
    application.save(update_fields=["stage", "stage_changed_at"])
    log_action(
        actor=acting_user,
        action="job.application_withdrawn",
        target=application,
        alliance=application.program.alliance,
        program=application.program,
        summary=f"{application.candidate.full_name} withdrew ({old})",
        data={"from": old},
    )
    return application
