"""Login and password change with the project's forms (Bootstrap classes, Chinese labels), and the lockout
after repeated failed logins."""

import ipaddress

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.db.models import Sum
from django.urls import reverse

from .forms import BootstrapMixin


class LoginForm(BootstrapMixin, auth_forms.AuthenticationForm):
    pass


class PasswordChangeForm(BootstrapMixin, auth_forms.PasswordChangeForm):
    pass


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PasswordChangeForm


# ---------------------------------------------------------------- lockout (django-axes, settings AXES_*)


def client_address(request) -> str | None:
    """The address failed logins count against: REMOTE_ADDR, unless that is a trusted reverse proxy
    (ANLAN_TRUSTED_PROXIES); then the right-most address in X-Forwarded-For that is not one of them."""
    remote = request.META.get("REMOTE_ADDR")
    if not _is_trusted_proxy(remote):
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for address in reversed([part for part in forwarded if part]):
        if not _is_trusted_proxy(address):
            return address
    return remote


def _is_trusted_proxy(address: str | None) -> bool:
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(proxy, strict=False) for proxy in settings.ANLAN_TRUSTED_PROXIES)


def lockout_username(request, credentials) -> str | None:
    """The user name a failure counts against. Failures at the API token endpoint count apart from the
    login page's ("api:<name>"), so a script retrying a stale password cannot lock its user out of the pages."""
    name = (credentials or {}).get("username")
    if name is None:
        name = request.POST.get("username")
    if name is not None and request.path == reverse("api:token"):
        return f"api:{name}"
    return name


class LockoutHandler(AxesDatabaseHandler):
    """django-axes' database handler with two limits (AXES_LOCKOUT_PARAMETERS lists both groups, in order):
    AXES_FAILURE_LIMIT failures of one user name from one address lock that name at that address only (the
    user can still sign in elsewhere), and ANLAN_LOGIN_ADDRESS_FAILURE_LIMIT failures from one address,
    whatever the names, lock the address."""

    def get_failures(self, request, credentials=None) -> int:
        per_user, per_address = (
            attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        address_locked = per_address >= settings.ANLAN_LOGIN_ADDRESS_FAILURE_LIMIT
        return max(per_user, per_address if address_locked else 0)

    def reset_user_attempts(self, request, credentials=None) -> int:
        """A successful login clears its own name's failures at its address, not the address's count."""
        per_user = self.filter_user_attempts(request, credentials)[0]
        count, _ = per_user.delete()
        return count
