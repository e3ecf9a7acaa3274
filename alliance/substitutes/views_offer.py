"""The page behind the text message's link: accept or decline in one tap, without signing in.

The link carries the offer id signed with the site's key. Opening it changes nothing (link
previews and scanners open links); the buttons POST. It is single-use and expiring because
only a pending, unexpired offer can be answered."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_scopes import scopes_disabled

from alliance.core.tenancy import program_scope
from alliance.substitutes import services
from alliance.substitutes.messages import is_invitation, offer_from_token
from alliance.substitutes.models import Offer, OfferStatus, RequestStatus


@require_http_methods(["GET", "POST"])
def offer_link(request: HttpRequest, token: str) -> HttpResponse:
    offer_id = offer_from_token(token)
    offer = None
    if offer_id is not None:
        with scopes_disabled():
            offer = (
                Offer.objects.select_related(
                    "request__program__alliance", "request__classroom", "substitute"
                )
                .filter(pk=offer_id)
                .first()
            )
    if offer is None:
        return render(request, "substitutes/offer_invalid.html", status=404)
    program = offer.request.program
    context = {
        "offer": offer,
        "req": offer.request,
        "program": program,
        "token": token,
        "invitation": is_invitation(offer),
    }
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            with program_scope(program):
                if action == "accept":
                    services.accept_offer(acting_user=offer.substitute, offer_id=offer.pk)
                    context["outcome"] = "accepted"
                elif action == "volunteer":
                    services.volunteer_offer(acting_user=offer.substitute, offer_id=offer.pk)
                    context["outcome"] = "volunteered"
                elif action == "decline":
                    services.decline_offer(acting_user=offer.substitute, offer_id=offer.pk)
                    context["outcome"] = "declined"
                else:
                    context["problem"] = _("Choose accept or decline.")
                    return render(request, "substitutes/offer.html", context, status=422)
        except services.OfferUnavailable as exc:
            context["problem"] = exc.message
            return render(request, "substitutes/offer.html", context, status=409)
        return render(request, "substitutes/offer.html", context)
    context["state"] = offer_state(offer)
    return render(request, "substitutes/offer.html", context)


def offer_state(offer: Offer) -> str:
    """What the substitute can still do: open, accepted, declined, filled, cancelled, expired."""
    req = offer.request
    if offer.status == OfferStatus.ACCEPTED:
        return "accepted"
    if offer.status == OfferStatus.DECLINED:
        return "declined"
    if offer.status == OfferStatus.VOLUNTEERED and req.status == RequestStatus.OPEN:
        return "volunteered"
    if req.status == RequestStatus.CANCELLED or offer.status == OfferStatus.WITHDRAWN:
        return "cancelled"
    if req.status == RequestStatus.FILLED or offer.status == OfferStatus.FILLED:
        return "filled"
    if offer.status == OfferStatus.EXPIRED or offer.expires_at <= timezone.now():
        return "expired"
    if req.status != RequestStatus.OPEN:
        return "expired"
    return "open"
