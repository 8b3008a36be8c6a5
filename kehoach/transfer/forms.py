from django import forms
from django.utils.translation import gettext_lazy as _


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Ward archive (.zip) exported from another server"),
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
    )
