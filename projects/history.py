"""The versions of a reported figure as people read them: who, when, which field, old → new."""

from decimal import Decimal

from indicators.formatting import plain_decimal
from indicators.models import ActualState

FIELD_LABELS = {
    "planned": "计划投资",
    "completed": "完成投资",
    "value": "完成值",
    "explanation": "说明 / 原因分析",
    "measures": "整改措施",
    "state": "状态",
    "return_reason": "退回原因",
    "approved_planned": "已审核计划投资",
    "approved_completed": "已审核完成投资",
    "approved_value": "已审核完成值",
}
STATE_LABELS = {str(value): str(label) for value, label in ActualState.choices}


def shown(value) -> str:
    """Return a history value as people read it: 空 for blank, labels for states."""
    if value is None or value == "":
        return "空"
    if isinstance(value, Decimal):
        return plain_decimal(value)
    return STATE_LABELS.get(str(value), str(value))


def history_versions(figure) -> list[tuple[object, list[tuple[str, str, str]], bool]]:
    """Return (record, [(field, old, new)], is_first) per saved version, newest first."""
    if figure is None:
        return []
    fields = [name for name in FIELD_LABELS if hasattr(figure, name)]
    records = list(figure.history.select_related("history_user").order_by("history_id"))
    versions = []
    previous = None
    for record in records:
        changes = []
        if previous is not None:
            delta = record.diff_against(previous, included_fields=fields)
            changes = [
                (FIELD_LABELS[change.field], shown(change.old), shown(change.new))
                for change in delta.changes
            ]
        versions.append((record, changes, previous is None))
        previous = record
    versions.reverse()
    return versions
