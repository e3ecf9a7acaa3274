"""Every change to a program's places: its sites (further addresses) and classrooms.

Keyword-only, atomic, audited; bad input raises ``ValidationError`` per field before any
write. Callers import these through :mod:`alliance.members.services`.
"""

from __future__ import annotations

import copy
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from alliance.accounts.models import User
from alliance.core.audit import changes, log_action
from alliance.members.models import Classroom, Program, Site

CLASSROOM_FIELDS = (
    "name",
    "age_min_months",
    "age_max_months",
    "licensed_capacity",
    "staffed_capacity",
    "is_active",
    "site",
)
SITE_FIELDS = ("name", "address", "town", "zip_code")


def _unknown_fields(given: Any, allowed: tuple[str, ...]) -> None:
    unknown = set(given) - set(allowed)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})


def _full_clean(instance: Any, exclude: list[str]) -> dict[str, list[str]]:
    try:
        instance.full_clean(exclude=exclude, validate_constraints=False)
    except ValidationError as exc:
        return dict(exc.message_dict)
    return {}


# --- classrooms -------------------------------------------------------------------------


def _check_classroom(
    program: Program, candidate: Classroom, exclude_pk: int | None
) -> dict[str, list[str]]:
    errors = _full_clean(candidate, exclude=["program"])
    figures = (
        candidate.age_min_months,
        candidate.age_max_months,
        candidate.licensed_capacity,
        candidate.staffed_capacity,
    )
    if not str(candidate.name or "").strip():
        errors["name"] = [_("Give the classroom a name, e.g. “Toddlers A”.")]
    if all(isinstance(n, int) for n in figures):
        if candidate.age_min_months > candidate.age_max_months:
            errors.setdefault(
                "age_max_months", [_("The oldest age must be at least the youngest age.")]
            )
        if candidate.licensed_capacity < 1:
            errors.setdefault("licensed_capacity", [_("Licensed capacity must be at least 1.")])
        if candidate.staffed_capacity > candidate.licensed_capacity:
            errors.setdefault(
                "staffed_capacity",
                [
                    _("Staffed capacity cannot be more than licensed capacity (%(licensed)s).")
                    % {"licensed": candidate.licensed_capacity}
                ],
            )
    if candidate.site_id and candidate.site.program_id != program.pk:
        errors["site"] = [_("Choose one of this program's sites.")]
    if "name" not in errors:
        same_name = Classroom.objects.filter(program=program, name__iexact=candidate.name)
        if exclude_pk:
            same_name = same_name.exclude(pk=exclude_pk)
        if same_name.exists():
            errors["name"] = [_("This program already has a classroom with that name.")]
    return errors


@transaction.atomic
def create_classroom(
    *,
    acting_user: User,
    program: Program,
    name: str,
    age_min_months: int,
    age_max_months: int,
    licensed_capacity: int,
    staffed_capacity: int | None = None,
    site: Site | None = None,
) -> Classroom:
    """Add a classroom (in use). Staffed capacity defaults to licensed capacity."""
    classroom = Classroom(
        program=program,
        site=site,
        name=(name or "").strip(),
        age_min_months=age_min_months,
        age_max_months=age_max_months,
        licensed_capacity=licensed_capacity,
        staffed_capacity=licensed_capacity if staffed_capacity is None else staffed_capacity,
    )
    errors = _check_classroom(program, classroom, exclude_pk=None)
    if errors:
        raise ValidationError(errors)
    classroom.save()
    log_action(
        actor=acting_user,
        action="classroom.created",
        target=classroom,
        alliance=program.alliance,
        program=program,
        summary=f"Added {classroom.name}",
        data={name: getattr(classroom, name) for name in CLASSROOM_FIELDS},
    )
    return classroom


@transaction.atomic
def update_classroom(*, acting_user: User, classroom: Classroom, **fields: Any) -> Classroom:
    """Change a classroom. ``is_active=False`` archives it: it leaves the dashboards and
    capacity figures but keeps its history; ``is_active=True`` brings it back."""
    _unknown_fields(fields, CLASSROOM_FIELDS)
    if "name" in fields:
        fields["name"] = (fields["name"] or "").strip()
    if fields.get("staffed_capacity", 0) is None:
        fields["staffed_capacity"] = fields.get("licensed_capacity", classroom.licensed_capacity)
    candidate = copy.copy(classroom)
    for name, value in fields.items():
        setattr(candidate, name, value)
    errors = _check_classroom(classroom.program, candidate, exclude_pk=classroom.pk)
    if errors:
        raise ValidationError(errors)
    diff = changes(classroom, fields)
    if diff:
        classroom.save(update_fields=list(diff))
        action = "classroom.updated"
        if "is_active" in diff:
            action = "classroom.restored" if classroom.is_active else "classroom.archived"
        log_action(
            actor=acting_user,
            action=action,
            target=classroom,
            alliance=classroom.program.alliance,
            program=classroom.program,
            summary=f"{action.split('.')[1].title()} {classroom.name}",
            data=diff,
        )
    return classroom


# --- sites ------------------------------------------------------------------------------


def _check_site(program: Program, candidate: Site, exclude_pk: int | None) -> dict[str, list[str]]:
    errors = _full_clean(candidate, exclude=["program"])
    if "name" not in errors:
        same_name = Site.objects.filter(program=program, name__iexact=candidate.name)
        if exclude_pk:
            same_name = same_name.exclude(pk=exclude_pk)
        if same_name.exists():
            errors["name"] = [_("This program already has a site with that name.")]
    return errors


def _clean_text(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: (v or "").strip() if isinstance(v, str | None) else v for k, v in fields.items()}


@transaction.atomic
def create_site(
    *, acting_user: User, program: Program, name: str, address: str, town: str, zip_code: str
) -> Site:
    """Add a further location of the program (its main address stays on the profile)."""
    data = _clean_text({"name": name, "address": address, "town": town, "zip_code": zip_code})
    site = Site(program=program, **data)
    errors = _check_site(program, site, exclude_pk=None)
    if errors:
        raise ValidationError(errors)
    site.save()
    log_action(
        actor=acting_user,
        action="site.created",
        target=site,
        alliance=program.alliance,
        program=program,
        summary=f"Added site {site.name}",
        data=data,
    )
    return site


@transaction.atomic
def update_site(*, acting_user: User, site: Site, **fields: Any) -> Site:
    """Change a site's name or address. Validated whole before anything is written."""
    _unknown_fields(fields, SITE_FIELDS)
    fields = _clean_text(fields)
    candidate = copy.copy(site)
    for name, value in fields.items():
        setattr(candidate, name, value)
    errors = _check_site(site.program, candidate, exclude_pk=site.pk)
    if errors:
        raise ValidationError(errors)
    diff = changes(site, fields)
    if diff:
        site.save(update_fields=list(diff))
        log_action(
            actor=acting_user,
            action="site.updated",
            target=site,
            alliance=site.program.alliance,
            program=site.program,
            summary=f"Updated site {site.name}",
            data=diff,
        )
    return site
