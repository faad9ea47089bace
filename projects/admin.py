from django.contrib import admin

from indicators.admin_display import ReadableHistoryAdmin, figure_column, readonly_figures
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
class KeyTaskAdmin(ReadableHistoryAdmin):
    list_display = ["number", "name", "plan"]
    list_filter = ["plan"]
    list_select_related = ["plan"]
    filter_horizontal = ["lead_departments", "responsible_departments"]
    inlines = [TaskItemInline]


@admin.register(TaskItem)
class TaskItemAdmin(ReadableHistoryAdmin):
    list_display = ["task", "number", "title"]
    list_filter = ["task__plan", "task"]
    list_select_related = ["task"]


@admin.register(Milestone)
class MilestoneAdmin(ReadableHistoryAdmin):
    list_display = [
        "code",
        "name",
        figure_column(Milestone, "target_value"),
        "unit",
        "attribute",
        "target_year",
        "direction",
    ]
    list_select_related = ["task"]
    list_filter = ["task__plan", "task", "attribute", "direction"]
    filter_horizontal = ["lead_departments"]
    search_fields = ["name", "text"]


@admin.register(MilestoneProgress)
class MilestoneProgressAdmin(ReadableHistoryAdmin):
    list_display = [
        "milestone",
        "year",
        figure_column(MilestoneProgress, "value"),
        "state",
        figure_column(MilestoneProgress, "approved_value"),
        "is_demo",
    ]
    list_filter = ["state", "year", "is_demo", "milestone__task"]
    list_select_related = ["milestone__task"]
    readonly_fields = readonly_figures(MilestoneProgress, [*WORKFLOW_FIELDS, "approved_value"])


@admin.register(Enterprise)
class EnterpriseAdmin(ReadableHistoryAdmin):
    list_display = ["name", "kind", "order", "status", "updated_by", "updated_at"]
    list_select_related = ["updated_by"]
    list_filter = ["kind", "status", "task__plan"]
    search_fields = ["name"]
    readonly_fields = ["version", "updated_by", "updated_at"]


class ProjectInvestmentInline(admin.TabularInline):
    model = ProjectInvestment
    extra = 0
    fields = ["year", "planned", "completed", "state", "approved_planned", "approved_completed"]
    readonly_fields = readonly_figures(ProjectInvestment, fields)
    can_delete = False
    show_change_link = True


@admin.register(Project)
class ProjectAdmin(ReadableHistoryAdmin):
    list_display = [
        "number",
        "name",
        "category",
        "builder",
        figure_column(Project, "total_investment"),
        "status",
        "supervising_department",
    ]
    list_filter = ["plan", "category", "status", "supervising_department"]
    list_select_related = ["supervising_department"]
    # The department is chosen in the change form by search: a dropdown of every
    # department on each row of the list cost a query and ~900 options per row.
    autocomplete_fields = ["supervising_department"]
    search_fields = ["name", "builder"]
    # The source's own fields are loaded from fixtures/; the admin assigns the department.
    readonly_fields = readonly_figures(
        Project, ["plan", "number", "category", "name", "builder", "total_investment"]
    )
    inlines = [ProjectInvestmentInline]

    def has_add_permission(self, request) -> bool:
        # Projects come from the plan's list (附件二) through load_plans, not by hand.
        return False


@admin.register(ProjectInvestment)
class ProjectInvestmentAdmin(ReadableHistoryAdmin):
    list_display = [
        "project",
        "year",
        figure_column(ProjectInvestment, "planned"),
        figure_column(ProjectInvestment, "completed"),
        "state",
        "is_demo",
    ]
    list_select_related = ["project"]
    list_filter = ["state", "year", "is_demo", "project__category"]
    search_fields = ["project__name"]
    readonly_fields = readonly_figures(
        ProjectInvestment, [*WORKFLOW_FIELDS, "approved_planned", "approved_completed"]
    )
