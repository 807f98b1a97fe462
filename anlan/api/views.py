"""The token endpoint: a user's API token, renewed once it has expired (auth.py)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response

from .auth import token_expired


class ObtainToken(ObtainAuthToken):
    """POST the user name and password: the user's token, a new one when the old one has expired."""

    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        with transaction.atomic():
            token = Token.objects.select_for_update().filter(user=user).first()
            if token is not None and token_expired(token, timezone.now()):
                token.delete()
                token = None
            if token is None:
                token = Token.objects.create(user=user)
        return Response({"token": token.key})


obtain_token = ObtainToken.as_view()
