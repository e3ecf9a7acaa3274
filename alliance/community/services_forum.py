"""Changes to the forum (topics, posts, moderation, reports, mentions, digests) and
alliance announcements. Keyword-only, atomic, audited."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.accounts.models import Role, User
from alliance.community.markup import mentions
from alliance.community.models import (
    Announcement,
    Category,
    DigestSubscription,
    Post,
    Report,
    Topic,
)
from alliance.community.notify import send_notice
from alliance.core.audit import log_action
from alliance.core.policy import RoleKind
from alliance.members.models import Alliance, Program

MAX_POST = 10_000
COMMUNITY_KINDS = (RoleKind.HUB, RoleKind.DIRECTOR, RoleKind.STAFF, RoleKind.COMMITTEE)


def handle_of(user: User) -> str:
    """How members mention each other: the part of the email before the @."""
    return user.email.split("@", 1)[0].lower()


def community_users(alliance: Alliance) -> list[User]:
    """Everyone who may read the forum (one query)."""
    seen: dict[int, User] = {}
    for role in Role.objects.filter(alliance=alliance, kind__in=COMMUNITY_KINDS).select_related(
        "user"
    ):
        if role.user.is_active:
            seen[role.user_id] = role.user
    return list(seen.values())


def _check_body(body: str) -> str:
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write a message.")})
    if len(body) > MAX_POST:
        raise ValidationError(
            {"body": _("Keep the message under %(n)s characters.") % {"n": MAX_POST}}
        )
    return body


@transaction.atomic
def start_topic(
    *, alliance: Alliance, acting_user: User, category: Category | None, title: str, body: str
) -> Topic:
    errors: dict[str, str] = {}
    if category is None or category.alliance_id != alliance.pk:
        errors["category"] = _("Choose a category.")
    if not title.strip():
        errors["title"] = _("This field is required.")
    try:
        body = _check_body(body)
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    topic = Topic.objects.create(
        alliance=alliance, category=category, title=title.strip()[:200], author=acting_user
    )
    _add_post(topic=topic, acting_user=acting_user, body=body)
    log_action(
        actor=acting_user,
        action="forum.topic_started",
        target=topic,
        alliance=alliance,
        summary=topic.title,
    )
    return topic


@transaction.atomic
def reply(*, topic: Topic, acting_user: User, body: str, moderator: bool = False) -> Post:
    """A reply. A locked or hidden topic takes no replies (moderators may still reply to a
    locked one)."""
    if topic.is_hidden or (topic.is_locked and not moderator):
        raise ValidationError({"body": _("This topic is closed to replies.")})
    post = _add_post(topic=topic, acting_user=acting_user, body=_check_body(body))
    log_action(actor=acting_user, action="forum.replied", target=post, alliance=topic.alliance)
    return post


def _add_post(*, topic: Topic, acting_user: User, body: str) -> Post:
    post = Post.objects.create(
        alliance_id=topic.alliance_id, topic=topic, author=acting_user, body=body
    )
    topic.post_count += 1
    topic.last_post_at = post.created_at
    topic.save(update_fields=["post_count", "last_post_at"])
    _notify_mentions(topic=topic, post=post, author=acting_user)
    return post


def _notify_mentions(*, topic: Topic, post: Post, author: User) -> None:
    handles = mentions(post.body)
    if not handles:
        return
    link = reverse("community:topic", args=[topic.alliance.slug, topic.pk])
    for user in community_users(topic.alliance):
        if handle_of(user) in handles and user.pk != author.pk:
            send_notice(
                recipient=user,
                kind="community_mention",
                context={
                    "author_name": author.full_name or author.email,
                    "topic_title": topic.title,
                    "excerpt": post.body[:500],
                },
                alliance=topic.alliance,
                link=link,
            )


@transaction.atomic
def moderate_topic(*, topic: Topic, acting_user: User, action: str) -> Topic:
    """``lock``, ``unlock``, ``hide`` or ``show``."""
    fields = {
        "lock": ("is_locked", True),
        "unlock": ("is_locked", False),
        "hide": ("is_hidden", True),
        "show": ("is_hidden", False),
    }
    if action not in fields:
        raise ValidationError({"action": _("Unknown moderation action.")})
    name, value = fields[action]
    setattr(topic, name, value)
    topic.save(update_fields=[name])
    log_action(
        actor=acting_user, action=f"forum.topic_{action}", target=topic, alliance=topic.alliance
    )
    return topic


@transaction.atomic
def moderate_post(*, post: Post, acting_user: User, hidden: bool) -> Post:
    """Hide (or show again) a post; hiding resolves its open reports."""
    post.is_hidden = hidden
    post.save(update_fields=["is_hidden"])
    if hidden:
        post.reports.filter(resolved_at__isnull=True).update(resolved_at=timezone.now())
    log_action(
        actor=acting_user,
        action="forum.post_hidden" if hidden else "forum.post_shown",
        target=post,
        alliance=post.alliance,
    )
    return post


@transaction.atomic
def report_post(*, post: Post, acting_user: User, reason: str) -> Report:
    if not reason.strip():
        raise ValidationError({"reason": _("Tell the moderators what is wrong.")})
    report = Report.objects.create(
        alliance_id=post.alliance_id, post=post, reporter=acting_user, reason=reason.strip()[:300]
    )
    log_action(actor=acting_user, action="forum.post_reported", target=post, alliance=post.alliance)
    return report


@transaction.atomic
def set_digest(*, alliance: Alliance, acting_user: User, enabled: bool) -> bool:
    if enabled:
        DigestSubscription.objects.get_or_create(
            alliance=alliance, user=acting_user, defaults={"last_sent_at": timezone.now()}
        )
    else:
        DigestSubscription.objects.filter(alliance=alliance, user=acting_user).delete()
    log_action(
        actor=acting_user,
        action="forum.digest_on" if enabled else "forum.digest_off",
        target=acting_user,
        alliance=alliance,
    )
    return enabled


def send_digests(*, alliance: Alliance) -> int:
    """Email each subscriber the topics with new posts since their last digest (posts by
    others, not hidden). Returns how many digests were sent."""
    sent = 0
    now = timezone.now()
    for sub in DigestSubscription.objects.filter(alliance=alliance).select_related("user"):
        since = sub.last_sent_at or now - timedelta(days=1)
        topics = list(
            Topic.objects.filter(
                alliance=alliance,
                is_hidden=False,
                posts__created_at__gt=since,
                posts__is_hidden=False,
            )
            .exclude(posts__author=sub.user, posts__created_at__gt=since)
            .distinct()[:20]
        )
        with transaction.atomic():
            if topics:
                send_notice(
                    recipient=sub.user,
                    kind="community_digest",
                    context={
                        "alliance_name": alliance.name,
                        "topics": [{"title": t.title, "posts": t.post_count} for t in topics],
                    },
                    alliance=alliance,
                    link=reverse("community:forum", args=[alliance.slug]),
                )
                sent += 1
            sub.last_sent_at = now
            sub.save(update_fields=["last_sent_at"])
    return sent


@transaction.atomic
def announce(
    *,
    alliance: Alliance,
    acting_user: User,
    title: str,
    body: str,
    to_all: bool,
    programs: list[Program],
) -> Announcement:
    """Post an announcement and notify the directors and staff of every (or the chosen)
    member program."""
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = _("This field is required.")
    if not body.strip():
        errors["body"] = _("Write a message.")
    if not to_all and not programs:
        errors["programs"] = _("Choose at least one member program, or send to all.")
    if any(p.alliance_id != alliance.pk for p in programs):
        errors["programs"] = _("Choose programs of this alliance.")
    if errors:
        raise ValidationError(errors)
    announcement = Announcement.objects.create(
        alliance=alliance,
        title=title.strip(),
        body=body.strip(),
        to_all=to_all,
        author=acting_user,
    )
    roles = Role.objects.filter(
        alliance=alliance, kind__in=(RoleKind.DIRECTOR, RoleKind.STAFF)
    ).select_related("user", "program")
    if not to_all:
        announcement.programs.set(programs)
        roles = roles.filter(program__in=programs)
    people = {r.user_id: r for r in roles if r.user.is_active}
    link = reverse("community:announcements", args=[alliance.slug])
    for role in people.values():
        send_notice(
            recipient=role.user,
            kind="community_announcement",
            context={"title": announcement.title, "body": announcement.body},
            alliance=alliance,
            program=role.program,
            link=link,
        )
    announcement.recipient_count = len(people)
    announcement.save(update_fields=["recipient_count"])
    log_action(
        actor=acting_user,
        action="announcement.sent",
        target=announcement,
        alliance=alliance,
        summary=announcement.title,
        data={"recipients": len(people)},
    )
    return announcement
