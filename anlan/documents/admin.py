from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import DocumentNumber, IssuedDocument


class CounterAdmin(admin.ModelAdmin):
    """A numbering counter (`last` given in a sequence), shown read-only: only `next_in_sequence` changes it.
    Deleting or lowering one would hand out a number twice (the next issue restarts the sequence)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DocumentNumber)
class DocumentNumberAdmin(CounterAdmin):
    list_display = ["issuer", "kind", "year", "last"]
    list_filter = ["kind", "year"]


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(SimpleHistoryAdmin):
    """Issued documents keep their number for ever: they are issued only through `issue_document` and never
    deleted (a gap in the numbers would look like a withdrawn document)."""

    list_display = ["number", "title", "issuer", "issued_at", "issued_by"]
    list_filter = ["kind", "year"]
    search_fields = ["number", "title"]
    readonly_fields = ["number", "serial", "year", "issued_at", "issued_by"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
