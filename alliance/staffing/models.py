"""Staffing: credentials belong to the person (a teacher who also substitutes has one CPR
card), so both staff compliance and the substitute pool read the same rows."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from alliance.core.tenancy import AllianceScopedManager


class CredentialKind(models.TextChoices):
    CPR_FIRST_AID = "cpr_first_aid", _("CPR and First Aid")
    CARI = "cari", _("Child abuse record check (CARI)")
    FINGERPRINTS = "fingerprints", _("Fingerprint criminal history check (CHRI)")
    TB_TEST = "tb_test", _("TB test")
    PHYSICAL = "physical", _("Medical exam")
    ORIENTATION = "orientation", _("Orientation training")
    CDA = "cda", _("Child Development Associate (CDA)")
    DEGREE_ASSOCIATE = "degree_associate", _("Associate degree (early childhood)")
    DEGREE_BACHELOR = "degree_bachelor", _("Bachelor's degree (early childhood)")
    INFANT_TODDLER = "infant_toddler", _("Infant/toddler training")
    OTHER = "other", _("Other")


def credential_upload_to(instance: Credential, filename: str) -> str:
    holder = instance.person_id or f"s{instance.staff_id}"
    return f"credentials/{instance.alliance_id}/{holder}/{filename}"


class Credential(models.Model):
    """One credential of one person, with its dates and proof."""

    alliance = models.ForeignKey("members.Alliance", on_delete=models.CASCADE, related_name="+")
    # The person's account when they have one; a staff record without an account holds
    # its credentials through ``staff`` instead (exactly one of the two is set).
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="credentials",
    )
    staff = models.ForeignKey(
        "staffing.StaffMember",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="own_credentials",
    )
    kind = models.CharField(_("credential"), max_length=30, choices=CredentialKind.choices)
    issued_on = models.DateField(_("issued"))
    expires_on = models.DateField(_("expires"), null=True, blank=True)
    number = models.CharField(_("number or issuer"), max_length=80, blank=True)
    proof = models.FileField(_("proof"), upload_to=credential_upload_to, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AllianceScopedManager()

    class Meta:
        ordering = ["person_id", "kind", "-issued_on"]
        indexes = [
            models.Index(fields=["alliance", "person", "kind"]),
            models.Index(fields=["alliance", "expires_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_on__isnull=True)
                | models.Q(expires_on__gte=models.F("issued_on")),
                name="credential_expires_after_issue",
            ),
            models.CheckConstraint(
                condition=models.Q(person__isnull=False) | models.Q(staff__isnull=False),
                name="credential_has_holder",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.person_id})"

    def is_valid_on(self, day: date) -> bool:
        return self.issued_on <= day and (self.expires_on is None or self.expires_on >= day)


from alliance.staffing.models_day import FieldTrip, HomeDay, RestToggle  # noqa: E402
from alliance.staffing.models_jobs import (  # noqa: E402
    Application,
    ApplicationStage,
    Candidate,
    JobPosting,
    PostingStatus,
)
from alliance.staffing.models_staff import (  # noqa: E402
    ScheduleBlock,
    SeparationReason,
    ShortfallRequest,
    StaffingSettings,
    StaffMember,
    StaffRole,
    StaffShift,
)

__all__ = [
    "Application",
    "ApplicationStage",
    "Candidate",
    "Credential",
    "CredentialKind",
    "FieldTrip",
    "HomeDay",
    "JobPosting",
    "PostingStatus",
    "RestToggle",
    "ScheduleBlock",
    "SeparationReason",
    "ShortfallRequest",
    "StaffMember",
    "StaffRole",
    "StaffShift",
    "StaffingSettings",
]
