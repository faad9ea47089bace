from django.urls import path

from . import upload_views

urlpatterns = [
    path(
        "report/<slug:slug>/<int:year>/template.xlsx",
        upload_views.actual_template,
        name="actual_template",
    ),
    path("report/<slug:slug>/<int:year>/upload/", upload_views.actual_upload, name="actual_upload"),
]
