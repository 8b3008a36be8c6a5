from django.contrib import admin

from kehoach.feedback.models import Holiday, RoutingRule


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ["ward", "category", "unit"]
    list_filter = ["category"]
    autocomplete_fields = ["ward", "unit"]
    list_select_related = ["ward", "unit"]


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ["date", "name"]
    date_hierarchy = "date"
