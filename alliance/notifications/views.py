"""The person's own pages: the inbox and the preferences. Every signed-in person has them;
they show only the person's own notifications, in the alliances where they hold a role."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from alliance.notifications import queries, services
from alliance.notifications.access import access_notification
from alliance.notifications.forms import PreferencesForm


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    only_unread = request.GET.get("show") == "unread"
    with queries.person_scope(request.user):
        notifications = queries.notifications_for(request.user)
        if only_unread:
            notifications = notifications.filter(read_at__isnull=True)
        page = Paginator(notifications, queries.PAGE_SIZE).get_page(request.GET.get("page"))
        rows = list(page.object_list)
        unread = queries.unread_count(request.user)
    return render(
        request,
        "notifications/inbox.html",
        {"page": page, "rows": rows, "unread": unread, "only_unread": only_unread},
    )


@login_required
def open_notification(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Following a notification marks it read and goes where it points."""
    with queries.person_scope(request.user):
        notification = access_notification(request.user, notification_id)
        services.mark_read(user=request.user, notification=notification)
    if notification.link:
        return redirect(notification.link)
    return redirect(f"{reverse('notifications:inbox')}#n-{notification.pk}")


@login_required
@require_POST
def mark_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    with queries.person_scope(request.user):
        notification = access_notification(request.user, notification_id)
        services.mark_read(user=request.user, notification=notification)
        unread = queries.unread_count(request.user) if request.htmx else 0
    if request.htmx:
        # The row, plus the page's unread count swapped out of band.
        return render(
            request,
            "notifications/_read_row.html",
            {"n": notification, "unread": unread, "oob": True},
        )
    messages.success(request, _("Marked as read."))
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    with queries.person_scope(request.user) as alliance_ids:
        count = services.mark_all_read(user=request.user, alliance_ids=alliance_ids)
    messages.success(
        request,
        ngettext(
            "%(count)d notification marked as read.",
            "%(count)d notifications marked as read.",
            count,
        )
        % {"count": count},
    )
    return redirect("notifications:inbox")


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = PreferencesForm(request.POST if request.method == "POST" else None, user=user)
    if request.method == "POST" and form.is_valid():
        services.update_preferences(
            acting_user=user,
            choices=form.choices(),
            allow_urgent_quiet_sms=form.cleaned_data["allow_urgent_quiet_sms"],
        )
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notifications:preferences")
    return render(
        request,
        "notifications/preferences.html",
        {"form": form, "rows": form.bound_rows()},
        status=422 if form.errors else 200,
    )
