from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from indicators.reporting.figure import WORKFLOW_FIELDS

from .models import (
    Enterprise,
    KeyTask,
    Milestone,
    MilestoneProgress,
    Project,
    ProjectInvestment,
    TaskItem,
)


class TaskItemInline(admin.TabularInline):
    model = TaskItem
    extra = 0
    fields = ["number", "title", "text"]


@admin.register(KeyTask)
class KeyTaskAdmin(SimpleHistoryAdmin):
    list_display = ["number", "name", "plan"]
    list_filter = ["plan"]
    filter_horizontal = ["lead_departments", "responsible_departments"]
    inlines = [TaskItemInline]


@admin.register(TaskItem)
class TaskItemAdmin(SimpleHistoryAdmin):
    list_display = ["task", "number", "title"]
    list_filter = ["task__plan", "task"]


@admin.register(Milestone)
class MilestoneAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "target_value", "unit", "attribute", "target_year", "direction"]
    list_filter = ["task__plan", "task", "attribute", "direction"]
    filter_horizontal = ["lead_departments"]
    search_fields = ["name", "text"]


@admin.register(MilestoneProgress)
class MilestoneProgressAdmin(SimpleHistoryAdmin):
    list_display = ["milestone", "year", "value", "state", "approved_value", "is_demo"]
    list_filter = ["state", "year", "is_demo", "milestone__task"]
    readonly_fields = [*WORKFLOW_FIELDS, "approved_value"]


@admin.register(Enterprise)
class EnterpriseAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "order", "status", "updated_by", "updated_at"]
    list_filter = ["kind", "status", "task__plan"]
    search_fields = ["name"]
    readonly_fields = ["version", "updated_by", "updated_at"]


class ProjectInvestmentInline(admin.TabularInline):
    model = ProjectInvestment
    extra = 0
    fields = ["year", "planned", "completed", "state", "approved_planned", "approved_completed"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True


@admin.register(Project)
class ProjectAdmin(SimpleHistoryAdmin):
    list_display = [
        "number",
        "name",
        "category",
        "builder",
        "total_investment",
        "status",
        "supervising_department",
    ]
    list_filter = ["plan", "category", "status", "supervising_department"]
    list_editable = ["supervising_department"]
    search_fields = ["name", "builder"]
    # The source's own fields are loaded from fixtures/; the admin assigns the department.
    readonly_fields = ["plan", "number", "category", "name", "builder", "total_investment"]
    inlines = [ProjectInvestmentInline]

    def has_add_permission(self, request) -> bool:
        # Projects come from the plan's list (附件二) through load_plans, not by hand.
        return False


@admin.register(ProjectInvestment)
class ProjectInvestmentAdmin(SimpleHistoryAdmin):
    list_display = ["project", "year", "planned", "completed", "state", "is_demo"]
    list_filter = ["state", "year", "is_demo", "project__category"]
    search_fields = ["project__name"]
    readonly_fields = [*WORKFLOW_FIELDS, "approved_planned", "approved_completed"]
