from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import DocumentNumber, IssuedDocument


@admin.register(DocumentNumber)
class DocumentNumberAdmin(admin.ModelAdmin):
    list_display = ["issuer", "kind", "year", "last"]
    list_filter = ["kind", "year"]
    readonly_fields = ["issuer", "kind", "year", "last"]  # numbers change only through next_number


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(SimpleHistoryAdmin):
    list_display = ["number", "title", "issuer", "issued_at", "issued_by"]
    list_filter = ["kind", "year"]
    search_fields = ["number", "title"]
    readonly_fields = ["number", "serial", "year", "issued_at", "issued_by"]
