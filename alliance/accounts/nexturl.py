"""The ``next`` parameter: read it only when it stays on this site, pass it on encoded."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme, urlencode


def safe_next(request: HttpRequest) -> str | None:
    """The ``next`` URL of the request (POST first), or None if missing or off-site."""
    nxt = request.POST.get("next") or request.GET.get("next")
    if nxt and url_has_allowed_host_and_scheme(
        nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return nxt
    return None


def with_next(url: str, nxt: str | None, **params: str) -> str:
    """``url`` with ``next`` (and any other parameters) added as an encoded query string."""
    query = {**params, **({"next": nxt} if nxt else {})}
    return f"{url}?{urlencode(query)}" if query else url
