"""Building responsibility-sheet workbooks for tests, from the fixture or from rows."""

import io

import openpyxl

from indicators.models import Department, Indicator, IndicatorGroup, Target
from tests.factories import WANGCHENG_SHEET

# Header of the circulated sheet, and where each column sits in the fixture (row 3).
FIXTURE_COLUMNS = {
    "类别": "A",
    "序号": "B",
    "主要指标": "C",
    "单位": "D",
    "基期值": "E",
    2021: "F",
    2022: "G",
    2023: "H",
    "属性": "I",
    "牵头单位": "J",
    "责任单位": "K",
}


def fixture_row(number: int) -> int:
    """Return the Excel row of indicator `number` in the fixture workbook (1 → row 4)."""
    return number + 3


def edited_fixture(edits: dict[str, object] | None = None) -> bytes:
    """Return the fixture workbook with some cells of 附件1 changed, e.g. {"H4": 1800}."""
    workbook = openpyxl.load_workbook(WANGCHENG_SHEET)
    sheet = workbook["附件1"]
    for coordinate, value in (edits or {}).items():
        sheet[coordinate] = value
    return workbook_bytes(workbook)


def workbook_bytes(workbook: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def database_snapshot() -> dict:
    """Everything an import may touch, including the history tables."""
    return {
        "indicators": list(
            Indicator.objects.order_by("pk").values_list(
                "pk",
                "plan_id",
                "number",
                "name",
                "unit",
                "attribute",
                "direction",
                "group_id",
                "lead_department_id",
                "base_value",
            )
        ),
        "responsible": sorted(
            Indicator.responsible_departments.through.objects.values_list(
                "indicator_id", "department_id"
            )
        ),
        "targets": list(
            Target.objects.order_by("pk").values_list(
                "pk", "indicator_id", "year", "value", "text", "is_derived"
            )
        ),
        "departments": list(Department.objects.order_by("pk").values_list("pk", "name")),
        "groups": list(IndicatorGroup.objects.order_by("pk").values_list("pk", "name")),
        "history": (
            Indicator.history.count(),
            Target.history.count(),
            Department.history.count(),
            IndicatorGroup.history.count(),
        ),
    }
