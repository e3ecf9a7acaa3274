"""The shared document library and the events calendar (with RSVP and an iCal feed)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar
from icalendar import Event as IcalEvent

from alliance.community import services_library as services
from alliance.community.access import access_document, access_event
from alliance.community.forms import DocumentForm, EventForm, VersionForm
from alliance.community.models import Document, DocumentAccess, Event, Rsvp
from alliance.community.trainings import upcoming_trainings
from alliance.core import policy
from alliance.core.forms import submit
from alliance.core.policy import Perm


def _member(request: HttpRequest) -> bool:
    return policy.has_perm(request.user, Perm.COMMUNITY_MEMBER, alliance=request.alliance)


def _hub(request: HttpRequest) -> bool:
    return policy.has_perm(request.user, Perm.HUB_MANAGE, alliance=request.alliance)


def _hub_post(request: HttpRequest) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not _hub(request):
        raise PermissionDenied
    return None


def documents(request: HttpRequest, alliance_slug: str) -> HttpResponse:
    """Public documents for everyone; members-only ones for members. The hub uploads."""
    alliance = request.alliance
    form = DocumentForm()
    status = 200
    if request.method == "POST":
        if (denied := _hub_post(request)) is not None:
            return denied
        form = DocumentForm(request.POST, request.FILES)
        added = submit(
            request,
            form,
            lambda data: services.add_document(
                alliance=alliance,
                acting_user=request.user,
                title=data["title"],
                category=data["category"],
                access=data["access"],
                description=data["description"],
                upload=data["file"],
            ),
            success=_("Document added."),
        )
        if added.ok:
            return redirect("community:document", alliance.slug, added.result.pk)
        status = 422
    rows = Document.objects.filter(alliance=alliance).annotate(n=Count("versions"))
    if not _member(request):
        rows = rows.filter(access=DocumentAccess.PUBLIC)
    return render(
        request,
        "community/library/documents.html",
        {
            "alliance": alliance,
            "documents": rows[:300],
            "form": form,
            "hub": _hub(request),
            "member": _member(request),
        },
        status=status,
    )


def document_detail(request: HttpRequest, alliance_slug: str, document_id: int) -> HttpResponse:
    alliance = request.alliance
    document = access_document(alliance.pk, document_id, members=_member(request))
    form = VersionForm()
    status = 200
    if request.method == "POST":
        if (denied := _hub_post(request)) is not None:
            return denied
        form = VersionForm(request.POST, request.FILES)
        if submit(
            request,
            form,
            lambda data: services.add_version(
                document=document,
                acting_user=request.user,
                upload=data["file"],
                note=data["note"],
            ),
            success=_("New version uploaded."),
        ).ok:
            return redirect("community:document", alliance.slug, document.pk)
        status = 422
    return render(
        request,
        "community/library/document.html",
        {
            "alliance": alliance,
            "document": document,
            "hub": _hub(request),
            "form": form,
            "versions": document.versions.select_related("uploaded_by"),
        },
        status=status,
    )


def document_download(
    request: HttpRequest, alliance_slug: str, document_id: int, number: int
) -> FileResponse:
    document = access_document(request.alliance.pk, document_id, members=_member(request))
    version = document.versions.filter(number=number).first()
    if version is None:
        raise Http404
    try:
        handle = version.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=version.filename)


def events(request: HttpRequest, alliance_slug: str) -> HttpResponse:
    alliance = request.alliance
    form = EventForm()
    status = 200
    if request.method == "POST":
        if (denied := _hub_post(request)) is not None:
            return denied
        form = EventForm(request.POST)
        outcome = submit(
            request,
            form,
            lambda data: services.create_event(alliance=alliance, acting_user=request.user, **data),
            success=_("Event added to the calendar."),
        )
        if outcome.ok:
            return redirect("community:event", alliance.slug, outcome.result.pk)
        status = 422
    since = timezone.now() - timedelta(hours=12)
    rows = (
        Event.objects.filter(alliance=alliance, ends_at__gte=since)
        .annotate(seats_taken=Count("rsvps"))
        .order_by("starts_at")
    )
    if not _member(request):
        rows = rows.filter(is_public=True)
    return render(
        request,
        "community/library/events.html",
        {
            "alliance": alliance,
            "events": rows[:200],
            "form": form,
            "hub": _hub(request),
            "trainings": upcoming_trainings(alliance, since, limit=50),
        },
        status=status,
    )


def event_detail(request: HttpRequest, alliance_slug: str, event_id: int) -> HttpResponse:
    alliance = request.alliance
    member = _member(request)
    event = access_event(alliance.pk, event_id, members=member)
    status = 200
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not member:
            raise PermissionDenied
        try:
            if request.POST.get("action") == "cancel":
                services.cancel_rsvp(event=event, acting_user=request.user)
                messages.success(request, _("Your seat is released."))
            else:
                services.rsvp(event=event, acting_user=request.user)
                messages.success(request, _("You are registered. See you there!"))
            return redirect("community:event", alliance.slug, event.pk)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            status = 422
    taken = event.rsvps.count()
    going = member and Rsvp.objects.filter(event=event, user=request.user).exists()
    return render(
        request,
        "community/library/event.html",
        {
            "alliance": alliance,
            "event": event,
            "taken": taken,
            "going": going,
            "member": member,
            "full": event.capacity is not None and taken >= event.capacity,
            "attendees": event.rsvps.select_related("user") if _hub(request) else None,
        },
        status=status,
    )


def events_ics(request: HttpRequest, alliance_slug: str) -> HttpResponse:
    """The public calendar as an iCal feed (events from 30 days ago on)."""
    alliance = request.alliance
    calendar = Calendar()
    calendar.add("prodid", "-//Alliance//Community events//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", alliance.name)
    since = timezone.now() - timedelta(days=30)
    host = request.get_host()
    for event in Event.objects.filter(alliance=alliance, is_public=True, starts_at__gte=since)[
        :500
    ]:
        item = IcalEvent()
        item.add("uid", f"community-event-{event.pk}@{host}")
        item.add("summary", event.title)
        item.add("dtstart", event.starts_at)
        item.add("dtend", event.ends_at)
        item.add("dtstamp", timezone.now())
        if event.location:
            item.add("location", event.location)
        if event.description:
            item.add("description", event.description)
        item.add("url", request.build_absolute_uri(f"/a/{alliance.slug}/events/{event.pk}/"))
        calendar.add_component(item)
    for training in upcoming_trainings(alliance, since, limit=200):
        item = IcalEvent()
        item.add("uid", f"training-session-{training.pk}@{host}")
        item.add("summary", training.title)
        item.add("dtstart", training.starts_at)
        item.add("dtend", training.ends_at)
        item.add("dtstamp", timezone.now())
        if training.location:
            item.add("location", training.location)
        calendar.add_component(item)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{alliance.slug}-events.ics"'
    return response
