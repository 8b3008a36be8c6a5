from django.contrib import admin

from kehoach.plans import models as m


class TopicInline(admin.StackedInline):
    model = m.Topic
    extra = 0


class RecipientInline(admin.TabularInline):
    model = m.Recipient
    extra = 0


@admin.register(m.Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "unit", "date", "status"]
    list_filter = ["status", "family"]
    search_fields = ["number", "title"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit", "issuing_unit", "parent"]
    readonly_fields = ["source_text", "created_by"]
    inlines = [TopicInline, RecipientInline]


class DutyInline(admin.TabularInline):
    model = m.Duty
    extra = 0


@admin.register(m.Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["heading", "plan", "role"]
    list_select_related = ["plan"]
    search_fields = ["heading"]
    inlines = [DutyInline]
