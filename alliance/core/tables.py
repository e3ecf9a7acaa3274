"""Sortable, paginated tables: the one way list pages sort and page (bounded queries)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest


@dataclass
class Column:
    label: str
    key: str | None = None  # the ?sort= key; None: not sortable
    sorted: str = ""  # "ascending", "descending" or ""
    next: str = ""  # the sort value a click asks for


@dataclass
class Table:
    page: Page
    columns: list[Column] = field(default_factory=list)
    sort: str = ""

    @property
    def rows(self):
        return self.page.object_list


def build_table(
    request: HttpRequest,
    queryset: QuerySet,
    *,
    columns: list[tuple[str, str | None]],
    orderings: dict[str, tuple[str, ...]],
    default_sort: str,
    per_page: int = 25,
) -> Table:
    """Sort ``queryset`` by the whitelisted ``?sort=`` key (``-key`` descending) and page it.

    ``orderings`` maps a sort key to ORDER BY fields; unknown keys fall back to the default,
    so a hand-edited URL never errors. A page number out of range shows the last page.
    """
    if default_sort.removeprefix("-") not in orderings:
        raise ValueError(f"default_sort {default_sort!r} is not one of the orderings")
    sort = request.GET.get("sort", default_sort)
    descending = sort.startswith("-")
    key = sort[1:] if descending else sort
    if key not in orderings:
        sort = default_sort
        descending = sort.startswith("-")
        key = sort[1:] if descending else sort
    order = [_flip(f) if descending else f for f in orderings[key]]
    # pk breaks ties in the same direction, so equal timestamps still list newest first.
    paginator = Paginator(queryset.order_by(*order, "-pk" if descending else "pk"), per_page)
    page = paginator.get_page(request.GET.get("page"))
    cols = []
    for label, col_key in columns:
        col = Column(label=label, key=col_key)
        if col_key:
            if col_key == key:
                col.sorted = "descending" if descending else "ascending"
                col.next = col_key if descending else "-" + col_key
            else:
                col.next = col_key
        cols.append(col)
    return Table(page=page, columns=cols, sort=sort)


def _flip(field_name: str) -> str:
    return field_name[1:] if field_name.startswith("-") else "-" + field_name
