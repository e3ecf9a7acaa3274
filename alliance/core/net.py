"""The client's address, behind as many trusted reverse proxies as the deployment says."""

from __future__ import annotations

from ipaddress import ip_address

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """``REMOTE_ADDR``, or with ``TRUSTED_PROXY_HOPS = n`` the n-th address from the right of
    ``X-Forwarded-For`` (each trusted proxy appends the address it saw; anything further left
    was written by the client and is not trusted). None when no valid address is found."""
    remote = request.META.get("REMOTE_ADDR")
    hops = settings.TRUSTED_PROXY_HOPS
    if hops > 0:
        chain = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        chain = [a for a in chain if a]
        if len(chain) >= hops:
            remote = chain[-hops]
    try:
        return str(ip_address(remote)) if remote else None
    except ValueError:
        return None
