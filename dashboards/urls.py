from django.urls import path

from . import search, views
from .evaluation import views as evaluation

INDICATOR = "indicator_detail"
EVALUATION = "reports/<slug:slug>/evaluation-<int:year>"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("search/", search.search, name="search"),
    path("departments/", views.departments_compare, name="departments_compare"),
    path("departments/<int:pk>/", views.department_detail, name="department_detail"),
    path("plans/<slug:slug>/indicators/<int:number>/", views.indicator_detail, name=INDICATOR),
    path("reports/<slug:slug>/<int:year>.xlsx", views.progress_report, name="progress_report"),
    path("plans/<slug:slug>/evaluation/", evaluation.evaluation_page, name="evaluation"),
    path(f"{EVALUATION}.xlsx", evaluation.evaluation_xlsx, name="evaluation_xlsx"),
    path(f"{EVALUATION}.docx", evaluation.evaluation_docx, name="evaluation_docx"),
]
