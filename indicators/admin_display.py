"""The Django admin, readable: plain figures and a history people can read.

Figures are DecimalFields with four places; the admin would show 1447.0000 in lists,
read-only fields, inputs and history. Here they go through indicators/formatting.py
(1,447). The history view of django-simple-history writes a blank foreign key as
“Deleted 单位 (pk=None)” and a blank value as “None”; ReadableHistoryAdmin writes —,
the choice's label, 是/否, a local time, and names a history row even when its object's
own text cannot be built (a deleted indicator under a target).
"""

from datetime import datetime
from decimal import Decimal

from django import forms
from django.contrib import admin
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper

from .formatting import MISSING, grouped_decimal, plain_decimal

SYSTEM_USER = "系统（命令或导入）"


def figure_column(model, name: str):
    """Return an admin display function showing the Decimal field `name` plainly (1,447)."""

    @admin.display(description=model._meta.get_field(name).verbose_name, ordering=name)
    def shown(obj) -> str:
        return grouped_decimal(getattr(obj, name)) or MISSING

    shown.__name__ = f"{name}_shown"
    return shown


def readonly_figures(model, names) -> list:
    """`names` for readonly_fields, with every DecimalField shown plainly instead."""
    fields = []
    for name in names:
        field = model._meta.get_field(name)
        if isinstance(field, models.DecimalField):
            fields.append(figure_column(model, name))
        else:
            fields.append(name)
    return fields


class PlainNumberInput(forms.NumberInput):
    """A number input that shows 1447, not 1447.0000."""

    def format_value(self, value):
        if isinstance(value, Decimal):
            return plain_decimal(value)
        return super().format_value(value)


def readable_value(field, value):
    """A historical field value as people read it; — for blank."""
    if isinstance(value, DeletedObject):
        if value.pk is None:
            return MISSING
        return f"已删除的{value.model._meta.verbose_name}（编号 {value.pk}）"
    if value is None or value == "":
        return MISSING
    if isinstance(value, bool):
        return "是" if value else "否"
    if getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, Decimal):
        return grouped_decimal(value)
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return value


class ReadableHistoryHelper(HistoricalRecordContextHelper):
    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if isinstance(field, models.ManyToManyField):
            return super().prepare_delta_change_value(change, value)
        return readable_value(field, value)


class ReadableHistoryAdmin(SimpleHistoryAdmin):
    """SimpleHistoryAdmin with plain figures everywhere and a readable history list."""

    object_history_list_template = "admin/indicators/readable_history_list.html"
    formfield_overrides = {models.DecimalField: {"widget": PlainNumberInput}}

    def history_label(self, obj) -> str:
        """The text naming one version of `obj` in its history; str(obj) by default."""
        return str(obj)

    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableHistoryHelper(self.model, historical_record)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        super().set_history_delta_changes(request, historical_records, foreign_keys_are_objs)
        for record in historical_records:
            record.readable_label = self._record_label(record)
            record.readable_user = str(record.history_user) if record.history_user else SYSTEM_USER
            record.readable_reason = record.history_change_reason or MISSING

    def _record_label(self, record) -> str:
        instance = record.instance
        try:
            text = self.history_label(instance)
        except ObjectDoesNotExist:  # a related object this version names is gone
            text = ""
        if not text or text == "None":
            return f"{self.model._meta.verbose_name}（编号 {instance.pk}）"
        return text
