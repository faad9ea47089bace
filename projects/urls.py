from django.urls import path

from indicators.reporting import views as reporting_views

from . import api, report_views, task_views, views

PROJECT = "projects/<slug:slug>/"
PROJECT_REPORT = f"{PROJECT}report/<int:year>/"
TASKS = "tasks/<slug:slug>/"
TASK_REPORT = f"{TASKS}report/<int:year>/"
HISTORY = "history/<int:year>/"
HISTORIES = ("investment_history", "progress_history")

urlpatterns = [
    # Stable entry points for the navigation: each redirects to the plan that has the data.
    path("projects/", views.project_index, name="project_index"),
    path("projects/dashboard/", views.dashboard_index, name="dashboard_index"),
    path("projects/report/", report_views.report_index, name="project_report_index"),
    # The one review queue of every reported figure, under the projects' old address too.
    path("projects/review/", reporting_views.review_page, name="project_review"),
    path("projects/review/decide/", reporting_views.review_decide),
    path(PROJECT, views.project_list, name="project_list"),
    path(f"{PROJECT}dashboard/", views.investment_dashboard, name="investment_dashboard"),
    path(PROJECT_REPORT, report_views.report_page, name="project_report"),
    *report_views.INVESTMENTS_EXCEL.urls(PROJECT_REPORT),
    path(f"{PROJECT_REPORT}<int:number>/", report_views.report_save, name="project_report_save"),
    path(f"{PROJECT}<int:number>/", views.project_detail, name="project_detail"),
    path(f"{PROJECT}<int:number>/status/", views.project_status, name="project_status"),
    path(f"{PROJECT}<int:number>/{HISTORY}", report_views.investment_history, name=HISTORIES[0]),
    path("tasks/", task_views.task_index, name="task_index"),
    path("tasks/report/", task_views.task_report_index, name="task_report_index"),
    path(TASKS, task_views.task_board, name="task_board"),
    path(TASK_REPORT, task_views.task_report, name="task_report"),
    *task_views.TASKS_EXCEL.urls(TASK_REPORT),
    path(f"{TASK_REPORT}milestones/<int:pk>/", task_views.progress_save_view, name="progress_save"),
    path(f"{TASK_REPORT}enterprises/<int:pk>/", task_views.enterprise_save, name="enterprise_save"),
    path(f"{TASKS}milestones/<int:pk>/{HISTORY}", task_views.progress_history, name=HISTORIES[1]),
    path("api/v1/plans/<slug:slug>/projects/", api.plan_projects, name="api_plan_projects"),
    path("api/v1/plans/<slug:slug>/tasks/", api.plan_tasks, name="api_plan_tasks"),
]
