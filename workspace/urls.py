from django.urls import path

from . import views

urlpatterns = [
    path("start/", views.landing, name="landing"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/read-all/", views.notifications_read, name="notifications_read_all"),
    path("notifications/<int:pk>/", views.notification_detail, name="notification_open"),
    path("settings/", views.preferences, name="preferences"),
]
