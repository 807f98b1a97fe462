"""Forms parse and validate input; services decide. Widgets carry Bootstrap classes."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from . import rules, selectors
from .models import Department, Enterprise, Grid, Industry, Licence, LicenceChange, Region
from .services import ENTERPRISE_FIELDS, ENTERPRISE_SELF_EDITABLE, PRINCIPAL_INPUT


def add_domain_error(form, error) -> None:
    """Put a service's DomainError on the form, beside each field it names (any other above the fields)."""
    for name, problems in error.errors.items():
        for message in problems:
            form.add_error(name if name in form.fields else None, message)


class BootstrapMixin:
    """Give every widget its Bootstrap class and mark invalid fields for the template."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):  # CheckboxSelectMultiple too
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"
                widget.attrs["aria-invalid"] = "true"


class IndustryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return ("　" * getattr(obj, "depth", 0)) + obj.name


class IndustryMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return ("　" * getattr(obj, "depth", 0)) + obj.name


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        indent = "　" * max(obj.level - Region.Level.COUNTY, 0)
        return f"{indent}{obj.name}"


class EnterpriseForm(BootstrapMixin, forms.ModelForm):
    """Registry data of an enterprise. An enterprise's own users get only the fields they may change."""

    industry = IndustryChoiceField(queryset=Industry.objects.none(), label=_("主行业领域"))
    other_industries = IndustryMultipleChoiceField(
        queryset=Industry.objects.none(), label=_("其他行业领域"), required=False
    )
    region = RegionChoiceField(queryset=Region.objects.none(), label=_("所属区划"))
    # The 主要负责人 is a Person: entered as a name and an ID number, resolved by the service.
    principal = forms.CharField(label=_("主要负责人"), max_length=50)
    principal_id_number = forms.CharField(
        label=_("主要负责人居民身份证号码"),
        max_length=18,
        help_text=_("18位，最后一位可为 X；同一号码即同一人员。"),
    )
    field_order = [*ENTERPRISE_FIELDS, "other_industries"]

    class Meta:
        model = Enterprise
        fields = [*(f for f in ENTERPRISE_FIELDS if f not in PRINCIPAL_INPUT), "other_industries"]
        widgets = {"address": forms.TextInput(), "other_industries": forms.SelectMultiple(attrs={"size": 6})}

    def __init__(self, *args, user, self_service: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        tree = selectors.industry_tree()
        self.fields["industry"].queryset = Industry.objects.all()
        self.fields["industry"].choices = [("", "---------")] + [
            (i.pk, self.fields["industry"].label_from_instance(i)) for i in tree
        ]
        self.fields["other_industries"].queryset = Industry.objects.all()
        self.fields["other_industries"].choices = [
            (i.pk, self.fields["other_industries"].label_from_instance(i)) for i in tree
        ]
        self.fields["region"].queryset = selectors.regions_for_choice(user)
        self.fields["grid"].queryset = Grid.objects.for_user(user).select_related("region")
        self.fields["uscc"].widget.attrs.update(
            {"maxlength": 18, "autocomplete": "off", "spellcheck": "false"}
        )
        self.fields["principal_id_number"].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})
        principal = self.instance.principal if self.instance.pk else None
        if principal is not None:
            self.initial.setdefault("principal", principal.name)
            self.initial.setdefault("principal_id_number", principal.id_number)
            # A legacy principal (registered without a number) may stay as it is until someone changes it.
            self.fields["principal_id_number"].required = bool(principal.id_number)
        if self.instance.pk and self.instance.scale_to_verify and "scale" in self.fields:
            self.fields["scale"].help_text = _(
                "规模待核定：原登记为“规模以上”，已暂按“中型”迁移。请按国家统计局大中小微型企业划分办法核对，保存即视为已核定。"
            )
        if self_service:
            for name in list(self.fields):
                if name not in ENTERPRISE_SELF_EDITABLE:
                    del self.fields[name]

    def _checked(self, name: str, validate, *, optional: bool = True):
        """The field's value through a `rules` validator, whose RuleViolation becomes the field's error; an
        empty value passes untouched when `optional`."""
        value = self.cleaned_data[name]
        if optional and not value:
            return value
        try:
            return validate(value, name)
        except rules.RuleViolation as exc:
            raise forms.ValidationError(exc.message, code=str(exc.code)) from exc

    def clean_principal_id_number(self):
        return self._checked("principal_id_number", rules.validate_id_number)

    def clean_uscc(self):
        return self._checked("uscc", rules.validate_uscc, optional=False)

    def clean_principal_phone(self):
        return self._checked("principal_phone", rules.validate_phone)

    def clean_safety_manager_phone(self):
        return self._checked("safety_manager_phone", rules.validate_phone)


