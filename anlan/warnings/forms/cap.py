"""The CAP import form: the file and the region its drafts are filed under. Forms only parse input."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from anlan.core.forms import BootstrapMixin, RegionChoiceField
from anlan.core.models import Region


class CapImportForm(BootstrapMixin, forms.Form):
    file = forms.FileField(
        label=_("CAP 文件"),
        help_text=_("CAP 1.2 格式的 XML 文件（单条预警或多条预警的订阅文件），不超过 1 MB。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xml,.cap,application/xml,text/xml"}),
    )
    region = RegionChoiceField(label=_("预警区域"), queryset=Region.objects.none())

    def __init__(self, *args, regions=None, **kwargs):
        super().__init__(*args, **kwargs)
        if regions is not None:
            self.fields["region"].queryset = regions
