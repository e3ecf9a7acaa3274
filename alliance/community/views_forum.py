"""The members' forum, moderation, and alliance announcements."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliance.community import services_forum as services
from alliance.community.access import access_post, access_topic
from alliance.community.forms import AnnouncementForm, ReplyForm, ReportForm, TopicForm
from alliance.community.models import (
    Announcement,
    Category,
    DigestSubscription,
    Report,
    Topic,
)
from alliance.core import policy
from alliance.core.forms import submit
from alliance.core.policy import Perm
from alliance.members.decorators import requires


def _moderator(request: HttpRequest) -> bool:
    return policy.has_perm(request.user, Perm.HUB_MANAGE, alliance=request.alliance)


@requires(Perm.COMMUNITY_MEMBER)
def forum(request: HttpRequest, alliance_slug: str) -> HttpResponse:
    alliance = request.alliance
    categories = list(Category.objects.filter(alliance=alliance))
    topics = Topic.objects.filter(alliance=alliance).select_related("category", "author")
    if not _moderator(request):
        topics = topics.filter(is_hidden=False)
    current = next((c for c in categories if str(c.pk) == request.GET.get("category")), None)
    if current is not None:
        topics = topics.filter(category=current)
    page = Paginator(topics.order_by("-last_post_at", "-pk"), 30).get_page(request.GET.get("page"))
    subscribed = DigestSubscription.objects.filter(alliance=alliance, user=request.user).exists()
    return render(
        request,
        "community/forum/forum.html",
        {
            "alliance": alliance,
            "categories": categories,
            "current": current,
            "table": {"page": page},
            "topics": page,
            "subscribed": subscribed,
            "moderator": _moderator(request),
        },
    )


@requires(Perm.COMMUNITY_MEMBER)
def topic_new(request: HttpRequest, alliance_slug: str) -> HttpResponse:
    alliance = request.alliance
    categories = Category.objects.filter(alliance=alliance)
    form = TopicForm(
        request.POST or None,
        categories=categories,
        initial={"category": request.GET.get("category")},
    )
    status = 200
    if request.method == "POST":
        outcome = submit(
            request,
            form,
            lambda data: services.start_topic(alliance=alliance, acting_user=request.user, **data),
            success=_("Topic posted."),
        )
        if outcome.ok:
            return redirect("community:topic", alliance.slug, outcome.result.pk)
        status = 422
    return render(
        request,
        "community/forum/topic_new.html",
        {"alliance": alliance, "form": form},
        status=status,
    )


@requires(Perm.COMMUNITY_MEMBER)
def topic_detail(request: HttpRequest, alliance_slug: str, topic_id: int) -> HttpResponse:
    alliance = request.alliance
    moderator = _moderator(request)
    topic = access_topic(alliance.pk, topic_id, moderator=moderator)
    form = ReplyForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if submit(
            request,
            form,
            lambda data: services.reply(
                topic=topic, acting_user=request.user, moderator=moderator, **data
            ),
            success=_("Reply posted."),
        ).ok:
            return redirect("community:topic", alliance.slug, topic.pk)
        status = 422
    posts = list(topic.posts.select_related("author")[:500])
    handles = {services.handle_of(u) for u in services.community_users(alliance)}
    return render(
        request,
        "community/forum/topic.html",
        {
            "alliance": alliance,
            "topic": topic,
            "posts": posts,
            "form": form,
            "moderator": moderator,
            "handles": handles,
            "report_form": ReportForm(),
        },
        status=status,
    )


@require_POST
@requires(Perm.HUB_MANAGE)
def topic_moderate(request: HttpRequest, alliance_slug: str, topic_id: int) -> HttpResponse:
    topic = access_topic(request.alliance.pk, topic_id, moderator=True)
    try:
        services.moderate_topic(
            topic=topic, acting_user=request.user, action=request.POST.get("action", "")
        )
        messages.success(request, _("Topic updated."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("community:topic", request.alliance.slug, topic.pk)


@require_POST
@requires(Perm.HUB_MANAGE)
def post_hide(request: HttpRequest, alliance_slug: str, post_id: int) -> HttpResponse:
    post = access_post(request.alliance.pk, post_id)
    hidden = request.POST.get("hidden", "1") == "1"
    services.moderate_post(post=post, acting_user=request.user, hidden=hidden)
    messages.success(request, _("Post hidden.") if hidden else _("Post shown again."))
    return redirect("community:topic", request.alliance.slug, post.topic_id)


@require_POST
@requires(Perm.COMMUNITY_MEMBER)
def post_report(request: HttpRequest, alliance_slug: str, post_id: int) -> HttpResponse:
    post = access_post(request.alliance.pk, post_id)
    access_topic(request.alliance.pk, post.topic_id, moderator=_moderator(request))
    try:
        services.report_post(
            post=post, acting_user=request.user, reason=request.POST.get("reason", "")
        )
        messages.success(request, _("Thank you. The moderators will look at this post."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("community:topic", request.alliance.slug, post.topic_id)


@require_POST
@requires(Perm.COMMUNITY_MEMBER)
def digest(request: HttpRequest, alliance_slug: str) -> HttpResponse:
    enabled = request.POST.get("enabled") == "1"
    services.set_digest(alliance=request.alliance, acting_user=request.user, enabled=enabled)
    messages.success(
        request,
        _("You will get a daily email of new posts.") if enabled else _("Daily emails are off."),
    )
    return redirect("community:forum", request.alliance.slug)


@requires(Perm.HUB_MANAGE)
def reports(request: HttpRequest, alliance_slug: str) -> HttpResponse:
    rows = Report.objects.filter(
        alliance=request.alliance, resolved_at__isnull=True
    ).select_related("post__topic", "post__author", "reporter")[:200]
    return render(
        request, "community/forum/reports.html", {"alliance": request.alliance, "reports": rows}
    )


@requires(Perm.COMMUNITY_MEMBER)
def announcements(request: HttpRequest, alliance_slug: str) -> HttpResponse:
    alliance = request.alliance
    rows = Announcement.objects.filter(alliance=alliance).select_related("author")
    if not _moderator(request):
        mine = [p.pk for p in policy.programs_for(request.user) if p.alliance_id == alliance.pk]
        rows = rows.filter(Q(to_all=True) | Q(programs__in=mine)).distinct()
    page = Paginator(rows.order_by("-sent_at"), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "community/forum/announcements.html",
        {
            "alliance": alliance,
            "announcements": page,
            "table": {"page": page},
            "moderator": _moderator(request),
        },
    )


@requires(Perm.HUB_MANAGE)
def announce(request: HttpRequest, alliance_slug: str) -> HttpResponse:
    alliance = request.alliance
    form = AnnouncementForm(request.POST or None, alliance=alliance)
    status = 200
    if request.method == "POST":
        if submit(
            request,
            form,
            lambda data: services.announce(
                alliance=alliance,
                acting_user=request.user,
                title=data["title"],
                body=data["body"],
                to_all=data["to_all"],
                programs=list(data["programs"]),
            ),
            success=lambda sent: (
                _("Announcement sent to %(n)s people.") % {"n": sent.recipient_count}
            ),
        ).ok:
            return redirect("community:announcements", alliance.slug)
        status = 422
    return render(
        request,
        "community/forum/announce.html",
        {"alliance": alliance, "form": form},
        status=status,
    )
