from django.urls import path

from indicators.reporting import views as reporting_views

from . import api, report_views, task_views, views

urlpatterns = [
    # Stable entry points for the navigation: each redirects to the plan that has the data.
    path("projects/", views.project_index, name="project_index"),
    path("projects/dashboard/", views.dashboard_index, name="dashboard_index"),
    path("projects/report/", report_views.report_index, name="project_report_index"),
    # The one review queue of every reported figure, under the projects' old address too.
    path("projects/review/", reporting_views.review_page, name="project_review"),
    path("projects/review/decide/", reporting_views.review_decide),
    path("projects/<slug:slug>/", views.project_list, name="project_list"),
    path(
        "projects/<slug:slug>/dashboard/",
        views.investment_dashboard,
        name="investment_dashboard",
    ),
    path(
        "projects/<slug:slug>/report/<int:year>/",
        report_views.report_page,
        name="project_report",
    ),
    *report_views.INVESTMENTS_EXCEL.urls("projects/<slug:slug>/report/<int:year>/"),
    path(
        "projects/<slug:slug>/report/<int:year>/<int:number>/",
        report_views.report_save,
        name="project_report_save",
    ),
    path("projects/<slug:slug>/<int:number>/", views.project_detail, name="project_detail"),
    path(
        "projects/<slug:slug>/<int:number>/status/",
        views.project_status,
        name="project_status",
    ),
    path(
        "projects/<slug:slug>/<int:number>/history/<int:year>/",
        report_views.investment_history,
        name="investment_history",
    ),
    path("tasks/", task_views.task_index, name="task_index"),
    path("tasks/report/", task_views.task_report_index, name="task_report_index"),
    path("tasks/<slug:slug>/", task_views.task_board, name="task_board"),
    path("tasks/<slug:slug>/report/<int:year>/", task_views.task_report, name="task_report"),
    *task_views.TASKS_EXCEL.urls("tasks/<slug:slug>/report/<int:year>/"),
    path(
        "tasks/<slug:slug>/report/<int:year>/milestones/<int:pk>/",
        task_views.progress_save_view,
        name="progress_save",
    ),
    path(
        "tasks/<slug:slug>/report/<int:year>/enterprises/<int:pk>/",
        task_views.enterprise_save,
        name="enterprise_save",
    ),
    path(
        "tasks/<slug:slug>/milestones/<int:pk>/history/<int:year>/",
        task_views.progress_history,
        name="progress_history",
    ),
    path("api/v1/plans/<slug:slug>/projects/", api.plan_projects, name="api_plan_projects"),
    path("api/v1/plans/<slug:slug>/tasks/", api.plan_tasks, name="api_plan_tasks"),
]
