"""Changes to family records that other modules rely on: the link from a family to the
guardian's sign-in (``Family.account``).

``Family.account`` is set when the account exists: at once when a signed-in person applies,
and when the guardian accepts the family invitation sent after an application (the accounts
module calls :func:`link_account`). Other modules (billing, enrollment) show a family its own
records through this link only, never by matching email addresses.
"""

from __future__ import annotations

from django.db import transaction

from alliance.accounts.models import User
from alliance.core.audit import log_action
from alliance.core.tenancy import scopes_disabled
from alliance.families.models import Family
from alliance.members.models import Alliance


@transaction.atomic
def link_account(*, acting_user: User | None, user: User, alliance: Alliance) -> list[Family]:
    """Link ``user`` to the alliance's family records created with their email address and
    not yet linked to anyone. Guarantees: a family already linked to another account is
    never taken over; idempotent; one audit row per family linked."""
    email = (user.email or "").strip()
    if not email:
        return []
    with scopes_disabled():
        families = list(
            Family.objects.select_for_update().filter(
                alliance=alliance, account__isnull=True, email__iexact=email
            )
        )
        for family in families:
            family.account = user
            family.save(update_fields=["account"])
            log_action(
                actor=acting_user,
                action="family.account_linked",
                target=family,
                alliance=alliance,
                summary=f"{family} ↔ {user.email}",
            )
    return families


def family_account(*, alliance: Alliance, email: str) -> User | None:
    """The sign-in to link a new family record to: the account with this email that already
    holds the family role in the alliance (none otherwise; they get an invitation)."""
    from alliance.accounts.models import Role
    from alliance.core.policy import RoleKind

    email = (email or "").strip()
    if not email:
        return None
    with scopes_disabled():
        role = (
            Role.objects.filter(kind=RoleKind.FAMILY, alliance=alliance, user__email__iexact=email)
            .select_related("user")
            .order_by("pk")
            .first()
        )
    return role.user if role else None