class EnterpriseStatusForm(BootstrapMixin, forms.Form):
    """The new operating status and why. `targets` narrows the choices to the states the user may move the
    enterprise to now (the page offers only those); a POST is checked by the service against the table."""

    status = forms.ChoiceField(label=_("经营状态"), choices=Enterprise.Status.choices)
    reason = forms.CharField(label=_("变更原因"), widget=forms.Textarea(attrs={"rows": 3}), max_length=500)

    def __init__(self, *args, targets=None, **kwargs):
        super().__init__(*args, **kwargs)
        if targets is not None:
            self.fields["status"].choices = [
                (value, label) for value, label in Enterprise.Status.choices if value in targets
            ]


class LicenceForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Licence
        fields = ["kind", "number", "issued_by", "valid_from", "valid_until"]
        widgets = {
            "valid_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "valid_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def clean(self):
        data = super().clean()
        start, end = data.get("valid_from"), data.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", _("有效期至不能早于有效期起。"))
        return data


class LicenceChangeForm(BootstrapMixin, forms.Form):
    """An enterprise's proposal: a new licence, or a change to (or the removal of) one it holds. Fields left
    blank on a change keep the licence's current values."""

    licence = forms.ModelChoiceField(
        queryset=Licence.objects.none(), required=False, label=_("证照"), empty_label=_("（新增证照）")
    )
    action = forms.ChoiceField(
        choices=[(LicenceChange.Action.CHANGE, _("变更")), (LicenceChange.Action.REMOVE, _("注销"))],
        required=False,
        label=_("对已有证照"),
    )
    kind = forms.ChoiceField(choices=[("", "—"), *Licence.Kind.choices], required=False, label=_("证照类型"))
    number = forms.CharField(max_length=60, required=False, label=_("证照编号"))
    issued_by = forms.CharField(max_length=80, required=False, label=_("发证机关"))
    valid_from = forms.DateField(
        required=False, label=_("有效期起"), widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_until = forms.DateField(
        required=False, label=_("有效期至"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(label=_("申请理由"), widget=forms.Textarea(attrs={"rows": 2}), max_length=500)

    def __init__(self, *args, enterprise=None, **kwargs):
        super().__init__(*args, **kwargs)
        if enterprise is not None:
            self.fields["licence"].queryset = enterprise.licences.all()


class ReasonForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("原因"), widget=forms.Textarea(attrs={"rows": 2}), max_length=500)


class RegionForm(BootstrapMixin, forms.Form):
    code = forms.CharField(label=_("区划代码（12位）"), max_length=12, min_length=12)
    name = forms.CharField(label=_("名称"), max_length=60)
    kind = forms.CharField(
        label=_("类型"), max_length=20, required=False, help_text=_("如 镇、乡、街道、村、社区")
    )
    urban_rural_code = forms.RegexField(
        label=_("城乡分类代码"),
        regex=r"^[0-9]{3}$",
        required=False,
        error_messages={"invalid": _("城乡分类代码为3位数字。")},
    )

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not rules.is_ascii_digits(code):
            raise forms.ValidationError(_("区划代码应为12位数字。"))
        return code


class RegionEditForm(RegionForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["code"]


class GridForm(BootstrapMixin, forms.Form):
    region = RegionChoiceField(queryset=Region.objects.none(), label=_("所属村(社区)"))
    code = forms.CharField(label=_("网格编号"), max_length=30)
    name = forms.CharField(label=_("网格名称"), max_length=60)
    description = forms.CharField(
        label=_("范围说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = selectors.regions_for_choice(user, Region.Level.VILLAGE)


class DepartmentForm(BootstrapMixin, forms.Form):
    region = RegionChoiceField(queryset=Region.objects.none(), label=_("所属区划"))
    name = forms.CharField(label=_("单位名称"), max_length=80)
    short_name = forms.CharField(label=_("简称"), max_length=30, required=False)
    kind = forms.ChoiceField(label=_("类别"), choices=Department.Kind.choices)
    phone = forms.CharField(label=_("值班电话"), max_length=30, required=False)
    industries = IndustryMultipleChoiceField(
        queryset=Industry.objects.all(),
        label=_("监管行业领域（三管三必须）"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.for_user(user).filter(level__lte=Region.Level.TOWN)
        tree = selectors.industry_tree()
        self.fields["industries"].choices = [
            (i.pk, self.fields["industries"].label_from_instance(i)) for i in tree
        ]


class ImportForm(BootstrapMixin, forms.Form):
    file = forms.FileField(label=_("Excel 文件（.xlsx）"))
    valid_only = forms.BooleanField(label=_("只导入校验通过的行（跳过有错误的行）"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "单个文件不超过 %(mb)d MB、%(rows)d 行；超过 %(job)d 行的文件转入后台导入，可离开本页，"
            "完成后在“我的后台任务”中查看结果。"
        ) % {
            "mb": settings.ANLAN_IMPORT_MAX_BYTES // 2**20,
            "rows": settings.ANLAN_IMPORT_MAX_ROWS,
            "job": settings.ANLAN_IMPORT_JOB_ROWS,
        }

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("只支持 .xlsx 格式的 Excel 文件。"))
        if upload.size > settings.ANLAN_IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("文件过大：上限为 %(mb)d MB。") % {"mb": settings.ANLAN_IMPORT_MAX_BYTES // (1024 * 1024)}
            )
        return upload
