"""The Advisory Committee's pages (committee members and the hub), and suggestions from
members and providers."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliance.community import services_evidence as services
from alliance.community.access import access_action_item, access_meeting, access_suggestion
from alliance.community.forms import (
    ActionItemForm,
    ActionStatusForm,
    CommitteeMemberForm,
    MeetingForm,
    MinutesForm,
    SuggestionAnswerForm,
    SuggestionForm,
)
from alliance.community.models import ActionItem, CommitteeMember, Meeting, Suggestion
from alliance.core import policy
from alliance.core.forms import submit
from alliance.core.policy import Perm
from alliance.members.decorators import requires


def _is_hub(request: HttpRequest) -> bool:
    return policy.has_perm(request.user, Perm.HUB_MANAGE, alliance=request.alliance)


@requires(Perm.COMMITTEE_VIEW)
def committee(request: HttpRequest, alliance_slug: str) -> HttpResponse:
    """The committee page. The hub also adds members, meetings and action items here."""
    alliance = request.alliance
    hub = _is_hub(request)
    forms_ = {
        "member": CommitteeMemberForm(prefix="member"),
        "meeting": MeetingForm(prefix="meeting"),
        "action": ActionItemForm(prefix="action", alliance=alliance),
    }
    status = 200
    if request.method == "POST":
        if not hub:
            raise PermissionDenied
        action = request.POST.get("action", "")
        if action in forms_:
            kwargs = {"alliance": alliance} if action == "action" else {}
            form = forms_[action] = type(forms_[action])(request.POST, prefix=action, **kwargs)
            if submit(
                request,
                form,
                lambda data: _apply(action, request, data),
                success=_("Saved."),
            ).ok:
                return redirect("community:committee", alliance.slug)
        status = 422
    now = timezone.now()
    meetings = list(Meeting.objects.filter(alliance=alliance).order_by("-starts_at")[:50])
    context = {
        "alliance": alliance,
        "hub": hub,
        "forms": forms_,
        "members": CommitteeMember.objects.filter(alliance=alliance, is_active=True),
        "upcoming": [m for m in meetings if m.starts_at >= now][::-1],
        "past": [m for m in meetings if m.starts_at < now],
        "actions": ActionItem.objects.filter(alliance=alliance).select_related("owner")[:200],
        "suggestions": Suggestion.objects.filter(alliance=alliance).select_related("author")[:50],
        "status_form": ActionStatusForm(),
    }
    return render(request, "community/committee/committee.html", context, status=status)


def _apply(action: str, request: HttpRequest, data: dict) -> None:
    alliance, user = request.alliance, request.user
    if action == "member":
        services.add_committee_member(alliance=alliance, acting_user=user, **data)
    elif action == "meeting":
        services.schedule_meeting(alliance=alliance, acting_user=user, **data)
    else:
        services.add_action_item(alliance=alliance, acting_user=user, **data)


@requires(Perm.COMMITTEE_VIEW)
def meeting_detail(request: HttpRequest, alliance_slug: str, meeting_id: int) -> HttpResponse:
    alliance = request.alliance
    meeting = access_meeting(alliance.pk, meeting_id)
    hub = _is_hub(request)
    form = MinutesForm(
        request.POST or None,
        alliance=alliance,
        initial={
            "agenda": meeting.agenda,
            "minutes": meeting.minutes,
            "present": list(meeting.attendees.all()),
        },
    )
    status = 200
    if request.method == "POST":
        if not hub:
            raise PermissionDenied
        if submit(
            request,
            form,
            lambda data: services.record_minutes(
                meeting=meeting,
                acting_user=request.user,
                minutes=data["minutes"],
                agenda=data["agenda"],
                present=list(data["present"]),
            ),
            success=_("Minutes saved."),
        ).ok:
            return redirect("community:meeting", alliance.slug, meeting.pk)
        status = 422
    return render(
        request,
        "community/committee/meeting.html",
        {
            "alliance": alliance,
            "meeting": meeting,
            "hub": hub,
            "form": form,
            "present": meeting.attendees.all(),
            "actions": meeting.action_items.select_related("owner"),
        },
        status=status,
    )


@require_POST
@requires(Perm.COMMITTEE_VIEW)
def action_status(request: HttpRequest, alliance_slug: str, item_id: int) -> HttpResponse:
    item = access_action_item(request.alliance.pk, item_id)
    try:
        services.set_action_status(
            item=item, acting_user=request.user, status=request.POST.get("status", "")
        )
        messages.success(request, _("Action item updated."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("community:committee", request.alliance.slug)


@requires(Perm.COMMUNITY_MEMBER)
def suggestions(request: HttpRequest, alliance_slug: str) -> HttpResponse:
    """Members and providers suggest; they see their own suggestions and the answers.
    Committee members and the hub see every suggestion."""
    alliance = request.alliance
    form = SuggestionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if submit(
            request,
            form,
            lambda data: services.make_suggestion(
                alliance=alliance, acting_user=request.user, **data
            ),
            success=_("Thank you. The Advisory Committee will review your suggestion."),
        ).ok:
            return redirect("community:suggestions", alliance.slug)
        status = 422
    everyone = policy.has_perm(request.user, Perm.COMMITTEE_VIEW, alliance=alliance)
    rows = Suggestion.objects.filter(alliance=alliance).select_related("author")
    if not everyone:
        rows = rows.filter(Q(author=request.user))
    return render(
        request,
        "community/committee/suggestions.html",
        {
            "alliance": alliance,
            "form": form,
            "suggestions": rows[:100],
            "everyone": everyone,
            "hub": _is_hub(request),
            "answer_form": SuggestionAnswerForm(),
        },
        status=status,
    )


@require_POST
@requires(Perm.HUB_MANAGE)
def suggestion_answer(request: HttpRequest, alliance_slug: str, suggestion_id: int):
    suggestion = access_suggestion(request.alliance.pk, suggestion_id)
    form = SuggestionAnswerForm(request.POST)
    if form.is_valid():
        services.answer_suggestion(
            suggestion=suggestion, acting_user=request.user, **form.cleaned_data
        )
        messages.success(request, _("Suggestion updated."))
    else:
        messages.error(request, _("Choose a status."))
    return redirect("community:suggestions", request.alliance.slug)
