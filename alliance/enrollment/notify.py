"""Messages to families and programs, in the reader's language.

A family with an account gets them through ``alliance.notifications.notify`` (in-app, email,
text by their preferences); a family without one yet gets the same templates by email.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from alliance.core.tasks import enqueue_on_commit, send_email_task
from alliance.enrollment.models import Application, Offer


def _family_link(application: Application) -> str:
    return reverse(
        "enrollment:family_application", args=[application.alliance.slug, application.token]
    )


def _send(
    family, kind: str, context: dict[str, Any], link: str, alliance, program=None, channels=None
) -> None:
    if family.account_id is not None:
        from alliance.notifications.services import notify

        notify(
            recipient=family.account,
            kind=kind,
            context=context,
            alliance=alliance,
            program=program,
            link=link,
            channels=channels,
        )
        return
    if not family.email:
        return
    absolute = settings.SITE_URL.rstrip("/") + link
    full = {**context, "link": absolute, "site_url": settings.SITE_URL}
    with translation.override(family.language or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"notifications/{kind}/subject.txt", full).split())
        body = render_to_string(f"notifications/{kind}/email.txt", full)
    enqueue_on_commit(send_email_task, family.email, subject[:200], body)


def application_received(application: Application) -> None:
    family = application.family
    context = {"family": family, "alliance": application.alliance, "application": application}
    _send(
        family, "enrollment_application", context, _family_link(application), application.alliance
    )


def offer_sent(offer: Offer) -> None:
    application = offer.applicant.application
    family = application.family
    context = {
        "family": family,
        "child": offer.applicant.child,
        "program": offer.program,
        "classroom": offer.classroom,
        "offer": offer,
        "alliance": offer.alliance,
    }
    _send(
        family,
        "enrollment_offer",
        context,
        _family_link(application),
        offer.alliance,
        channels=["in_app", "email", "sms"],
    )


def _directors(program) -> list:
    from alliance.accounts.models import Role
    from alliance.core.policy import RoleKind
    from alliance.core.tenancy import scopes_disabled

    with scopes_disabled():
        return [
            r.user
            for r in Role.objects.filter(program=program, kind=RoleKind.DIRECTOR)
            .select_related("user")
            .order_by("pk")
        ]


def program_notified_of_placement(offer: Offer, enrollment) -> None:
    """Tell the program's directors a family accepted a place."""
    directors = _directors(offer.program)
    context = {
        "child": offer.applicant.child,
        "program": offer.program,
        "classroom": offer.classroom,
        "offer": offer,
    }
    link = reverse("enrollment:enrollments", args=[offer.program.slug])
    from alliance.notifications.services import notify

    for user in directors:
        notify(
            recipient=user,
            kind="enrollment_placed",
            context=context,
            alliance=offer.alliance,
            program=offer.program,
            link=link,
        )


def transitions_due(program, upcoming: list, moved: list) -> None:
    """Tell the program's directors (in their language, in the app and by email) which
    children will soon age past their classroom, and which were moved automatically."""
    from alliance.notifications.services import notify

    context = {
        "program": program,
        "total": len(upcoming) + len(moved),
        "upcoming": [
            {
                "child": str(t.enrollment.child),
                "room": t.enrollment.classroom.name,
                "on": t.leaves_on,
                "next": t.next_room.name if t.next_room else "",
            }
            for t in upcoming
        ],
        "moved": [
            {"child": str(t.enrollment.child), "room": t.next_room.name, "on": t.leaves_on}
            for t in moved
        ],
    }
    link = reverse("enrollment:transitions", args=[program.slug])
    for user in _directors(program):
        notify(
            recipient=user,
            kind="enrollment_transitions",
            context=context,
            alliance=program.alliance,
            program=program,
            link=link,
        )


def referral_received(referral) -> None:
    """Tell the receiving program's directors (in their language, in the app and by email)
    that a waiting family was referred to them with its consent."""
    from alliance.notifications.services import notify

    application = referral.application
    context = {
        "program": referral.to_program,
        "from_program": referral.from_program,
        "family": application.family,
        "children": [str(a.child) for a in application.applicants.select_related("child")],
        "note": referral.note,
    }
    link = reverse(
        "enrollment:program_application", args=[referral.to_program.slug, application.pk]
    )
    for user in _directors(referral.to_program):
        notify(
            recipient=user,
            kind="enrollment_referral",
            context=context,
            alliance=referral.alliance,
            program=referral.to_program,
            link=link,
        )


def checkin_sent(application: Application, answer_by) -> None:
    """Ask the family whether it still wants a place (its language, email or in the app)."""
    family = application.family
    context = {
        "family": family,
        "alliance": application.alliance,
        "application": application,
        "answer_by": answer_by,
    }
    _send(family, "enrollment_checkin", context, _family_link(application), application.alliance)
