"""The production configuration of sign-in (tests swap in a fast hasher, so read the real
settings in a fresh interpreter that is not under pytest)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from django.contrib.auth.hashers import Argon2PasswordHasher

ROOT = Path(__file__).resolve().parents[2]

READ = (
    "import json, alliance.settings as s; print(json.dumps({"
    "'hashers': s.PASSWORD_HASHERS, 'require_2fa_for_hub': s.REQUIRE_2FA_FOR_HUB,"
    "'demo': s.DEMO_MODE, 'session_secure': getattr(s, 'SESSION_COOKIE_SECURE', False),"
    "'csrf_secure': getattr(s, 'CSRF_COOKIE_SECURE', False),"
    "'httponly': s.SESSION_COOKIE_HTTPONLY,"
    "'samesite': s.SESSION_COOKIE_SAMESITE}))"
)


def settings_for(tmp_path: Path, **env: str) -> dict:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("ALLIANCE_", "DJANGO_"))}
    clean.update({"ALLIANCE_VAR_DIR": str(tmp_path), **env})
    out = subprocess.run(
        [sys.executable, "-c", READ], cwd=ROOT, env=clean, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_production_hashes_with_argon2_and_requires_2fa_for_hubs(tmp_path):
    prod = settings_for(
        tmp_path, ALLIANCE_ENV="production", SECRET_KEY="x" * 60, ALLOWED_HOSTS="example.org"
    )
    assert prod["hashers"][0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert prod["require_2fa_for_hub"] is True
    assert prod["demo"] is False
    assert prod["session_secure"] is True
    assert prod["csrf_secure"] is True
    assert prod["httponly"] is True
    assert prod["samesite"] == "Lax"


def test_development_hashes_with_argon2_too(tmp_path):
    dev = settings_for(tmp_path)
    assert dev["hashers"][0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert dev["demo"] is True


def test_the_argon2_library_is_installed():
    # The test settings list only MD5; use the hasher class directly.
    hasher = Argon2PasswordHasher()
    encoded = hasher.encode("a-long-passphrase", hasher.salt())
    assert encoded.startswith("argon2$argon2id$")
    assert hasher.verify("a-long-passphrase", encoded)
    assert not hasher.verify("another-passphrase", encoded)
