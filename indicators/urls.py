from django.urls import path

from . import api, views

urlpatterns = [
    path("", views.home, name="home"),
    path("plans/<slug:slug>/", views.plan_detail, name="plan_detail"),
    path("plans/<slug:slug>/import/", views.sheet_upload, name="sheet_upload"),
    path("imports/<int:pk>/", views.sheet_import_preview, name="sheet_import_preview"),
    path("imports/<int:pk>/confirm/", views.sheet_import_confirm, name="sheet_import_confirm"),
    path("imports/<int:pk>/discard/", views.sheet_import_discard, name="sheet_import_discard"),
    path("api/v1/plans/", api.plan_list, name="api_plan_list"),
    path("api/v1/plans/<slug:slug>/indicators/", api.plan_indicators, name="api_plan_indicators"),
]
