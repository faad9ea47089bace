from django.urls import include, path

from . import api, report_views, review_views, sample_views, views
from .actual_import import ACTUALS_EXCEL
from .evaluation import api as evaluation_api
from .plan_import import views as sheet_views
from .reporting import views as reporting_views

REPORT = "report/<slug:slug>/<int:year>/"
LINE = f"{REPORT}<int:number>/"
IMPORT = "imports/<int:pk>/"

urlpatterns = [
    path("", include("indicators.lifecycle.urls")),  # before plans/<slug>/: plans/new/
    path("plans/", views.home, name="plan_list"),
    path("plans/<slug:slug>/", views.plan_detail, name="plan_detail"),
    path("plans/<slug:slug>/import/", sheet_views.sheet_upload, name="sheet_upload"),
    path(IMPORT, sheet_views.sheet_import_preview, name="sheet_import_preview"),
    path(f"{IMPORT}confirm/", sheet_views.sheet_import_confirm, name="sheet_import_confirm"),
    path(f"{IMPORT}discard/", sheet_views.sheet_import_discard, name="sheet_import_discard"),
    path("report/", report_views.report_home, name="report_home"),
    *ACTUALS_EXCEL.urls(REPORT),
    path(REPORT, report_views.report_page, name="report_page"),
    path(LINE, report_views.report_save, name="report_save"),
    path(f"{LINE}comment/", report_views.report_comment, name="report_comment"),
    path(f"{LINE}history/", report_views.report_history, name="report_history"),
    path("evidence/<int:pk>/", report_views.evidence_download, name="evidence_download"),
    path("samples/remove/", sample_views.samples_remove, name="samples_remove"),
    path("review/", reporting_views.review_page, name="review_queue"),
    path("review/decide/", reporting_views.review_decide, name="review_decide"),
    path("deadlines/", review_views.deadlines, name="deadlines"),
    path("deadlines/<slug:slug>/<int:year>/", review_views.deadline_set, name="deadline_set"),
    path("deadlines/<slug:slug>/<int:year>/remind/", review_views.reminders, name="reminders"),
    path("api/v1/plans/", api.plan_list, name="api_plan_list"),
    path("api/v1/plans/<slug:slug>/indicators/", api.plan_indicators, name="api_plan_indicators"),
    path("api/v1/plans/<slug:slug>/progress/", api.plan_progress_view, name="api_plan_progress"),
    path(
        "api/v1/plans/<slug:slug>/evaluation/",
        evaluation_api.plan_evaluation_view,
        name="api_plan_evaluation",
    ),
]
