"""Navigation entries of billing (no queries): the program menu entry, the family's
personal entry, and the tabs every billing page shows (``{% billing_tabs %}``)."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from alliance.core.policy import Perm, RoleKind, has_perm, role_kinds


def program_items(user, program) -> list[dict]:
    if not has_perm(user, Perm.BILLING_MANAGE, program=program):
        return []
    return [{"label": _("Billing"), "url": reverse("billing:home", args=[program.slug])}]


def hub_items(user, alliance) -> list[dict]:
    items: list[dict] = []
    # --- Hub roll-up entries (reports part) go below this line. ---
    if has_perm(user, Perm.HUB_MANAGE, alliance=alliance):
        try:
            url = reverse("billing:hub_claims", args=[alliance.slug])
        except NoReverseMatch:  # the claims part not installed
            url = ""
        if url:
            items.append({"label": _("Subsidy claims"), "url": url})
            items.append(
                {
                    "label": _("Subsidy agencies"),
                    "url": reverse("billing:hub_agencies", args=[alliance.slug]),
                }
            )
    if has_perm(user, Perm.HUB_MANAGE, alliance=alliance):
        items.append(
            {
                "label": _("Billing reports"),
                "url": reverse("billing:hub_report_aging", args=[alliance.slug]),
            }
        )
    return items


def personal_items(user) -> list[dict]:
    if RoleKind.FAMILY not in role_kinds(user):
        return []
    return [{"label": _("Billing"), "url": reverse("billing:my_billing")}]


def billing_tabs(program) -> list[dict]:
    """The tabs on every billing page of a program, in order. Each part adds its own."""
    names = [
        ("home", _("Overview")),
        ("accounts", _("Accounts")),
        ("invoices", _("Invoices")),
        ("payments", _("Payments")),
        ("runs", _("Billing runs")),
        ("authorizations", _("CCAP")),
        ("rates", _("Rates and fees")),
        ("settings", _("Settings")),
    ]
    # --- Collections/claims tabs go below this line, e.g. ("claims", _("Subsidy claims")). ---
    names += [
        ("collections", _("Collections")),
        ("claims", _("Subsidy claims")),
        ("leakage", _("Leakage")),
    ]

    # --- Documents/reports tabs go below this line, e.g. ("aging", _("Aging")). ---
    names += [
        ("report_aging", _("Aging")),
        ("report_collections", _("Collection rate")),
        ("report_deposits", _("Deposits")),
        ("report_accounting", _("Accounting export")),
    ]

    tabs = []
    for name, label in names:
        try:
            url = reverse(f"billing:{name}", args=[program.slug])
        except NoReverseMatch:  # a part not installed yet
            continue
        tabs.append({"label": label, "url": url})
    return tabs
