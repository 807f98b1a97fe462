"""Login and password change with the project's forms (Bootstrap classes, Chinese labels)."""

from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views

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
