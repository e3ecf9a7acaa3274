"""Subsidy agencies of an alliance, managed by the hub: add, edit, deactivate and reactivate,
delete one nothing refers to. A deactivated agency is kept (its claims, authorizations and
payments stay) but is not offered for new authorizations or claims."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from alliance.accounts.models import User
from alliance.billing.models import AgencyPayment, CcapAuthorization, SubsidyAgency, SubsidyClaim
from alliance.core.audit import log_action
from alliance.members.models import Alliance


def _log(acting_user: User | None, action: str, agency: SubsidyAgency, summary: str = "") -> None:
    log_action(
        actor=acting_user, action=f"billing.{action}", target=agency, alliance=agency.alliance,
        summary=summary or agency.name,
    )  # fmt: skip


@transaction.atomic
def save_agency(
    *, acting_user: User | None, alliance: Alliance, name: str, code: str,
    agency: SubsidyAgency | None = None, email: str = "", phone: str = "", address: str = "",
    requires_attendance: bool = True,
) -> SubsidyAgency:  # fmt: skip
    """Add an agency to the alliance (``agency`` None) or change one of it. The short code
    is upper-cased and unique in the alliance."""
    if agency is not None and agency.alliance_id != alliance.pk:
        raise ValidationError({"agency": _("Choose an agency of your alliance.")})
    name, code = (name or "").strip(), (code or "").strip().upper()
    errors = {}
    if not name:
        errors["name"] = _("Enter the agency's name.")
    if not code:
        errors["code"] = _("Enter a short code, e.g. UCCCRR.")
    elif (
        SubsidyAgency.objects.filter(alliance=alliance, code=code)
        .exclude(pk=agency.pk if agency else None)
        .exists()
    ):
        errors["code"] = _("Another agency of the alliance already uses this code.")
    if errors:
        raise ValidationError(errors)
    created = agency is None
    agency = agency or SubsidyAgency(alliance=alliance)
    agency.name, agency.code = name[:150], code[:20]
    agency.email, agency.phone = (email or "").strip(), (phone or "").strip()[:30]
    agency.address, agency.requires_attendance = (address or "").strip(), requires_attendance
    agency.full_clean(exclude=["alliance"], validate_unique=False, validate_constraints=False)
    agency.save()
    _log(acting_user, "agency_added" if created else "agency_saved", agency)
    return agency


@transaction.atomic
def set_agency_active(
    *, acting_user: User | None, agency: SubsidyAgency, active: bool
) -> SubsidyAgency:
    """Deactivate (not offered for new authorizations or claims) or reactivate an agency."""
    agency = SubsidyAgency.objects.select_for_update().get(pk=agency.pk)
    if agency.is_active == active:
        raise ValidationError(
            {
                "is_active": _("This agency is already active.")
                if active
                else _("This agency is already deactivated.")
            }
        )
    agency.is_active = active
    agency.save(update_fields=["is_active"])
    _log(acting_user, "agency_reactivated" if active else "agency_deactivated", agency)
    return agency


@transaction.atomic
def delete_agency(*, acting_user: User | None, agency: SubsidyAgency) -> None:
    """Delete an agency nothing refers to; one with claims, authorizations or payments is
    refused (deactivate it instead)."""
    agency = SubsidyAgency.objects.select_for_update().get(pk=agency.pk)
    used = (
        SubsidyClaim.objects.filter(agency=agency).exists()
        or CcapAuthorization.objects.filter(agency=agency).exists()
        or AgencyPayment.objects.filter(agency=agency).exists()
    )
    if used:
        raise ValidationError(
            {
                "agency": _(
                    "This agency has claims, authorizations or payments and cannot be "
                    "deleted; deactivate it instead."
                )
            }
        )
    _log(acting_user, "agency_deleted", agency)
    agency.delete()
