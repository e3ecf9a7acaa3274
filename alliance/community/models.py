"""Community models, split by concept; imported here so Django finds them."""

from __future__ import annotations

from alliance.community.models_evidence import *  # noqa: F403
from alliance.community.models_forum import *  # noqa: F403
from alliance.community.models_surveys import *  # noqa: F403
