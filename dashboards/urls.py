from django.urls import path

from . import views

INDICATOR = "indicator_detail"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("departments/", views.departments_compare, name="departments_compare"),
    path("departments/<int:pk>/", views.department_detail, name="department_detail"),
    path("plans/<slug:slug>/indicators/<int:number>/", views.indicator_detail, name=INDICATOR),
    path("reports/<slug:slug>/<int:year>.xlsx", views.progress_report, name="progress_report"),
]
