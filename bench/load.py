"""A small load client (standard library only): sign in, then drive GET requests from a
few threads for a bounded time and count. Loopback only."""

from __future__ import annotations

import json
import re
import statistics
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.client import HTTPConnection, HTTPException
from http.cookies import SimpleCookie
from urllib.parse import urlencode

Address = tuple[str, int]


@dataclass
class Result:
    name: str
    latencies: list[float] = field(default_factory=list)  # seconds, every request
    statuses: Counter = field(default_factory=Counter)
    seconds: float = 0.0

    @property
    def requests(self) -> int:
        return len(self.latencies)

    @property
    def errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status != 200)

    def percentile(self, p: int) -> float:
        if len(self.latencies) < 2:
            return self.latencies[0] * 1000 if self.latencies else 0.0
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[p - 1] * 1000


def _cookies(response, jar: dict[str, str]) -> dict[str, str]:
    for header in response.headers.get_all("Set-Cookie") or []:
        parsed = SimpleCookie()
        parsed.load(header)
        jar.update({name: morsel.value for name, morsel in parsed.items()})
    return jar


def cookie_header(jar: dict[str, str]) -> str:
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def login(address: Address, email: str, password: str) -> dict[str, str]:
    """Sign in through the login form (with its CSRF token); returns the cookie jar."""
    conn = HTTPConnection(*address, timeout=30)
    try:
        conn.request("GET", "/accounts/login/")
        response = conn.getresponse()
        page = response.read().decode()
        jar = _cookies(response, {})
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if token is None:
            raise RuntimeError("The login page has no CSRF token.")
        form = urlencode(
            {"email": email, "password": password, "csrfmiddlewaretoken": token.group(1)}
        )
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": cookie_header(jar),
        }
        conn.request("POST", "/accounts/login/", body=form, headers=headers)
        response = conn.getresponse()
        response.read()
        _cookies(response, jar)
        if response.status != 302 or "sessionid" not in jar:
            raise RuntimeError(f"Signing in as {email} answered {response.status}.")
        return jar
    finally:
        conn.close()


def api_token(address: Address, email: str, password: str) -> str:
    conn = HTTPConnection(*address, timeout=30)
    try:
        body = json.dumps({"email": email, "password": password})
        conn.request(
            "POST", "/api/v1/auth/token", body=body, headers={"Content-Type": "application/json"}
        )
        response = conn.getresponse()
        payload = response.read()
        if response.status != 200:
            raise RuntimeError(f"POST /api/v1/auth/token answered {response.status}.")
        return json.loads(payload)["token"]
    finally:
        conn.close()


def get_once(address: Address, path: str, headers: dict[str, str]) -> int:
    conn = HTTPConnection(*address, timeout=30)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def drive(
    address: Address,
    name: str,
    path: str,
    headers: dict[str, str],
    *,
    concurrency: int,
    seconds: float,
    max_requests: int,
) -> Result:
    """GET ``path`` from ``concurrency`` threads (one keep-alive connection each) until
    ``seconds`` pass or ``max_requests`` were sent, whichever comes first."""
    result = Result(name)
    lock = threading.Lock()
    sent = 0
    deadline = time.monotonic() + seconds

    def worker() -> None:
        nonlocal sent
        conn = HTTPConnection(*address, timeout=30)
        mine: list[tuple[float, int | str]] = []
        while True:
            with lock:
                if sent >= max_requests or time.monotonic() >= deadline:
                    break
                sent += 1
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                status: int | str = response.status
                if response.will_close:
                    conn.close()
            except (OSError, HTTPException) as exc:
                status = type(exc).__name__
                conn.close()
            mine.append((time.perf_counter() - started, status))
        conn.close()
        with lock:
            for latency, status in mine:
                result.latencies.append(latency)
                result.statuses[status] += 1

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - started
    return result
