"""Forms and the list filter of the alarms part. Forms only parse input; the services decide."""

from __future__ import annotations

import csv
import io

import django_filters
from django import forms
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

from anlan.core.filters import RegionSubtreeFilter, ScopedFilterSet, ScopedModelFilter, scoped_regions
from anlan.core.forms import BootstrapMixin, ImportForm
from anlan.core.models import Enterprise

from .. import rules
from ..models import Alarm

TEXT = forms.Textarea(attrs={"rows": 3})


class AlarmFilter(ScopedFilterSet):
    # The pair of filters a ledger's title row shows as one period (core.filters.filters_in_words).
    period = ("raised_from", "raised_to", _("报警日期"))
    q = django_filters.CharFilter(label=_("单位、信用代码或点位"), method="filter_q")
    region = RegionSubtreeFilter(
        label=_("区划"), queryset=scoped_regions, field_name="enterprise__region", to_field_name="code"
    )
    enterprise = ScopedModelFilter(label=_("生产经营单位"), model=Enterprise)
    # No join behind it, so no DISTINCT.
    status = django_filters.MultipleChoiceFilter(
        label=_("状态"), choices=Alarm.Status.choices, distinct=False
    )
    kind = django_filters.ChoiceFilter(label=_("报警类型"), choices=rules.ALARM_KINDS)
    raised_from = django_filters.DateFilter(
        label=_("报警日期起"),
        field_name="raised_at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    raised_to = django_filters.DateFilter(
        label=_("报警日期止"),
        field_name="raised_at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Alarm
        fields = ["q", "region", "enterprise", "status", "kind", "raised_from", "raised_to"]

    def filter_q(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(enterprise__name__icontains=value) | Q(enterprise__uscc=value.upper()) | Q(tag__icontains=value)
        )


class CheckForm(BootstrapMixin, forms.Form):
    note = forms.CharField(
        label=_("核查情况"),
        widget=TEXT,
        max_length=2000,
        help_text=_("现场或远程核实的结果，如：现场确认2号储罐液位超高，已启动紧急切断"),
    )


class ResolveForm(BootstrapMixin, forms.Form):
    resolution = forms.CharField(
        label=_("处置情况"), widget=TEXT, max_length=2000, help_text=_("采取的措施和恢复正常的时间")
    )


class DismissForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(
        label=_("误报原因"),
        widget=TEXT,
        max_length=500,
        help_text=_("如：仪表故障、检修标定、通讯中断造成的数据跳变"),
    )


class AlarmImportForm(ImportForm):
    """The kernel's import form, also taking a CSV export (UTF-8, with or without BOM, or GB18030 as Excel saves
    it in China), turned into the same sheet in XLSX so the kernel's importer reads it with the same bounds,
    report and annotated result file."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].label = _("Excel 文件（.xlsx）或 CSV 文件")
        self.fields["file"].widget.attrs["accept"] = ".xlsx,.csv"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".csv"):
            return super().clean_file()
        if upload.size > settings.ANLAN_IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("文件过大：上限为 %(mb)d MB。") % {"mb": settings.ANLAN_IMPORT_MAX_BYTES // 2**20}
            )
        raw = upload.read()
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise forms.ValidationError(_("无法识别 CSV 文件的编码，请另存为 UTF-8 编码。"))
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet()
        for number, row in enumerate(csv.reader(io.StringIO(text))):
            if number > settings.ANLAN_IMPORT_MAX_ROWS + 1:
                break  # one row past the limit: the importer reports the limit
            sheet.append(row)
        out = io.BytesIO()
        workbook.save(out)
        return SimpleUploadedFile(
            upload.name[:-4] + ".xlsx",
            out.getvalue(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
