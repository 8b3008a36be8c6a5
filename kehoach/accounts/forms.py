from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from kehoach.accounts import services


class LoginForm(AuthenticationForm):
    """Django's form with the failure throttle in front of the password check."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Wrong username or password. Please check and try again."),
        "locked": _(
            "Too many failed attempts. Sign-in is paused for a while; please try again later."
        ),
    }

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            try:
                self.user_cache = services.sign_in(
                    self.request, username=username, password=password
                )
            except services.LoginLocked:
                raise forms.ValidationError(self.error_messages["locked"], code="locked") from None
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class CodeForm(forms.Form):
    """A six-digit code from the app, or one recovery code."""

    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        error_messages={"required": _("Please enter the code.")},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "none",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )


class SecurityActionForm(CodeForm):
    """The code that proves it is the person, for turning off or for new recovery codes."""

    action = forms.ChoiceField(
        choices=[("disable", "disable"), ("regenerate", "regenerate")], widget=forms.HiddenInput
    )
