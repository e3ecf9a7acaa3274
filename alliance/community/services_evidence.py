"""Changes to the needs-assessment evidence (themes, focus groups, interviews, quotes) and
to the Advisory Committee (members, meetings, action items, suggestions)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from alliance.accounts.models import User
from alliance.community import defaults
from alliance.community.models import (
    ActionItem,
    ActionStatus,
    CommitteeMember,
    Meeting,
    Quote,
    Sector,
    Session,
    SessionKind,
    Suggestion,
    SuggestionStatus,
    Theme,
)
from alliance.core.audit import changes, log_action
from alliance.members.models import Alliance


def _required(values: dict[str, Any], *names: str) -> dict[str, str]:
    return {n: _("This field is required.") for n in names if values.get(n) in (None, "", [], ())}


def ensure_themes(*, alliance: Alliance) -> list[Theme]:
    """The standard challenge themes exist for the alliance (idempotent, no audit row: it
    only adds reference data)."""
    known = set(Theme.objects.filter(alliance=alliance).values_list("code", flat=True))
    Theme.objects.bulk_create(
        [
            Theme(
                alliance=alliance,
                code=code,
                name=name,
                name_es=name_es,
                service=service,
                service_url=url,
                position=i,
            )
            for i, (code, name, name_es, service, url) in enumerate(defaults.THEMES, start=1)
            if code not in known
        ]
    )
    return list(Theme.objects.filter(alliance=alliance))


@transaction.atomic
def add_theme(*, alliance: Alliance, acting_user: User, name: str, service: str = "") -> Theme:
    """One of the hub's own themes."""
    if not name.strip():
        raise ValidationError({"name": _("This field is required.")})
    code = slugify(name)[:40] or "theme"
    if Theme.objects.filter(alliance=alliance, code=code).exists():
        raise ValidationError({"name": _("There is already a theme with this name.")})
    theme = Theme.objects.create(
        alliance=alliance, code=code, name=name.strip(), service=service.strip(), position=100
    )
    log_action(actor=acting_user, action="theme.created", target=theme, alliance=alliance)
    return theme


@transaction.atomic
def create_session(*, alliance: Alliance, acting_user: User, **fields: Any) -> Session:
    errors = _required(fields, "kind", "title", "held_on", "facilitator")
    if fields.get("kind") and fields["kind"] not in SessionKind.values:
        errors["kind"] = _("Choose focus group or interview.")
    if errors:
        raise ValidationError(errors)
    session = Session.objects.create(alliance=alliance, **fields)
    log_action(
        actor=acting_user,
        action="session.created",
        target=session,
        alliance=alliance,
        summary=session.title,
    )
    return session


@transaction.atomic
def update_session(*, session: Session, acting_user: User, **fields: Any) -> Session:
    errors = _required(fields, "title", "held_on", "facilitator")
    if errors:
        raise ValidationError(errors)
    diff = changes(session, fields)
    if diff:
        session.save(update_fields=list(diff))
        log_action(
            actor=acting_user,
            action="session.updated",
            target=session,
            alliance=session.alliance,
            data=diff,
        )
    return session


@transaction.atomic
def add_quote(
    *, session: Session, acting_user: User, text: str, speaker: str, themes: list[Theme]
) -> Quote:
    """A quote tagged with at least one theme of the session's alliance."""
    errors: dict[str, str] = {}
    if not text.strip():
        errors["text"] = _("This field is required.")
    if not themes:
        errors["themes"] = _("Tag the quote with at least one theme.")
    elif any(t.alliance_id != session.alliance_id for t in themes):
        errors["themes"] = _("Choose themes of this alliance.")
    if errors:
        raise ValidationError(errors)
    quote = Quote.objects.create(
        alliance_id=session.alliance_id, session=session, text=text.strip(), speaker=speaker
    )
    quote.themes.set(themes)
    log_action(
        actor=acting_user,
        action="session.quote_added",
        target=session,
        alliance=session.alliance,
        data={"themes": [t.code for t in themes]},
    )
    return quote


# --- Advisory Committee -------------------------------------------------------------------


