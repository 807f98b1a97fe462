"""Admin for the configuration of this module only: which enterprise categories must keep an 应急值班.
Everything else changes through the services (pages and API)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import DutyCategory


@admin.register(DutyCategory)
class DutyCategoryAdmin(SimpleHistoryAdmin):
    """One row per enterprise category (seeded by the migration): switch `required` rather than delete."""

    list_display = ["category", "required", "basis", "note"]
    list_editable = ["required"]
    list_filter = ["required"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
