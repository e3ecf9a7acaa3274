"""Production settings: `alliance check --deploy` is clean, and missing secrets fail clearly."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

ALLIANCE = str(Path(sys.executable).with_name("alliance"))


def _env(tmp_path: Path, **values: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(
            ("PYTEST", "SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "ALLIANCE_", "DJANGO_ALLOW_ASYNC")
        )
    }
    env.update(
        ALLIANCE_ENV="production",
        ALLIANCE_VAR_DIR=str(tmp_path),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    env.update(values)
    return env


def _alliance(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [ALLIANCE, *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def _key() -> str:
    return secrets.token_urlsafe(50)


def test_check_deploy_is_clean_in_production(tmp_path):
    env = _env(tmp_path, SECRET_KEY=_key(), ALLOWED_HOSTS="example.org")
    result = _alliance(["check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_without_secret_key_says_what_to_set(tmp_path):
    result = _alliance(["check"], _env(tmp_path, ALLOWED_HOSTS="example.org"))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "needs SECRET_KEY" in result.stderr


def test_production_rejects_a_short_secret_key(tmp_path):
    env = _env(tmp_path, SECRET_KEY="too-short", ALLOWED_HOSTS="example.org")
    result = _alliance(["check"], env)
    assert result.returncode != 0
    assert "50 or more random characters" in result.stderr


def test_production_without_allowed_hosts_says_what_to_set(tmp_path):
    result = _alliance(["check"], _env(tmp_path, SECRET_KEY=_key()))
    assert result.returncode != 0
    assert "needs ALLOWED_HOSTS" in result.stderr


def test_production_pages_redirect_to_https_but_healthz_answers_plain_http(tmp_path):
    code = (
        "from django.test import Client; c = Client(HTTP_HOST='example.org'); "
        "print(c.get('/healthz').status_code, c.get('/accounts/login/').status_code, "
        "c.get('/accounts/login/')['Location'])"
    )
    env = _env(tmp_path, SECRET_KEY=_key(), ALLOWED_HOSTS="example.org")
    result = _alliance(["shell", "-c", code], env)
    assert result.returncode == 0, result.stderr
    healthz, login, location = result.stdout.strip().splitlines()[-1].split()
    assert healthz == "200"
    assert login == "301"
    assert location == "https://example.org/accounts/login/"
