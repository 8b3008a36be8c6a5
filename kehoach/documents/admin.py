from django.contrib import admin

from kehoach.documents.models import SourceDocument


@admin.register(SourceDocument)
class SourceDocumentAdmin(admin.ModelAdmin):
    list_display = ["number", "doc_type", "issuer", "date"]
    search_fields = ["number", "title", "issuer"]
    list_filter = ["doc_type"]
    readonly_fields = ["number_key"]
