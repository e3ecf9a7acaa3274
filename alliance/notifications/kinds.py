"""Kinds of notification: which preference category each belongs to and its default channels.

A calling module may register its kinds (``register_kind``) to choose their category and
default channels; an unregistered kind falls in the category its name starts with
(``substitutes_offer`` → substitutes, ``enrollment_…`` → enrollment) or in "other", and goes
out in the app and by email.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from alliance.notifications.models import Channel

# Category key → label on the preferences page, in display order.
CATEGORIES: dict[str, str] = {
    "substitutes": _("Substitute requests and offers"),
    "enrollment": _("Enrollment and waiting lists"),
    "staffing": _("Staffing and schedules"),
    "training": _("Training and certificates"),
    "community": _("Community news and events"),
    "account": _("Your account and membership"),
    "other": _("Other messages"),
}

CHANNELS: tuple[str, ...] = (Channel.IN_APP, Channel.EMAIL, Channel.SMS)
DEFAULT_CHANNELS: tuple[str, ...] = (Channel.IN_APP, Channel.EMAIL)


@dataclass(frozen=True)
class Kind:
    key: str
    category: str
    default_channels: tuple[str, ...] = DEFAULT_CHANNELS


_KINDS: dict[str, Kind] = {}


def register_kind(
    key: str, *, category: str, default_channels: Sequence[str] = DEFAULT_CHANNELS
) -> Kind:
    """Declare a kind's category and default channels (idempotent; last call wins)."""
    if category not in CATEGORIES:
        raise ValueError(f"Unknown notification category {category!r}.")
    unknown = set(default_channels) - set(CHANNELS)
    if unknown:
        raise ValueError(f"Unknown channels {sorted(unknown)!r}.")
    kind = Kind(key=key, category=category, default_channels=tuple(default_channels))
    _KINDS[key] = kind
    return kind


def get_kind(key: str) -> Kind:
    registered = _KINDS.get(key)
    if registered is not None:
        return registered
    return Kind(key=key, category=_category_from_name(key))


def _category_from_name(key: str) -> str:
    for category in CATEGORIES:
        if key.startswith(category) or key.startswith(category.removesuffix("s") + "_"):
            return category
    return "other"


register_kind("test_message", category="other", default_channels=CHANNELS)
register_kind("welcome", category="account", default_channels=DEFAULT_CHANNELS)


def category_default(category: str, channel: str) -> bool:
    """Whether ``channel`` is on for a category when the person has not chosen: on when a
    registered kind of the category uses it by default (email when none is registered)."""
    kinds = [kind for kind in _KINDS.values() if kind.category == category]
    if not kinds:
        return channel in DEFAULT_CHANNELS
    return any(channel in kind.default_channels for kind in kinds)
