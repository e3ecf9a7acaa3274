"""Settings for the bench server: the app's own settings plus the bench-only URL."""

from __future__ import annotations

from alliance.settings import *  # noqa: F403

ROOT_URLCONF = "bench.trivial_urls"
