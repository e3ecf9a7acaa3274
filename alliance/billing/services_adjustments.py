"""Adjustments of a submitted subsidy claim: what the program claims for a past period after
the claim was submitted (attendance corrected, an authorization back-dated or ended early by
the agency, a child missing from the claim).

What was submitted is never edited. An adjustment is a new claim for the same program,
agency and period (``sequence`` 1, 2, …, ``adjusts`` = the original) whose lines hold, per
authorization, the **difference** between what is owed now — recomputed with
:func:`alliance.billing.services_claims.build_claim_preview`, the code that builds a claim —
and what the original and the earlier adjustments claimed. Differences may be negative
(an authorization ended early) or a whole line (a child added or removed); zero differences
are not stored. An adjustment is saved as a draft, reviewed, then submitted like a claim;
agency payments are recorded against it like against a claim.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils.translation import gettext as _

from alliance.accounts.models import User
from alliance.billing.models import (
    CcapAuthorization,
    ClaimLine,
    ClaimStatus,
    SubsidyClaim,
)
from alliance.billing.services import _audit
from alliance.billing.services_claims import LineDraft, build_claim_preview, save_lines

ZERO = Decimal("0")
ADJUSTABLE = (ClaimStatus.SUBMITTED, ClaimStatus.PARTIALLY_PAID, ClaimStatus.PAID)


def claim_differences(
    previous: Mapping[Hashable, Decimal], now: Mapping[Hashable, Decimal]
) -> dict[Hashable, Decimal]:
    """Per key (an authorization), what is owed now minus what was claimed before; keys
    only in ``previous`` are removed (negative), keys only in ``now`` added. Zero
    differences are left out, so Σ previous + Σ result == Σ now."""
    out = {}
    for key in {*previous, *now}:
        diff = now.get(key, ZERO) - previous.get(key, ZERO)
        if diff != 0:
            out[key] = diff
    return out


@dataclass
class AdjustmentLineDraft:
    authorization: CcapAuthorization
    child_id: int
    account_id: int
    invoice_id: int | None
    child_name: str
    case_number: str
    amount_previous: Decimal
    amount_now: Decimal
    days_scheduled: int = 0
    days_attended: int = 0
    days_absent: int = 0

    @property
    def difference(self) -> Decimal:
        return self.amount_now - self.amount_previous


@dataclass
class AdjustmentPreview:
    original: SubsidyClaim
    lines: list[AdjustmentLineDraft] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((ln.difference for ln in self.lines), ZERO)


def original_of(claim: SubsidyClaim) -> SubsidyClaim:
    """The original claim of the period (the claim itself unless it is an adjustment)."""
    if claim.adjusts_id is None:
        return claim
    return SubsidyClaim.objects.select_related("agency", "program").get(pk=claim.adjusts_id)


def claimed_before(original: SubsidyClaim) -> dict[int, Decimal]:
    """Per authorization: Σ claimed by the original and its adjustments (drafts aside)."""
    out: dict[int, Decimal] = {}
    for auth_id, amount in (
        ClaimLine.objects.filter(claim__in=_family(original))
        .exclude(claim__status=ClaimStatus.DRAFT)
        .values_list("authorization_id", "amount_claimed")
    ):
        out[auth_id] = out.get(auth_id, ZERO) + amount
    return out


def _family(original: SubsidyClaim):
    return SubsidyClaim.objects.filter(Q(pk=original.pk) | Q(adjusts_id=original.pk))


def _check_adjustable(original: SubsidyClaim) -> None:
    if original.status not in ADJUSTABLE:
        raise ValidationError(
            {"claim": _("Only a submitted claim can be adjusted; submit or change the draft.")}
        )
    if original.adjustments.filter(status=ClaimStatus.DRAFT).exists():
        raise ValidationError(
            {"claim": _("An adjustment of this claim is still a draft; submit or delete it first.")}
        )


def build_adjustment_preview(
    *, claim: SubsidyClaim, today: date | None = None
) -> AdjustmentPreview:
    """The lines an adjustment of ``claim``'s period would hold now. Reads only; refused on
    a draft claim or while another adjustment is a draft."""
    original = original_of(claim)
    _check_adjustable(original)
    now = build_claim_preview(
        program=original.program, agency=original.agency, period_start=original.period_start,
        period_end=original.period_end, today=today,
    )  # fmt: skip
    drafts: dict[int, LineDraft] = {}
    owed_now: dict[int, Decimal] = {}
    for d in now.lines:
        drafts[d.authorization.pk] = d
        owed_now[d.authorization.pk] = owed_now.get(d.authorization.pk, ZERO) + d.amount_claimed
    before = claimed_before(original)
    diffs = claim_differences(before, owed_now)
    preview = AdjustmentPreview(original=original, warnings=list(now.warnings))
    removed = {
        ln.authorization_id: ln
        for ln in ClaimLine.objects.filter(
            claim__in=_family(original), authorization_id__in=[a for a in diffs if a not in drafts]
        ).select_related("child", "authorization")
    }
    for auth_id in diffs:
        d = drafts.get(auth_id)
        if d is not None:
            preview.lines.append(
                AdjustmentLineDraft(
                    authorization=d.authorization, child_id=d.child_id, account_id=d.account_id,
                    invoice_id=d.invoice_id, child_name=d.child_name, case_number=d.case_number,
                    amount_previous=before.get(auth_id, ZERO), amount_now=owed_now[auth_id],
                    days_scheduled=d.days_scheduled, days_attended=d.days_attended,
                    days_absent=d.days_absent,
                )
            )  # fmt: skip
        else:  # claimed before, owed nothing now: the whole amount comes off
            ln = removed[auth_id]
            preview.lines.append(
                AdjustmentLineDraft(
                    authorization=ln.authorization, child_id=ln.child_id,
                    account_id=ln.account_id, invoice_id=ln.invoice_id,
                    child_name=str(ln.child), case_number=ln.authorization.case_number,
                    amount_previous=before[auth_id], amount_now=ZERO,
                )
            )  # fmt: skip
    preview.lines.sort(key=lambda ln: (ln.child_name, ln.authorization.pk))
    return preview


@transaction.atomic
def create_adjustment(
    *, acting_user: User | None, claim: SubsidyClaim, reason: str, today: date | None = None
) -> SubsidyClaim:
    """Save an adjustment (a draft) of ``claim``'s period with a line per authorization
    whose amount differs from what was claimed before. Refused without a reason, on a draft
    claim, while another adjustment is a draft, and when nothing differs."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the claim is adjusted.")})
    original = (
        SubsidyClaim.objects.select_for_update()
        .select_related("agency", "program")
        .get(pk=original_of(claim).pk)
    )
    preview = build_adjustment_preview(claim=original, today=today)
    if not preview.lines:
        raise ValidationError(
            {
                "claim": _(
                    "Nothing differs from what was claimed for this period: there is "
                    "nothing to adjust."
                )
            }
        )
    last = _family(original).aggregate(m=Max("sequence"))["m"] or 0
    adjustment = SubsidyClaim.objects.create(
        program=original.program,
        agency=original.agency,
        period_start=original.period_start,
        period_end=original.period_end,
        sequence=last + 1,
        adjusts=original,
        reason=reason[:300],
        total_claimed=preview.total,
        created_by=acting_user,
    )
    save_lines(adjustment, ((ln, ln.difference, ln.amount_previous) for ln in preview.lines))
    _audit(
        acting_user, "claim_adjustment_created", adjustment, original.program,
        summary=f"{original.agency.code} {original.period_start} #{adjustment.sequence} "
        f"{adjustment.total_claimed}",
        data={"adjusts": original.pk, "reason": adjustment.reason, "lines": len(preview.lines)},
    )  # fmt: skip
    return adjustment