@transaction.atomic
def add_committee_member(
    *, alliance: Alliance, acting_user: User, **fields: Any
) -> CommitteeMember:
    errors = _required(fields, "name", "sector")
    if fields.get("sector") and fields["sector"] not in Sector.values:
        errors["sector"] = _("Choose a sector.")
    if errors:
        raise ValidationError(errors)
    member = CommitteeMember.objects.create(alliance=alliance, **fields)
    log_action(
        actor=acting_user,
        action="committee.member_added",
        target=member,
        alliance=alliance,
        summary=member.name,
    )
    return member


@transaction.atomic
def schedule_meeting(
    *,
    alliance: Alliance,
    acting_user: User,
    starts_at: datetime | None,
    location: str,
    agenda: str,
) -> Meeting:
    if starts_at is None:
        raise ValidationError({"starts_at": _("This field is required.")})
    meeting = Meeting.objects.create(
        alliance=alliance, starts_at=starts_at, location=location, agenda=agenda
    )
    log_action(
        actor=acting_user, action="committee.meeting_scheduled", target=meeting, alliance=alliance
    )
    return meeting


@transaction.atomic
def record_minutes(
    *,
    meeting: Meeting,
    acting_user: User,
    minutes: str,
    agenda: str,
    present: list[CommitteeMember],
) -> Meeting:
    """Minutes, agenda and attendance (members of this alliance's committee only)."""
    if any(m.alliance_id != meeting.alliance_id for m in present):
        raise ValidationError({"present": _("Choose members of this committee.")})
    diff = changes(meeting, {"minutes": minutes, "agenda": agenda})
    if diff:
        meeting.save(update_fields=list(diff))
    meeting.attendees.set(present)
    log_action(
        actor=acting_user,
        action="committee.minutes_recorded",
        target=meeting,
        alliance=meeting.alliance,
        data={"present": len(present), **diff},
    )
    return meeting


@transaction.atomic
def add_action_item(
    *,
    alliance: Alliance,
    acting_user: User,
    title: str,
    owner: CommitteeMember | None,
    due_on: date | None,
    meeting: Meeting | None = None,
) -> ActionItem:
    if not title.strip():
        raise ValidationError({"title": _("This field is required.")})
    if owner is not None and owner.alliance_id != alliance.pk:
        raise ValidationError({"owner": _("Choose a member of this committee.")})
    item = ActionItem.objects.create(
        alliance=alliance, title=title.strip(), owner=owner, due_on=due_on, meeting=meeting
    )
    log_action(
        actor=acting_user,
        action="committee.action_added",
        target=item,
        alliance=alliance,
        summary=item.title,
    )
    return item


@transaction.atomic
def set_action_status(*, item: ActionItem, acting_user: User, status: str) -> ActionItem:
    if status not in ActionStatus.values:
        raise ValidationError({"status": _("Choose open, done or dropped.")})
    diff = changes(item, {"status": status})
    if diff:
        item.save(update_fields=["status"])
        log_action(
            actor=acting_user,
            action="committee.action_status",
            target=item,
            alliance=item.alliance,
            data=diff,
        )
    return item


@transaction.atomic
def make_suggestion(
    *, alliance: Alliance, acting_user: User, title: str, details: str = ""
) -> Suggestion:
    if not title.strip():
        raise ValidationError({"title": _("This field is required.")})
    suggestion = Suggestion.objects.create(
        alliance=alliance, author=acting_user, title=title.strip()[:200], details=details
    )
    log_action(
        actor=acting_user,
        action="suggestion.made",
        target=suggestion,
        alliance=alliance,
        summary=suggestion.title,
    )
    return suggestion


@transaction.atomic
def answer_suggestion(
    *, suggestion: Suggestion, acting_user: User, status: str, response: str
) -> Suggestion:
    if status not in SuggestionStatus.values:
        raise ValidationError({"status": _("Choose a status.")})
    diff = changes(suggestion, {"status": status, "response": response})
    if diff:
        suggestion.save(update_fields=list(diff))
        log_action(
            actor=acting_user,
            action="suggestion.answered",
            target=suggestion,
            alliance=suggestion.alliance,
            data=diff,
        )
    return suggestion
