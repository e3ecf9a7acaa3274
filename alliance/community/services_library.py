"""Changes to the shared document library (documents and their versions) and the events
calendar (events and RSVPs)."""

from __future__ import annotations

from datetime import datetime
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from alliance.accounts.models import User
from alliance.community.models import (
    Document,
    DocumentAccess,
    DocumentCategory,
    DocumentVersion,
    Event,
    EventKind,
    Rsvp,
)
from alliance.core.audit import changes, log_action
from alliance.members.models import Alliance

ALLOWED_EXTENSIONS = frozenset(
    {
        ".pdf",
        ".docx",
        ".doc",
        ".xlsx",
        ".xls",
        ".pptx",
        ".odt",
        ".ods",
        ".txt",
        ".csv",
        ".png",
        ".jpg",
        ".jpeg",
    }
)
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# Files whose first bytes say "program" are refused whatever their name.
_EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"#!", b"<script", b"<html", b"<!DOCTYPE")


def check_upload(upload: UploadedFile | None) -> None:
    """Refuse a missing, empty, too large or not allowed file (type by name and content)."""
    if upload is None:
        raise ValidationError({"file": _("Choose a file to upload.")})
    ext = PurePath(upload.name or "").suffix.lower()
    if ext not in ALLOWED_EXTENSIONS:
        raise ValidationError(
            {
                "file": _(
                    "Upload a PDF, Word, Excel, PowerPoint, text or image file (not %(ext)s)."
                )
                % {"ext": ext or _("no type")}
            }
        )
    if upload.size is None or upload.size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError({"file": _("The file is larger than 10 MB.")})
    head = upload.read(16)
    upload.seek(0)
    if head.lstrip().lower().startswith(tuple(m.lower() for m in _EXECUTABLE_MAGIC)):
        raise ValidationError({"file": _("This file's content is not allowed.")})


@transaction.atomic
def add_document(
    *,
    alliance: Alliance,
    acting_user: User,
    title: str,
    category: str,
    access: str,
    description: str,
    upload: UploadedFile | None,
) -> Document:
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = _("This field is required.")
    if category not in DocumentCategory.values:
        errors["category"] = _("Choose a category.")
    if access not in DocumentAccess.values:
        errors["access"] = _("Choose who may see it.")
    try:
        check_upload(upload)
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    document = Document.objects.create(
        alliance=alliance,
        title=title.strip(),
        category=category,
        access=access,
        description=description,
    )
    _store_version(document, acting_user, upload, note=_("First version"))
    log_action(
        actor=acting_user,
        action="document.added",
        target=document,
        alliance=alliance,
        summary=document.title,
    )
    return document


@transaction.atomic
def add_version(
    *, document: Document, acting_user: User, upload: UploadedFile | None, note: str
) -> DocumentVersion:
    check_upload(upload)
    version = _store_version(document, acting_user, upload, note=note)
    document.save(update_fields=["updated_at"])
    log_action(
        actor=acting_user,
        action="document.version_added",
        target=document,
        alliance=document.alliance,
        data={"version": version.number},
    )
    return version


def _store_version(
    document: Document, user: User, upload: UploadedFile, *, note: str
) -> DocumentVersion:
    last = document.versions.aggregate(n=Max("number"))["n"] or 0
    return DocumentVersion.objects.create(
        alliance_id=document.alliance_id,
        document=document,
        number=last + 1,
        file=upload,
        filename=PurePath(upload.name).name[:200],
        size=upload.size,
        note=note[:200],
        uploaded_by=user,
    )


@transaction.atomic
def update_document(*, document: Document, acting_user: User, **fields: Any) -> Document:
    if not str(fields.get("title", "")).strip():
        raise ValidationError({"title": _("This field is required.")})
    diff = changes(document, fields)
    if diff:
        document.save(update_fields=[*diff, "updated_at"])
        log_action(
            actor=acting_user,
            action="document.updated",
            target=document,
            alliance=document.alliance,
            data=diff,
        )
    return document


@transaction.atomic
def create_event(
    *,
    alliance: Alliance,
    acting_user: User,
    title: str,
    kind: str,
    starts_at: datetime | None,
    ends_at: datetime | None,
    location: str = "",
    description: str = "",
    capacity: int | None = None,
    is_public: bool = True,
) -> Event:
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = _("This field is required.")
    if kind not in EventKind.values:
        errors["kind"] = _("Choose a type.")
    if starts_at is None:
        errors["starts_at"] = _("This field is required.")
    if ends_at is None:
        errors["ends_at"] = _("This field is required.")
    elif starts_at is not None and ends_at <= starts_at:
        errors["ends_at"] = _("The event must end after it starts.")
    if capacity is not None and capacity < 1:
        errors["capacity"] = _("Leave empty for no limit, or enter at least 1.")
    if errors:
        raise ValidationError(errors)
    event = Event.objects.create(
        alliance=alliance,
        title=title.strip(),
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        location=location,
        description=description,
        capacity=capacity,
        is_public=is_public,
    )
    log_action(
        actor=acting_user,
        action="event.created",
        target=event,
        alliance=alliance,
        summary=event.title,
    )
    return event


@transaction.atomic
def rsvp(*, event: Event, acting_user: User) -> Rsvp:
    """Reserve a seat. The event row is locked so two last-seat RSVPs cannot both win."""
    locked = Event.objects.select_for_update().get(pk=event.pk)
    existing = Rsvp.objects.filter(event=locked, user=acting_user).first()
    if existing is not None:
        return existing
    if locked.capacity is not None and locked.rsvps.count() >= locked.capacity:
        raise ValidationError(
            {"event": _("This event is full (%(n)s seats).") % {"n": locked.capacity}}
        )
    seat = Rsvp.objects.create(alliance_id=locked.alliance_id, event=locked, user=acting_user)
    log_action(actor=acting_user, action="event.rsvp", target=locked, alliance=locked.alliance)
    return seat


@transaction.atomic
def cancel_rsvp(*, event: Event, acting_user: User) -> None:
    deleted, _rows = Rsvp.objects.filter(event=event, user=acting_user).delete()
    if deleted:
        log_action(
            actor=acting_user, action="event.rsvp_cancelled", target=event, alliance=event.alliance
        )
