"""Shared API types: money as a two-decimal string, the error body, pagination."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Annotated, Any, TypeVar

from django.db.models import Model, QuerySet
from ninja import Field, Schema
from pydantic import PlainSerializer, WithJsonSchema

from alliance.core.money import to_money

# Money leaves the API as an exact string ("450.00"), never a float.
Money = Annotated[
    Decimal,
    PlainSerializer(lambda value: f"{to_money(value):.2f}", return_type=str),
    WithJsonSchema({"type": "string", "pattern": r"^-?\d+\.\d{2}$", "example": "450.00"}),
]

MAX_LIMIT = 200


class Message(Schema):
    message: str


class ErrorOut(Schema):
    """The body of every error: one sentence, plus the problem per field for bad input."""

    message: str
    fields: dict[str, list[str]] = Field(default_factory=dict)


class PageIn(Schema):
    limit: int = Field(50, ge=1, le=MAX_LIMIT, description="Items per page (1-200).")
    offset: int = Field(0, ge=0, description="Items to skip.")


class PageOut(Schema):
    """Base of every list answer; subclasses add ``items``."""

    count: int
    limit: int
    offset: int


M = TypeVar("M", bound=Model)


def page_of(
    queryset: QuerySet[M], page: PageIn, item: Callable[[M], Any] = lambda obj: obj
) -> dict[str, Any]:
    """One page of ``queryset``: two queries (count and slice), whatever its size.

    Evaluated here, inside the caller's tenant scope, not later by the serializer."""
    rows: Iterable[M] = queryset[page.offset : page.offset + page.limit]
    return {
        "count": queryset.count(),
        "limit": page.limit,
        "offset": page.offset,
        "items": [item(row) for row in rows],
    }
