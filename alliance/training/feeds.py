"""Calendar feeds (iCalendar, RFC 5545) of training sessions."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from alliance.members.models import Alliance
from alliance.training.models import Session, SessionStatus


def calendar(alliance: Alliance, name: str, sessions: Iterable[Session]) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Alliance//Training//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", alliance.timezone)
    host = settings.SITE_URL.split("://")[-1].split("/")[0] or "alliance"
    stamp: datetime = timezone.now()
    for session in sessions:
        event = Event()
        event.add("uid", f"training-session-{session.pk}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", session.starts_at)
        event.add("dtend", session.ends_at)
        event.add("summary", session.course.title)
        where = session.location or session.online_url
        if where:
            event.add("location", where)
        link = settings.SITE_URL.rstrip("/") + reverse(
            "training:session", args=[alliance.slug, session.pk]
        )
        event.add("url", link)
        description = [session.course.description, session.notes, session.online_url, link]
        event.add("description", "\n\n".join(part for part in description if part))
        cancelled = session.status == SessionStatus.CANCELLED
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        cal.add_component(event)
    return cal.to_ical()
