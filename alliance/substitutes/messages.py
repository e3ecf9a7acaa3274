"""Telling people about offers and shifts, through :func:`alliance.notifications.services.notify`.

Offers go by text message, email and in the app, in the substitute's language; the
notifications module stores each delivery and retries a failed send. Templates are in
``templates/notifications/<kind>/``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core import signing
from django.urls import reverse
from django.utils import formats

from alliance.notifications.kinds import CHANNELS, register_kind
from alliance.notifications.services import notify

if TYPE_CHECKING:
    from alliance.accounts.models import User
    from alliance.substitutes.models import Offer, SubstituteRequest

OFFER = "substitutes_offer"
FILLED_ELSEWHERE = "substitutes_filled_elsewhere"
REQUEST_FILLED = "substitutes_request_filled"
SHIFT_CANCELLED = "substitutes_shift_cancelled"
SUB_CANCELLED = "substitutes_sub_cancelled"
UNFILLED = "substitutes_unfilled"
INVITE = "substitutes_invite"
VOLUNTEERED = "substitutes_volunteered"
PICKED = "substitutes_picked"
NOT_PICKED = "substitutes_not_picked"
BACKUP = "substitutes_backup"
NO_SHOW_WARNING = "substitutes_no_show_warning"
SUSPENDED = "substitutes_suspended"
SUSPENDED_HUB = "substitutes_suspended_hub"

register_kind(OFFER, category="substitutes", default_channels=CHANNELS)
register_kind(FILLED_ELSEWHERE, category="substitutes", default_channels=("in_app",))
register_kind(REQUEST_FILLED, category="substitutes", default_channels=("in_app", "email"))
register_kind(SHIFT_CANCELLED, category="substitutes", default_channels=CHANNELS)
register_kind(SUB_CANCELLED, category="substitutes", default_channels=CHANNELS)
register_kind(UNFILLED, category="substitutes", default_channels=("in_app", "email"))
register_kind(INVITE, category="substitutes", default_channels=CHANNELS)
register_kind(VOLUNTEERED, category="substitutes", default_channels=("in_app", "email"))
register_kind(PICKED, category="substitutes", default_channels=CHANNELS)
register_kind(NOT_PICKED, category="substitutes", default_channels=CHANNELS)
register_kind(BACKUP, category="substitutes", default_channels=("in_app",))
register_kind(NO_SHOW_WARNING, category="substitutes", default_channels=CHANNELS)
register_kind(SUSPENDED, category="substitutes", default_channels=CHANNELS)
register_kind(SUSPENDED_HUB, category="substitutes", default_channels=("in_app", "email"))

_SALT = "substitutes.offer"


def offer_token(offer_id: int) -> str:
    """The secret of an offer's one-tap link: the offer id signed with the site's key.

    The link works without signing in; it is single-use and expiring because the offer it
    names is (only a pending, unexpired offer can be accepted or declined)."""
    return signing.Signer(salt=_SALT).sign(str(offer_id))


def offer_from_token(token: str) -> int | None:
    try:
        return int(signing.Signer(salt=_SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        return None


def offer_link(offer_id: int) -> str:
    return reverse("substitutes:offer_link", args=[offer_token(offer_id)])


def shift_context(request: SubstituteRequest) -> dict:
    days = request.days
    return {
        "program_name": request.program.name,
        "town": request.program.town,
        "classroom": request.classroom.name if request.classroom_id else "",
        "days": ", ".join(formats.date_format(d, "D M j") for d in days),
        "start": formats.time_format(request.start, "g:i A"),
        "end": formats.time_format(request.end, "g:i A"),
        "notes": request.notes,
    }


def is_invitation(offer: Offer) -> bool:
    """In director-picks mode an offer invites the substitute to volunteer; a backup's
    offer (after the assigned substitute cancelled) is always first come, first served."""
    from alliance.substitutes.models import DispatchMode, Tier

    return offer.request.mode == DispatchMode.PICKS and offer.tier != Tier.BACKUP


def send_offer(offer: Offer) -> None:
    request = offer.request
    notify(
        recipient=offer.substitute,
        kind=INVITE if is_invitation(offer) else OFFER,
        context=shift_context(request),
        alliance=request.program.alliance,
        program=request.program,
        link=offer_link(offer.pk),
        urgent=True,
    )


def tell(
    recipient: User,
    kind: str,
    request: SubstituteRequest,
    link: str = "",
    extra: dict | None = None,
) -> None:
    notify(
        recipient=recipient,
        kind=kind,
        context={**shift_context(request), **(extra or {})},
        alliance=request.program.alliance,
        program=request.program,
        link=link,
    )
