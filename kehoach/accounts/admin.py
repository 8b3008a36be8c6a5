from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kehoach.accounts import services
from kehoach.accounts.models import ApiToken, Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["unit"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "full_name", "position", "is_active", "is_staff", "has_two_factor"]
    search_fields = ["username", "full_name", "email"]
    list_select_related = ["two_factor"]
    actions = ["reset_two_factor"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (_("Work"), {"fields": ["full_name", "position", "phone"]}),
    ]

    @admin.display(boolean=True, description=_("Two-step sign-in"))
    def has_two_factor(self, obj: User) -> bool:
        return hasattr(obj, "two_factor")

    @admin.action(description=_("Reset two-step sign-in (lost phone)"))
    def reset_two_factor(self, request, queryset) -> None:
        done = sum(services.reset_two_factor(actor=request.user, user=u) for u in queryset)
        self.message_user(
            request,
            ngettext(
                "Two-step sign-in was reset for %(count)d person; they set it up again at "
                "their next sign-in.",
                "Two-step sign-in was reset for %(count)d people; they set it up again at "
                "their next sign-in.",
                done,
            )
            % {"count": done},
            messages.SUCCESS,
        )


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "unit", "role"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__full_name", "unit__name"]
    autocomplete_fields = ["user", "unit"]
    list_select_related = ["user", "unit"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "user", "created_at", "expires_at", "last_used_at", "revoked"]
    list_filter = ["revoked"]
    readonly_fields = ["user", "prefix", "expires_at", "last_used_at", "created_at"]
    exclude = ["key_hash"]
    list_select_related = ["user"]

    def has_add_permission(self, request) -> bool:
        return False
