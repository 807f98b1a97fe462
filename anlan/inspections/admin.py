"""Admin for the configuration of this module only: the 复产验收 sign-off chain per county and the 安全生产记分
scheme. Everything else changes through the services (pages and API)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ScoringRule, SignoffStep


@admin.register(SignoffStep)
class SignoffStepAdmin(SimpleHistoryAdmin):
    list_display = ["region", "order", "approver", "name"]
    list_filter = ["approver"]
    ordering = ["region_id", "order"]


@admin.register(ScoringRule)
class ScoringRuleAdmin(SimpleHistoryAdmin):
    list_display = ["code", "violation", "points", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "violation"]
