from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Notification, Preference


@admin.register(Notification)
class NotificationAdmin(SimpleHistoryAdmin):
    list_display = ["title", "recipient", "kind", "created_at", "read_at"]
    list_filter = ["kind"]
    search_fields = ["title", "recipient__username"]


@admin.register(Preference)
class PreferenceAdmin(SimpleHistoryAdmin):
    list_display = ["user", "default_plan"]
