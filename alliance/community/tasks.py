"""Daily jobs of the community module: forum digests and survey reminders."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from alliance.community import services_forum, services_surveys
from alliance.community.models import Recipient, Survey, SurveyStatus
from alliance.core.tenancy import alliance_scope
from alliance.members.models import Alliance

log = logging.getLogger("alliance.tasks")

REMIND_AFTER_DAYS = 7


# Every day at 12:00 UTC (morning in US time zones).
@db_periodic_task(crontab(minute="0", hour="12"))
def forum_digest_task() -> int:
    """Send each subscriber the day's new forum topics, alliance by alliance."""
    sent = 0
    for alliance in Alliance.objects.all():
        with alliance_scope(alliance):
            sent += services_forum.send_digests(alliance=alliance)
    log.info("forum digests sent", extra={"count": sent})
    return sent


@db_periodic_task(crontab(minute="30", hour="12"))
def survey_reminders_task() -> int:
    """Weekly reminders for open members-only surveys, at most three per program."""
    from datetime import timedelta

    from django.db.models import Q
    from django.utils import timezone

    cutoff = timezone.now() - timedelta(days=REMIND_AFTER_DAYS)
    reminded = 0
    for alliance in Alliance.objects.all():
        with alliance_scope(alliance):
            due = Recipient.objects.filter(
                Q(reminded_at__isnull=True, invited_at__lt=cutoff) | Q(reminded_at__lt=cutoff),
                alliance=alliance,
                survey__status=SurveyStatus.OPEN,
                reminders_sent__lt=3,
            ).values_list("survey_id", flat=True)
            for survey in Survey.objects.filter(pk__in=set(due)):
                reminded += services_surveys.send_reminders(survey=survey, acting_user=None)
    return reminded
