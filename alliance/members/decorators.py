"""View decorators that ask the policy module (and nothing else) for a permission."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login

from alliance.core.policy import Perm, require


def requires(perm: Perm) -> Callable:
    """Signed-out → sign-in page; signed-in without ``perm`` → 403 (via the policy)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            require(request, perm)
            return view(request, *args, **kwargs)

        wrapped.required_perm = perm
        return wrapped

    return decorator
