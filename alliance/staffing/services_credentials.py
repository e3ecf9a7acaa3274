"""Adding, verifying and removing credentials, with their proof files.

A staff member with an account holds credentials as that person (shared with the
substitute pool); one without an account holds them through the staff record.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.accounts.models import User
from alliance.core.audit import log_action
from alliance.staffing.models import Credential, CredentialKind, StaffMember

MAX_PROOF_BYTES = 5 * 1024 * 1024
# Accepted proof files: extension → the bytes such a file starts with.
PROOF_SIGNATURES = {
    ".pdf": (b"%PDF",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
}


def check_proof(proof: UploadedFile) -> str | None:
    """The reason a proof file is refused, or None when it is a PDF, JPEG or PNG ≤ 5 MB."""
    name = (proof.name or "").lower()
    extension = "." + name.rsplit(".", 1)[-1] if "." in name else ""
    if extension not in PROOF_SIGNATURES:
        return _("Upload a PDF, JPEG or PNG file.")
    if proof.size is not None and proof.size > MAX_PROOF_BYTES:
        return _("The file is larger than 5 MB; scan it at a lower resolution or as a PDF.")
    if proof.size == 0:
        return _("The file is empty.")
    position = proof.tell() if hasattr(proof, "tell") else 0
    head = proof.read(8)
    proof.seek(position)
    if not any(head.startswith(sig) for sig in PROOF_SIGNATURES[extension]):
        return _("The file is not a real PDF, JPEG or PNG (its contents do not match its name).")
    return None


@transaction.atomic
def add_credential(
    *,
    acting_user: User,
    staff: StaffMember,
    kind: str,
    issued_on: date,
    expires_on: date | None = None,
    number: str = "",
    proof: UploadedFile | None = None,
) -> Credential:
    """Record a credential of ``staff``. Checked before saving: a known kind, an issue date
    not in the future, an expiry after the issue date, and a proof file of the right type
    and size."""
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    if kind not in CredentialKind.values:
        errors["kind"] = [_("Choose a credential from the list.")]
    if not isinstance(issued_on, date):
        errors["issued_on"] = [_("Enter the date it was issued.")]
    elif issued_on > today:
        errors["issued_on"] = [_("The issue date cannot be in the future.")]
    if expires_on is not None and isinstance(issued_on, date) and expires_on < issued_on:
        errors["expires_on"] = [_("The expiry date must be on or after the issue date.")]
    if proof is not None:
        problem = check_proof(proof)
        if problem:
            errors["proof"] = [problem]
    if errors:
        raise ValidationError(errors)
    program = staff.program
    credential = Credential(
        alliance_id=program.alliance_id,
        person=staff.user,
        staff=None if staff.user_id else staff,
        kind=kind,
        issued_on=issued_on,
        expires_on=expires_on,
        number=(number or "").strip()[:80],
    )
    if proof is not None:
        credential.proof.save(proof.name, proof, save=False)
    credential.save()
    log_action(
        actor=acting_user,
        action="credential.added",
        target=credential,
        alliance=program.alliance,
        program=program,
        summary=f"{credential.get_kind_display()} for {staff.full_name}",
        data={"kind": kind, "issued_on": issued_on, "expires_on": expires_on, "staff": staff.pk},
    )
    return credential


@transaction.atomic
def verify_credential(*, acting_user: User, staff: StaffMember, credential: Credential) -> None:
    """Mark that someone looked at the proof (the director, usually)."""
    credential.verified_by = acting_user
    credential.verified_at = timezone.now()
    credential.save(update_fields=["verified_by", "verified_at"])
    log_action(
        actor=acting_user,
        action="credential.verified",
        target=credential,
        alliance=staff.program.alliance,
        program=staff.program,
        summary=f"Verified {credential.get_kind_display()} of {staff.full_name}",
    )


@transaction.atomic
def remove_credential(*, acting_user: User, staff: StaffMember, credential: Credential) -> None:
    data = {"kind": credential.kind, "issued_on": credential.issued_on, "staff": staff.pk}
    target_pk = credential.pk
    if credential.proof:
        credential.proof.delete(save=False)
    credential.delete()
    credential.pk = target_pk
    log_action(
        actor=acting_user,
        action="credential.removed",
        target=credential,
        alliance=staff.program.alliance,
        program=staff.program,
        summary=f"Removed a credential of {staff.full_name}",
        data=data,
    )
