from django.urls import path

from . import api, views

urlpatterns = [
    path("parks/", views.compare, name="parks_compare"),
    path("parks/figures/new/", views.figure_edit, name="parks_figure_new"),
    path("parks/figures/<int:pk>/edit/", views.figure_edit, name="parks_figure_edit"),
    path("parks/figures/<int:pk>/links/", views.link_add, name="parks_link_add"),
    path("parks/figures.xlsx", views.figures_download, name="parks_figures_download"),
    path("parks/upload/", views.upload, name="parks_upload"),
    path("api/v1/published/", api.published_list, name="api_published"),
]
