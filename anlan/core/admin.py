"""Django admin for system administrators (superusers): accounts, memberships and reference data.

Day-to-day registry work goes through the pages and services, which check jurisdiction; the admin
is for set-up (users and their roles) and keeps the same history through django-simple-history.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    CalendarDay,
    CalendarYear,
    Department,
    Enterprise,
    Grid,
    Industry,
    Job,
    Licence,
    Membership,
    Person,
    ReceiptTask,
    RecordTag,
    Region,
    ScheduleSlot,
    TaggedRecord,
    Unit,
    User,
    WorkerBeat,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["region", "department", "enterprise", "grid"]
    fields = ["role", "region", "department", "enterprise", "grid", "title", "is_active"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "real_name", "phone", "is_active", "last_login"]
    search_fields = ["username", "real_name", "phone"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("联系方式"), {"fields": ("real_name", "phone")}),
    )


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "role", "region", "department", "enterprise", "grid", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["user__username", "user__real_name"]
    autocomplete_fields = ["user", "region", "department", "enterprise", "grid"]


@admin.register(Region)
class RegionAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "level", "kind", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]


@admin.register(Grid)
class GridAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "region"]
    search_fields = ["name", "code", "region__name"]
    raw_id_fields = ["region"]


@admin.register(Industry)
class IndustryAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "parent", "gb4754", "section", "sort"]
    list_filter = ["section"]
    search_fields = ["name", "code"]
    readonly_fields = ["section"]  # derived from gb4754 on save


@admin.register(Department)
class DepartmentAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "region", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]
    raw_id_fields = ["region"]
    filter_horizontal = ["industries"]


class LicenceInline(admin.TabularInline):
    model = Licence
    extra = 0


@admin.register(Enterprise)
class EnterpriseAdmin(SimpleHistoryAdmin):
    list_display = ["name", "uscc", "region", "industry", "status"]
    list_filter = ["status", "has_major_hazard_source", "is_crowded_place"]
    search_fields = ["name", "uscc"]
    raw_id_fields = ["region", "grid"]
    inlines = [LicenceInline]
    list_select_related = ["region", "industry"]


# ---------------------------------------------------------------- kernel registries


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "region", "phone", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]
    raw_id_fields = ["region", "department", "enterprise"]
    list_select_related = ["region"]


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["name", "id_number", "phone", "employer", "user"]
    search_fields = ["name", "id_number", "phone"]
    raw_id_fields = ["employer", "user"]
    list_select_related = ["employer", "user"]


class CalendarDayInline(admin.TabularInline):
    model = CalendarDay
    extra = 0
    fields = ["date", "kind", "name"]


@admin.register(CalendarYear)
class CalendarYearAdmin(SimpleHistoryAdmin):
    """A county adds or corrects a year here (or with `manage.py anlan_calendar import FILE`)."""

    list_display = ["year", "published_on", "source"]
    inlines = [CalendarDayInline]


@admin.register(ReceiptTask)
class ReceiptTaskAdmin(SimpleHistoryAdmin):
    """Read-only: receipts change only through their services (send, confirm, cancel, the sweep)."""

    list_display = [
        "title",
        "kind",
        "recipient_unit",
        "recipient_user",
        "status",
        "confirm_by",
        "escalation_level",
    ]
    list_filter = ["status", "kind"]
    search_fields = ["title"]
    list_select_related = ["recipient_unit", "recipient_user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RecordTag)
class RecordTagAdmin(SimpleHistoryAdmin):
    list_display = ["code", "label", "owner_unit"]
    search_fields = ["code", "label"]
    raw_id_fields = ["owner_unit"]


@admin.register(TaggedRecord)
class TaggedRecordAdmin(admin.ModelAdmin):
    list_display = ["tag", "content_type", "object_id", "tagged_by", "tagged_at"]
    list_filter = ["tag"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# ---------------------------------------------------------------- background work (read-only: the worker writes them)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Job)
class JobAdmin(ReadOnlyAdmin):
    list_display = [
        "label",
        "kind",
        "owner",
        "status",
        "attempt",
        "progress_done",
        "progress_total",
        "created_at",
    ]
    list_filter = ["status", "kind"]
    search_fields = ["label", "owner__username"]
    date_hierarchy = "created_at"


@admin.register(ScheduleSlot)
class ScheduleSlotAdmin(ReadOnlyAdmin):
    list_display = ["schedule", "slot", "claimed_by", "claimed_at", "job"]
    list_filter = ["schedule"]


@admin.register(WorkerBeat)
class WorkerBeatAdmin(ReadOnlyAdmin):
    list_display = ["worker_id", "host", "pid", "started_at", "beat_at"]
