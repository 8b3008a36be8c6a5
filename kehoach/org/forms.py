from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from kehoach.org.models import Unit, UnitKind


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return "— " * obj.depth + obj.name


class UnitMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return "— " * obj.depth + obj.name


def unit_choices(user, exclude_subtree_of: Unit | None = None):
    qs = Unit.objects.pickable_for(user).order_by("path")
    if exclude_subtree_of is not None:
        qs = qs.exclude(path__startswith=exclude_subtree_of.path)
    return qs


class UnitForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=255)
    short_name = forms.CharField(label=_("Short name"), max_length=64, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=UnitKind.choices)
    order = forms.IntegerField(label=_("Order"), min_value=0, initial=0)
    seen_updated_at = forms.DateTimeField(widget=forms.HiddenInput, required=False)


class NewUnitForm(UnitForm):
    parent = UnitChoiceField(
        label=_("Parent unit"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("(none: a new top-level unit)"),
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = unit_choices(user)


class MoveUnitForm(forms.Form):
    parent = UnitChoiceField(
        label=_("New parent unit"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("(none: a top-level unit)"),
    )
    seen_updated_at = forms.DateTimeField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, unit: Unit, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = unit_choices(user, exclude_subtree_of=unit)


class ImportUnitsForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"))
    under = UnitChoiceField(
        label=_("Attach rows without a parent under"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("(none: top-level units)"),
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["under"].queryset = unit_choices(user)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s MB; the largest accepted is %(max)s MB."),
                params={
                    "size": f"{upload.size / 1048576:.1f}".replace(".", ","),
                    "max": settings.MAX_UPLOAD_BYTES // 1048576,
                },
            )
        head = upload.read(4)
        upload.seek(0)
        # .xlsx is a zip archive; checking the content, not the name, stops renamed files.
        if head != b"PK\x03\x04":
            raise forms.ValidationError(
                _("The file is not an Excel workbook (.xlsx). Download the template and use it.")
            )
        return upload
