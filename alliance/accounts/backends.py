"""Sign in with an email address (case-insensitive)."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from alliance.accounts.models import User


class EmailBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, email=None, **kwargs):
        email = (email or username or "").strip()
        if not email or password is None:
            return None
        user = User.objects.filter(email__iexact=email).order_by("pk").first()
        if user is None:
            User().set_password(password)  # same work either way: no timing oracle
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
