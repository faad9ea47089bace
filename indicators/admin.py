from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.utils.translation import gettext_lazy as _

from .admin_display import ReadableHistoryAdmin, figure_column, readonly_figures
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
from .users import managed_users, manages, role_apply, role_group_apply

admin.site.site_header = _("规划指标监测平台 管理后台")
admin.site.site_title = _("规划指标监测平台")
admin.site.index_title = _("数据管理")


@admin.register(Department)
class DepartmentAdmin(ReadableHistoryAdmin):
    list_display = ["name", "created_at"]
    search_fields = ["name"]


# Fields that lift a user towards superuser: only a superuser sees or sets them.
PRIVILEGE_FIELDS = frozenset({"is_superuser", "is_staff", "groups", "user_permissions"})


@admin.register(User)
class PlanUserAdmin(UserAdmin):
    """Users for the plan office, and everything about users for a superuser.

    A 管理员 (not a superuser) sees and manages only the users `users.manages` allows:
    never a superuser or another 管理员, nor their own account (their password changes
    through the admin's normal password change). Their forms have no superuser or staff
    flag, groups or permissions; save_model refuses those flags even if a form let one
    through. The staff flag and the role's group follow the role (users.role_apply), for
    a superuser too; a superuser may add groups and permissions by hand.
    """

    list_display = ["username", "department", "role", "is_active", "last_login"]
    list_filter = ["role", "department", "is_active"]
    list_select_related = ["department"]
    autocomplete_fields = ["department"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("单位与角色"), {"fields": ("department", "role")}),
        (_("个人信息"), {"fields": ("first_name", "last_name", "email")}),
        (_("状态"), {"fields": ("is_active", "last_login")}),
    )
    superuser_fieldsets = (
        *fieldsets[:3],
        (_("状态"), {"fields": ("is_active", "is_superuser", "is_staff", "last_login")}),
        (_("组与权限"), {"fields": ("groups", "user_permissions")}),
    )
    add_fieldsets = (
        (None, {"fields": ("username", "password1", "password2", "department", "role")}),
    )
    # The role decides the staff flag, so nobody ticks it by hand.
    readonly_fields = ["last_login", "is_staff"]

    def get_queryset(self, request):
        return managed_users(request.user, super().get_queryset(request))

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._manages(request, obj)

    def has_change_permission(self, request, obj=None):
        # Also guards the password form: user_change_password asks this for its user.
        return super().has_change_permission(request, obj) and self._manages(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._manages(request, obj)

    def get_fieldsets(self, request, obj=None):
        if obj is not None and request.user.is_superuser:
            return self.superuser_fieldsets
        return super().get_fieldsets(request, obj)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if not request.user.is_superuser and PRIVILEGE_FIELDS & set(form.base_fields):
            raise ImproperlyConfigured("a non-superuser's user form must not hold privilege fields")
        return form

    def save_model(self, request, obj, form, change):
        if not request.user.is_superuser:
            self._refuse_privileges(request, obj, form, change)
        role_apply(obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if "groups" in form.fields:  # a superuser's form: its groups replaced the role group
            role_group_apply(form.instance)

    @staticmethod
    def _manages(request, obj) -> bool:
        return obj is None or manages(request.user, obj)

    @staticmethod
    def _refuse_privileges(request, obj, form, change) -> None:
        """Defence in depth for a 管理员's save, whatever the form let through."""
        stored = User.objects.filter(pk=obj.pk).first() if change else None
        if change and (stored is None or not manages(request.user, stored)):
            raise PermissionDenied
        # Neither flag is theirs to set; role_apply sets is_staff for a 管理员 role after.
        if obj.is_superuser or obj.is_staff:
            raise PermissionDenied
        if form is not None and PRIVILEGE_FIELDS & set(form.fields):
            raise PermissionDenied


admin.site.unregister(Group)


@admin.register(Group)
class SuperuserGroupAdmin(GroupAdmin):
    """Groups, and the permissions in them, are a superuser's alone."""

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0
    fields = ["year", "value", "text", "is_derived"]
    formfield_overrides = ReadableHistoryAdmin.formfield_overrides


@admin.register(Plan)
class PlanAdmin(ReadableHistoryAdmin):
    list_display = ["short_name", "slug", "document_number", "base_year", "first_year", "last_year"]
    prepopulated_fields = {"slug": ["short_name"]}
    search_fields = ["name", "short_name", "slug"]
    autocomplete_fields = ["predecessor"]


@admin.register(IndicatorGroup)
class IndicatorGroupAdmin(ReadableHistoryAdmin):
    list_display = ["name", "plan", "order"]
    list_filter = ["plan"]
    list_select_related = ["plan"]


@admin.register(Indicator)
class IndicatorAdmin(ReadableHistoryAdmin):
    list_display = [
        "number",
        "name",
        "plan",
        "group",
        "unit",
        "attribute",
        figure_column(Indicator, "base_value"),
        "lead_department",
    ]
    list_display_links = ["number", "name"]
    list_filter = ["plan", "attribute", "lead_department"]
    search_fields = ["name"]
    list_select_related = ["plan", "group", "lead_department"]
    filter_horizontal = ["responsible_departments"]
    # predecessor: the 管理员 links an indicator to the one of the previous plan that
    # measures the same thing (one series across plans), searched by name.
    autocomplete_fields = ["lead_department", "predecessor"]
    inlines = [TargetInline]


@admin.register(Target)
class TargetAdmin(ReadableHistoryAdmin):
    list_display = ["indicator", "year", figure_column(Target, "value"), "text", "is_derived"]
    list_filter = ["indicator__plan", "year", "is_derived"]
    list_select_related = ["indicator", "indicator__plan"]
    autocomplete_fields = ["indicator"]


@admin.register(SheetImport)
class SheetImportAdmin(admin.ModelAdmin):
    list_display = ["file_name", "plan", "uploaded_by", "uploaded_at", "status", "applied_at"]
    list_filter = ["plan", "status"]
    list_select_related = ["plan", "uploaded_by"]
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
class ActualAdmin(ReadableHistoryAdmin):
    list_display = [
        "indicator",
        "year",
        figure_column(Actual, "value"),
        "text_status",
        "kind",
        "state",
        "version",
    ]
    list_filter = ["indicator__plan", "year", "state", "kind"]
    list_select_related = ["indicator", "indicator__plan"]
    # Figures change through the reporting workflow (with its checks and version guard),
    # never by hand here; the admin shows them and their history.
    readonly_fields = readonly_figures(Actual, [field.name for field in Actual._meta.fields])

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Evidence)
class EvidenceAdmin(ReadableHistoryAdmin):
    list_display = [
        "original_name",
        "indicator",
        "year",
        "department",
        "uploaded_by",
        "uploaded_at",
    ]
    list_select_related = ["indicator", "department", "uploaded_by"]
    autocomplete_fields = ["indicator", "department"]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["indicator", "year", "department", "author", "created_at"]
    list_select_related = ["indicator", "department", "author"]
    autocomplete_fields = ["indicator", "department"]


@admin.register(ReportingDeadline)
class ReportingDeadlineAdmin(ReadableHistoryAdmin):
    list_display = ["plan", "year", "due_date", "set_by"]
    list_select_related = ["plan", "set_by"]
