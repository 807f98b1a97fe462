"""Type-ahead pickers: a choice among the enterprises of a scope that may hold 100 000 of them.

The page never lists the choices. `EnterprisePicker` renders a <select> holding only the chosen option, with the
address of `core:enterprise-search` in its data attributes; `core/picker.js` turns it into a tom-select that asks
that endpoint (`selectors.enterprise_choices`) as the user types. The field still validates against its scoped
queryset: an id out of the user's scope is refused like an id that does not exist.
"""

from __future__ import annotations

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import Enterprise

PICKER_PLACEHOLDER = _("输入单位名称、拼音首字母或统一社会信用代码")
NO_MATCH = _("无匹配结果")
OUT_OF_SCOPE = _("所选生产经营单位不存在或不在您的管辖范围内，请重新输入名称选择。")


def place_label(enterprise: Enterprise) -> str:
    """Where an enterprise is: its town and village (or its town), so namesakes can be told apart."""
    region = enterprise.region
    parent = region.parent if region.level >= region.Level.VILLAGE else None
    return f"{parent.name}{region.name}" if parent else region.name


def enterprise_label(enterprise: Enterprise) -> str:
    """名称 · 统一社会信用代码 · 区划: the label of a choice, in the drop-down and once chosen."""
    return f"{enterprise.name} · {enterprise.uscc} · {place_label(enterprise)}"


def enterprise_choice(enterprise: Enterprise) -> dict:
    """One result of the search endpoint, as the widget reads it."""
    return {
        "value": enterprise.pk,
        "text": enterprise_label(enterprise),
        "name": enterprise.name,
        "uscc": enterprise.uscc,
        "region": place_label(enterprise),
    }


class EnterprisePicker(forms.Select):
    """A <select> holding only the selected enterprise (looked up in the field's scoped queryset)."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].update(
            {
                "data-picker": "enterprise",
                "data-search-url": reverse("core:enterprise-search"),
                "data-placeholder": str(PICKER_PLACEHOLDER),
                "data-no-results": str(NO_MATCH),
                "autocomplete": "off",
            }
        )
        return context

    def optgroups(self, name, value, attrs=None):
        chosen = [v for v in value if str(v).isdigit()]
        found = []
        if chosen:  # the field's queryset is the user's scope: a foreign id renders as nothing chosen
            queryset = self.choices.queryset.select_related("region__parent").filter(pk__in=chosen)
            found = [(str(e.pk), enterprise_label(e)) for e in queryset]
        options = [("", "")] + found
        return [
            (None, [self.create_option(name, v, label, v != "" or not found, index)], index)
            for index, (v, label) in enumerate(options)
        ]


class EnterpriseChoiceField(forms.ModelChoiceField):
    """An enterprise of the user's scope, picked by typing ahead. Give it `Enterprise.objects.for_user(user)`."""

    widget = EnterprisePicker
    default_error_messages = {"invalid_choice": OUT_OF_SCOPE}

    def __init__(self, queryset=None, **kwargs):
        kwargs.setdefault("empty_label", "")
        super().__init__(queryset if queryset is not None else Enterprise.objects.none(), **kwargs)

    def label_from_instance(self, obj):
        return enterprise_label(obj)
