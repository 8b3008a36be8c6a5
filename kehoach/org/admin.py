from django.contrib import admin

from kehoach.org.models import Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "parent", "order", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]
    readonly_fields = ["retired_at", "created_at", "updated_at"]

    def has_delete_permission(self, request, obj=None) -> bool:
        # Units are retired, never deleted: their history must stay readable.
        return False
