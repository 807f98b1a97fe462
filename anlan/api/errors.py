"""API error shape: DomainError and Django's ValidationError become 400s naming the field and the rule."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from anlan.core.errors import DomainError


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        body = {
            "code": str(exc.code),
            "field": exc.field,
            "detail": str(exc.message),
            "errors": {key: [str(m) for m in messages] for key, messages in exc.errors.items()},
        }
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or None)
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    return drf_exception_handler(exc, context)
