"""Chart-of-accounts mapping per program, for the accounting (QuickBooks) export. Each
ledger category (a kind of invoice line, payments by method, credits, receivable) maps to
one account of the program's books. Written by ``services.set_account_mapping`` (or the
reports module's own service); read by ``exports.py``."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from alliance.core.tenancy import ProgramScopedManager


class LedgerCategory(models.TextChoices):
    TUITION = "tuition", _("Tuition income")
    SUBSIDY = "subsidy", _("Subsidy income")
    COPAY = "copay", _("Co-pay income")
    DIFFERENCE = "difference", _("Rate difference income")
    DISCOUNT = "discount", _("Discounts given")
    FEE = "fee", _("Fee income")
    CHARGE = "charge", _("Other charges")
    LATE_FEE = "late_fee", _("Late fee income")
    RECEIVABLE = "receivable", _("Accounts receivable")
    DEPOSITS = "deposits", _("Undeposited funds / bank")
    CREDIT = "credit", _("Credits and reversals")
    BAD_DEBT = "bad_debt", _("Bad debt expense")
    WAIVER = "waiver", _("Subsidy gaps waived")
    REFUND = "refund", _("Refunds")


class AccountType(models.TextChoices):
    INCOME = "income", _("Income")
    EXPENSE = "expense", _("Expense")
    ASSET = "asset", _("Asset")
    CONTRA_INCOME = "contra", _("Contra income")


class AccountMapping(models.Model):
    program = models.ForeignKey("members.Program", on_delete=models.CASCADE, related_name="+")
    category = models.CharField(_("category"), max_length=12, choices=LedgerCategory.choices)
    account_code = models.CharField(_("account number"), max_length=20)
    account_name = models.CharField(_("account name"), max_length=120)
    account_type = models.CharField(_("type"), max_length=8, choices=AccountType.choices)
    class_name = models.CharField(_("class (optional)"), max_length=60, blank=True)

    objects = ProgramScopedManager()

    class Meta:
        ordering = ["account_code"]
        constraints = [
            models.UniqueConstraint(fields=["program", "category"], name="mapping_one_per_category")
        ]

    def __str__(self) -> str:
        return f"{self.category} → {self.account_code} {self.account_name}"


# The mapping a new program starts with (services apply it; exports fall back to it).
DEFAULT_MAPPING: dict[str, tuple[str, str, str]] = {
    LedgerCategory.TUITION: ("4000", "Tuition Income", AccountType.INCOME),
    LedgerCategory.SUBSIDY: ("4100", "CCAP Subsidy Income", AccountType.INCOME),
    LedgerCategory.COPAY: ("4110", "CCAP Co-pay Income", AccountType.INCOME),
    LedgerCategory.DIFFERENCE: ("4120", "Rate Difference Income", AccountType.INCOME),
    LedgerCategory.DISCOUNT: ("4900", "Tuition Discounts", AccountType.CONTRA_INCOME),
    LedgerCategory.FEE: ("4200", "Registration and Fees", AccountType.INCOME),
    LedgerCategory.CHARGE: ("4300", "Other Charges", AccountType.INCOME),
    LedgerCategory.LATE_FEE: ("4400", "Late Fee Income", AccountType.INCOME),
    LedgerCategory.RECEIVABLE: ("1200", "Accounts Receivable", AccountType.ASSET),
    LedgerCategory.DEPOSITS: ("1010", "Undeposited Funds", AccountType.ASSET),
    LedgerCategory.CREDIT: ("4910", "Credits and Reversals", AccountType.CONTRA_INCOME),
    LedgerCategory.BAD_DEBT: ("6500", "Bad Debt Expense", AccountType.EXPENSE),
    LedgerCategory.WAIVER: ("4920", "Subsidy Gaps Waived", AccountType.CONTRA_INCOME),
    LedgerCategory.REFUND: ("1010", "Undeposited Funds", AccountType.ASSET),
}
