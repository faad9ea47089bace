from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Actual,
    Comment,
    Department,
    Evidence,
    Indicator,
    IndicatorGroup,
    Plan,
    ReportingDeadline,
    SheetImport,
    Target,
    User,
)

admin.site.site_header = _("规划指标监测平台 管理后台")
admin.site.site_title = _("规划指标监测平台")
admin.site.index_title = _("数据管理")


@admin.register(Department)
class DepartmentAdmin(SimpleHistoryAdmin):
    list_display = ["name", "created_at"]
    search_fields = ["name"]


@admin.register(User)
class PlanUserAdmin(UserAdmin):
    list_display = ["username", "department", "role", "is_active", "last_login"]
    list_filter = ["role", "department", "is_active"]
    # The role decides the groups (see indicators.users), so groups are not edited by hand.
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("单位与角色"), {"fields": ("department", "role")}),
        (_("个人信息"), {"fields": ("first_name", "last_name", "email")}),
        (_("状态"), {"fields": ("is_active", "is_staff", "is_superuser", "last_login")}),
    )
    add_fieldsets = (
        (None, {"fields": ("username", "password1", "password2", "department", "role")}),
    )
    readonly_fields = ["last_login"]


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0
    fields = ["year", "value", "text", "is_derived"]


@admin.register(Plan)
class PlanAdmin(SimpleHistoryAdmin):
    list_display = ["short_name", "slug", "document_number", "base_year", "first_year", "last_year"]
    prepopulated_fields = {"slug": ["short_name"]}


@admin.register(IndicatorGroup)
class IndicatorGroupAdmin(SimpleHistoryAdmin):
    list_display = ["name", "plan", "order"]
    list_filter = ["plan"]


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["number", "name", "plan", "group", "unit", "attribute", "lead_department"]
    list_display_links = ["number", "name"]
    list_filter = ["plan", "attribute", "lead_department"]
    search_fields = ["name"]
    list_select_related = ["plan", "group", "lead_department"]
    filter_horizontal = ["responsible_departments"]
    inlines = [TargetInline]


@admin.register(Target)
class TargetAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "year", "value", "text", "is_derived"]
    list_filter = ["indicator__plan", "year", "is_derived"]
    list_select_related = ["indicator", "indicator__plan"]


@admin.register(SheetImport)
class SheetImportAdmin(admin.ModelAdmin):
    list_display = ["file_name", "plan", "uploaded_by", "uploaded_at", "status", "applied_at"]
    list_filter = ["plan", "status"]
    exclude = ["content"]
    readonly_fields = [
        "plan",
        "file_name",
        "sha256",
        "uploaded_by",
        "uploaded_at",
        "status",
        "preview_digest",
        "applied_at",
        "summary",
    ]

    def has_add_permission(self, request):
        return False


@admin.register(Actual)
class ActualAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "year", "value", "text_status", "kind", "state", "version"]
    list_filter = ["indicator__plan", "year", "state", "kind"]
    list_select_related = ["indicator", "indicator__plan"]
    # Figures change through the reporting workflow (with its checks and version guard),
    # never by hand here; the admin shows them and their history.
    readonly_fields = [field.name for field in Actual._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Evidence)
class EvidenceAdmin(SimpleHistoryAdmin):
    list_display = [
        "original_name",
        "indicator",
        "year",
        "department",
        "uploaded_by",
        "uploaded_at",
    ]
    list_select_related = ["indicator", "department", "uploaded_by"]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["indicator", "year", "department", "author", "created_at"]
    list_select_related = ["indicator", "department", "author"]


@admin.register(ReportingDeadline)
class ReportingDeadlineAdmin(SimpleHistoryAdmin):
    list_display = ["plan", "year", "due_date", "set_by"]
