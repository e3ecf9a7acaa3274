"""Every change to membership tiers (annual fees) and to members' memberships.

Keyword-only, atomic, audited; bad input raises ``ValidationError`` per field before any
write. Callers import these through :mod:`alliance.members.services`.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from alliance.accounts.models import User
from alliance.core.audit import changes, log_action
from alliance.core.money import to_money
from alliance.members.models import Alliance, Membership, MembershipStatus, MembershipTier

TIER_FIELDS = ("name", "annual_fee", "description", "is_active")
MAX_FEE = Decimal("99999999.99")  # the column holds 10 digits


def _unknown_fields(given: Any, allowed: tuple[str, ...]) -> None:
    unknown = set(given) - set(allowed)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})


def _check_tier(alliance: Alliance, data: dict[str, Any], exclude_pk: int | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not data["name"]:
        errors["name"] = _("Give the tier a name.")
    try:
        data["annual_fee"] = to_money(data["annual_fee"])
    except (ValueError, TypeError):
        errors["annual_fee"] = _("Enter the fee in dollars and cents, e.g. 450.00.")
    else:
        if data["annual_fee"] < 0:
            errors["annual_fee"] = _("The fee cannot be negative.")
        elif data["annual_fee"] > MAX_FEE:
            errors["annual_fee"] = _("The fee is too large.")
    if "name" not in errors:
        same = MembershipTier.objects.filter(alliance=alliance, name__iexact=data["name"])
        if exclude_pk:
            same = same.exclude(pk=exclude_pk)
        if same.exists():
            errors["name"] = _("There is already a tier with that name.")
    return errors


@transaction.atomic
def create_tier(
    *,
    acting_user: User,
    alliance: Alliance,
    name: str,
    annual_fee: Decimal | str,
    description: str = "",
) -> MembershipTier:
    """Add a membership tier with its annual fee (Decimal, to the cent)."""
    data = {"name": (name or "").strip(), "annual_fee": annual_fee}
    errors = _check_tier(alliance, data, exclude_pk=None)
    if errors:
        raise ValidationError(errors)
    tier = MembershipTier.objects.create(
        alliance=alliance,
        name=data["name"],
        annual_fee=data["annual_fee"],
        description=(description or "").strip(),
    )
    log_action(
        actor=acting_user,
        action="tier.created",
        target=tier,
        alliance=alliance,
        summary=f"Tier {tier.name} at {tier.annual_fee}",
        data={"name": tier.name, "annual_fee": tier.annual_fee},
    )
    return tier


@transaction.atomic
def update_tier(*, acting_user: User, tier: MembershipTier, **fields: Any) -> MembershipTier:
    """Rename, re-price or stop offering a tier. Existing members keep the fee they have
    until the hub changes their membership (a new fee applies from the next change)."""
    _unknown_fields(fields, TIER_FIELDS)
    if "name" in fields:
        fields["name"] = (fields["name"] or "").strip()
    if "description" in fields:
        fields["description"] = (fields["description"] or "").strip()
    data = {
        "name": fields.get("name", tier.name),
        "annual_fee": fields.get("annual_fee", tier.annual_fee),
    }
    errors = _check_tier(tier.alliance, data, exclude_pk=tier.pk)
    if errors:
        raise ValidationError(errors)
    if "annual_fee" in fields:
        fields["annual_fee"] = data["annual_fee"]
    diff = changes(tier, fields)
    if diff:
        tier.save(update_fields=list(diff))
        log_action(
            actor=acting_user,
            action="tier.updated",
            target=tier,
            alliance=tier.alliance,
            summary=f"Tier {tier.name}: {', '.join(sorted(diff))}",
            data=diff,
        )
    return tier


@transaction.atomic
def change_membership(
    *,
    acting_user: User,
    membership: Membership,
    status: str | None = None,
    tier: MembershipTier | None = None,
    fee_paid_through: date | None = None,
) -> Membership:
    """Change status, tier (the fee follows the tier) or record the fee as paid."""
    fields: dict[str, Any] = {}
    if status is not None:
        if status not in MembershipStatus.values:
            raise ValidationError({"status": _("Choose active, suspended or ended.")})
        fields["status"] = status
    if tier is not None:
        if tier.alliance_id != membership.program.alliance_id:
            raise ValidationError({"tier": _("Choose one of this alliance's membership tiers.")})
        fields["tier"] = tier
        fields["annual_fee"] = tier.annual_fee  # a re-priced tier applies at the next change
    if fee_paid_through is not None:
        fields["fee_paid_through"] = fee_paid_through
    diff = changes(membership, fields)
    if diff:
        membership.save(update_fields=list(diff))
        log_action(
            actor=acting_user,
            action="membership.changed",
            target=membership,
            alliance=membership.program.alliance,
            program=membership.program,
            summary=f"Membership: {', '.join(sorted(diff))}",
            data=diff,
        )
    return membership
