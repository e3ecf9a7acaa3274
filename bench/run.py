"""``make bench``: seed a database, serve it with gunicorn, load the main pages, print figures.

Seeds the ``county`` scale into a temporary SQLite database (or into DATABASE_URL, when set,
if that database is empty), starts gunicorn on a free loopback port, signs in the demo
users, then sends GET requests from a few threads to each page in turn for a bounded time.
Prints the seed time and a table (requests, requests per second, median and 95th
percentile latency, errors). It never asserts a time: the figures are for reading.

    .venv/bin/python bench/run.py [--scale county] [--seconds 10] [--concurrency 8]
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load import Result, api_token, cookie_header, drive, get_once, login  # noqa: E402

PASSWORD = "alliance-demo"
ALLIANCE = "union-county"
PROGRAM = "little-learners"

# (page, path, who: None = anonymous, an email = that user's session, "api" = hub's token)
PAGES = [
    ("public alliance home", f"/a/{ALLIANCE}/", None),
    ("public directory", f"/a/{ALLIANCE}/directory/", None),
    ("hub dashboard", f"/a/{ALLIANCE}/hub/", "hub@example.org"),
    ("hub members list", f"/a/{ALLIANCE}/hub/members/", "hub@example.org"),
    ("program dashboard", f"/p/{PROGRAM}/", "director1@example.org"),
    ("classrooms list", f"/p/{PROGRAM}/classrooms/", "director1@example.org"),
    ("API GET /api/v1/programs", "/api/v1/programs", "api"),
    ("trivial Django view", "/bench/trivial", None),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", default="county", choices=["small", "county", "state"])
    parser.add_argument("--seconds", type=float, default=10.0, help="load time per page")
    parser.add_argument("--concurrency", type=int, default=8, help="client threads")
    parser.add_argument("--max-requests", type=int, default=20_000, help="per page")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn process")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="alliance-bench-") as tmp:
        env = _environment(Path(tmp))
        print(f"Alliance bench: {_describe(env, args)}", flush=True)
        _prepare(env, args.scale)
        port = _free_port()
        server = _start_server(env, port, args, Path(tmp) / "gunicorn.log")
        try:
            address = ("127.0.0.1", port)
            _wait_until_up(address, server)
            results = _load(address, args)
        finally:
            server.terminate()
            server.wait(timeout=30)
    _print_table(results)


def _environment(tmp: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", f"sqlite:///{tmp / 'bench.sqlite3'}")
    env.update(
        {
            "ALLIANCE_VAR_DIR": str(tmp),
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DEBUG": "false",
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
        }
    )
    return env


def _describe(env: dict[str, str], args: argparse.Namespace) -> str:
    database = env["DATABASE_URL"].split("://", 1)[0]
    return (
        f"scale {args.scale}, {database}, gunicorn {args.workers} workers × {args.threads} "
        f"threads, {args.concurrency} client threads, {args.seconds:g} s per page, "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}"
    )


def _manage(env: dict[str, str], *command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "alliance.cli", *command],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def _prepare(env: dict[str, str], scale: str) -> None:
    started = time.perf_counter()
    migrated = _manage(env, "migrate", "--no-input", "-v0")
    if migrated.returncode:
        sys.exit(f"migrate failed:\n{migrated.stderr}")
    print(f"migrate: {time.perf_counter() - started:.1f} s", flush=True)
    started = time.perf_counter()
    seeded = _manage(env, "seed", "--scale", scale)
    wall = time.perf_counter() - started
    if seeded.returncode and "not empty" in seeded.stderr:
        print("seed: skipped, the database already has data (using it as it is)", flush=True)
        return
    if seeded.returncode:
        sys.exit(f"seed failed:\n{seeded.stderr}")
    done = re.search(r"Done in ([\d.]+) s", seeded.stdout)
    counts = re.findall(r"^\s+([a-z ]+): ([\d,]+)$", seeded.stdout, re.MULTILINE)
    print(
        f"seed {scale}: {done.group(1) if done else '?'} s "
        f"({wall:.1f} s with the command's start-up)",
        flush=True,
    )
    print("  " + ", ".join(f"{name} {count}" for name, count in counts), flush=True)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_server(
    env: dict[str, str], port: int, args: argparse.Namespace, log: Path
) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "alliance.wsgi:application",
        f"--bind=127.0.0.1:{port}",
        f"--workers={args.workers}",
        f"--threads={args.threads}",
        "--worker-class=gthread",
        f"--chdir={ROOT}",
    ]
    with log.open("w") as out:
        return subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)


def _wait_until_up(address: tuple[str, int], server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit("gunicorn stopped during start-up.")
        try:
            if get_once(address, "/healthz", {}) == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    sys.exit("gunicorn did not answer /healthz within 60 s.")


def _load(address: tuple[str, int], args: argparse.Namespace) -> list[Result]:
    sessions: dict[str, dict[str, str]] = {}
    results = []
    for name, path, who in PAGES:
        headers = {}
        if who == "api":
            headers["Authorization"] = f"Bearer {api_token(address, 'hub@example.org', PASSWORD)}"
        elif who is not None:
            if who not in sessions:
                sessions[who] = login(address, who, PASSWORD)
            headers["Cookie"] = cookie_header(sessions[who])
        warm = [get_once(address, path, headers) for _ in range(args.workers * args.threads)]
        if any(status != 200 for status in warm):
            print(f"  note: {name} answered {sorted(set(warm))} while warming up", flush=True)
        result = drive(
            address,
            name,
            path,
            headers,
            concurrency=args.concurrency,
            seconds=args.seconds,
            max_requests=args.max_requests,
        )
        print(f"  {name}: {result.requests} requests", flush=True)
        results.append(result)
    return results


def _print_table(results: list[Result]) -> None:
    print()
    print(f"{'page':<26} {'requests':>8} {'rps':>7} {'p50 ms':>7} {'p95 ms':>7} {'errors':>6}")
    for r in results:
        rps = r.requests / r.seconds if r.seconds else 0.0
        print(
            f"{r.name:<26} {r.requests:>8} {rps:>7.1f} {r.percentile(50):>7.1f} "
            f"{r.percentile(95):>7.1f} {r.errors:>6}"
        )
        if r.errors:
            print(f"{'':<26} statuses: {dict(r.statuses)}")


if __name__ == "__main__":
    main()
