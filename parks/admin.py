from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import IndicatorLink, PublishedFigure, SourceDocument


@admin.register(SourceDocument)
class SourceDocumentAdmin(SimpleHistoryAdmin):
    list_display = ["key", "title", "authors", "published"]


class IndicatorLinkInline(admin.TabularInline):
    model = IndicatorLink
    extra = 0
    autocomplete_fields = ["indicator"]


@admin.register(PublishedFigure)
class PublishedFigureAdmin(SimpleHistoryAdmin):
    list_display = ["entity", "metric", "kind", "period", "value", "unit", "uncertain", "source"]
    list_filter = ["source", "kind", "entity_kind", "uncertain"]
    search_fields = ["entity", "metric", "quote"]
    inlines = [IndicatorLinkInline]


@admin.register(IndicatorLink)
class IndicatorLinkAdmin(SimpleHistoryAdmin):
    list_display = ["figure", "indicator", "scope_note"]
    autocomplete_fields = ["indicator"]
