"""API tokens: each lives `ANLAN_TOKEN_DAYS` days and goes when its user's password changes."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed


def token_expired(token: Token, now) -> bool:
    return token.created <= now - timedelta(days=settings.ANLAN_TOKEN_DAYS)


class ExpiringTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>`; an expired token is a 401 that says so."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if token_expired(token, timezone.now()):
            raise AuthenticationFailed(_("API 令牌已过期，请用用户名和密码重新获取。"))
        return user, token


class RevokeTokensOnPasswordChange:
    """Listed in AUTH_PASSWORD_VALIDATORS for its `password_changed` hook, which Django calls after every saved
    password change (the user's own, an administrator's reset, `set_password` and `save` in a service or a
    command): the user's API token is deleted. It refuses no password."""

    def validate(self, password, user=None) -> None:
        return None

    def password_changed(self, password, user=None) -> None:
        if user is not None and user.pk is not None:
            Token.objects.filter(user=user).delete()

    def get_help_text(self) -> str:
        return gettext_lazy("修改密码后，原有的 API 令牌随即失效。")
