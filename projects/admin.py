from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import KeyTask


@admin.register(KeyTask)
class KeyTaskAdmin(SimpleHistoryAdmin):
    list_display = ["number", "name", "plan"]
    list_filter = ["plan"]
    filter_horizontal = ["lead_departments", "responsible_departments"]
