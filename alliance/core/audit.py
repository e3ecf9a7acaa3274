"""``log_action``: the one way services record a change."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models

from alliance.core.models import AuditEntry

if TYPE_CHECKING:
    from alliance.accounts.models import User
    from alliance.members.models import Alliance, Program


def log_action(
    *,
    actor: User | None,
    action: str,
    target: models.Model,
    alliance: Alliance,
    program: Program | None = None,
    summary: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append an audit row. Call inside the service's transaction."""
    entry = AuditEntry(
        actor=actor if actor is not None and actor.is_authenticated else None,
        alliance=alliance,
        program=program,
        action=action,
        object_type=target._meta.label_lower,
        object_id=str(target.pk or ""),
        summary=summary[:300],
        data=_jsonable(data or {}),
    )
    entry.save()
    return entry


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def changes(instance: models.Model, fields: dict[str, Any]) -> dict[str, list[Any]]:
    """Apply ``fields`` to ``instance`` and return {field: [old, new]} for what changed."""
    diff: dict[str, list[Any]] = {}
    for name, new in fields.items():
        old = getattr(instance, name)
        if old != new:
            diff[name] = [old, new]
            setattr(instance, name, new)
    return diff
