"""Tenancy: every program-owned row is reached through a scoped manager.

Two scope dimensions are always set together:

* ``alliance`` — the alliance (county hub) whose data is in play;
* ``program`` — one member program, or ``None`` for alliance-wide (hub) work.

A query on a scoped model outside ``program_scope``/``alliance_scope`` raises
``django_scopes.ScopeError`` instead of silently returning every program's rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from django_scopes import ScopedManager, scope, scopes_disabled

if TYPE_CHECKING:
    from alliance.members.models import Alliance, Program

__all__ = [
    "ProgramScopedManager",
    "AllianceScopedManager",
    "program_scope",
    "alliance_scope",
    "scopes_disabled",
]


def ProgramScopedManager():  # noqa: N802 - mirrors django-scopes' factory name
    """Manager for models with a ``program`` foreign key."""
    return ScopedManager(alliance="program__alliance", program="program")


def AllianceScopedManager():  # noqa: N802
    """Manager for models that belong to an alliance as a whole (tiers, applications)."""
    return ScopedManager(alliance="alliance")


@contextmanager
def program_scope(program: Program) -> Iterator[None]:
    """Open one program's data (and its alliance's shared data) for the block."""
    with scope(alliance=program.alliance_id, program=program.pk):
        yield


@contextmanager
def alliance_scope(alliance: Alliance | int) -> Iterator[None]:
    """Open every program of one alliance (hub work, public directory)."""
    alliance_id = alliance if isinstance(alliance, int) else alliance.pk
    with scope(alliance=alliance_id, program=None):
        yield
