"""Messages to job candidates, in the language they applied in.

A candidate signed in with the same email gets the message through
``alliance.notifications.services.notify`` (in-app and their channels); anyone else gets the
same templates as a plain email once the transaction commits.
"""

from __future__ import annotations

from django.conf import settings
from django.template import Context
from django.template.loader import get_template
from django.urls import reverse
from django.utils import translation

from alliance.core.tasks import enqueue_on_commit, send_email_task
from alliance.staffing.access import candidate_token
from alliance.staffing.models import Application

APPLIED_KIND = "staffing_job_applied"


def candidacy_link(application: Application) -> str:
    """The site path of the candidate's private page (withdraw, stop sharing)."""
    alliance = application.candidate.alliance
    return reverse(
        "staffing:my_candidacy", args=[alliance.slug, candidate_token(application.candidate)]
    )


def _render(name: str, context: dict) -> str:
    # Plain text: no HTML escaping ("O'Brien", not "O&#x27;Brien").
    template = get_template(f"notifications/{APPLIED_KIND}/{name}")
    return template.template.render(Context(context, autoescape=False))


def application_received(application: Application) -> None:
    """Confirm an application to the candidate, with their private link."""
    candidate = application.candidate
    posting = application.posting
    alliance = candidate.alliance
    link = candidacy_link(application)
    context = {
        "name": candidate.full_name,
        "title": posting.title,
        "program": posting.program.name,
        "alliance": alliance.name,
        "shares_profile": candidate.share_with_members,
    }
    user = candidate.user
    if user is not None and user.is_active and user.email.lower() == candidate.email.lower():
        from alliance.notifications.services import notify

        notify(
            recipient=user,
            kind=APPLIED_KIND,
            context=context,
            alliance=alliance,
            program=posting.program,
            link=link,
        )
        return
    full = {**context, "link": settings.SITE_URL.rstrip("/") + link}
    with translation.override(candidate.language or settings.LANGUAGE_CODE):
        subject = " ".join(_render("subject.txt", full).split())
        body = _render("email.txt", full).strip() + "\n"
    enqueue_on_commit(send_email_task, candidate.email, subject[:200], body)
