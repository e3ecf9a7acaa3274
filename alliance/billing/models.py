"""Billing models, split by concept into ``models_*.py`` and re-exported here.

See ``MODELS.md`` in this package for what each model is, the ledger invariants and which
service is the only writer of what.
"""

from __future__ import annotations

from alliance.billing.models_accounting import (  # noqa: F401
    DEFAULT_MAPPING,
    AccountMapping,
    AccountType,
    LedgerCategory,
)
from alliance.billing.models_base import (  # noqa: F401
    MONEY,
    AgeGroup,
    CareSchedule,
    LedgerImmutable,
    PayerKind,
    Period,
    ProviderType,
    StarRating,
)
from alliance.billing.models_claims import (  # noqa: F401
    AgencyPayment,
    AgencyPaymentAllocation,
    ClaimLine,
    ClaimStatus,
    GapResolution,
    LeakageFlag,
    LeakageKind,
    SubsidyAgency,
    SubsidyClaim,
)
from alliance.billing.models_collections import (  # noqa: F401
    AutopayAttempt,
    AutopayStatus,
    LateFeeAssessment,
    LateFeeMethod,
    LateFeePolicy,
    PaymentPlan,
    PaymentPlanInstallment,
    PlanStatus,
    Reminder,
    ReminderChannel,
    ReminderSchedule,
    ReminderStatus,
    ReminderStep,
)
from alliance.billing.models_ledger import (  # noqa: F401
    Allocation,
    BillingRun,
    CreditKind,
    CreditNote,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    LineKind,
    Payment,
    PaymentImport,
    PaymentKind,
    PaymentMethod,
)
from alliance.billing.models_rates import (  # noqa: F401
    AccountStatus,
    BillingSettings,
    CcapAuthorization,
    CopaySource,
    DiscountKind,
    DiscountMethod,
    DiscountPolicy,
    FamilyAccount,
    FeeCharge,
    FeeType,
    OneOffCharge,
    Payer,
    TuitionRate,
)
