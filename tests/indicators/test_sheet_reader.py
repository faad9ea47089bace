"""Reading a 主要指标责任分解表 (.xlsx) into IndicatorRows: layouts agencies send, bad cells
reported with their Excel location, and files refused before openpyxl parses them.

Every variant workbook is built here with openpyxl; no database is needed.
"""

import io
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from indicators.importers.rows import UNSET, TargetCell
from indicators.importers.workbook import MAX_FILE_BYTES, SheetInvalid, WorkbookRefused
from indicators.plan_import.reader import (
    PlanYears,
    SheetSource,
    read_responsibility_sheet,
    read_sheet,
)

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "wangcheng_responsibility_sheet.xlsx"
YEARS = PlanYears(2020, 2021, 2023)
TITLE = "《长沙市望城区打造国家重要先进制造业高地三年行动计划（2021-2023年）》主要指标责任分解表"
HEADER = [
    "类别", "序号", "主要指标", "单位", "2020年\n基期值", "2021年\n目标值",
    "2022年\n目标值", "2023年\n目标值", "属性", "牵头单位", "责任单位",
]  # fmt: skip
DEVELOPMENT_BUREAU = "望城经开区产业发展局"


def workbook_bytes(*sheets, cells: dict | None = None) -> bytes:
    """Build an .xlsx from (title, rows[, merges]) tuples; `cells` overrides the first sheet."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows, *merges in sheets:
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
        for merged in merges[0] if merges else ():
            sheet.merge_cells(merged)
    for coordinate, value in (cells or {}).items():
        workbook.worksheets[0][coordinate] = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def indicator(
    number,
    group=None,
    *,
    unit="亿元",
    base=1000,
    targets=(1100, 1400, 1700),
    attribute="累计值",
    lead="区工信局",
    responsible=DEVELOPMENT_BUREAU,
) -> list:
    """One data row in the fixture's column order (A 类别 … K 责任单位)."""
    return [group, number, f"指标{number}", unit, base, *targets, attribute, lead, responsible]


def fixture_rows(count: int) -> list[list]:
    """Title rows 1–2, header on row 3, indicators 1..count on rows 4.., as in the fixture."""
    data = [indicator(n, "规模总量" if n == 1 else None) for n in range(1, count + 1)]
    return [["附件1"], [TITLE], HEADER, *data]


def standard(count: int = 10, cells: dict | None = None) -> bytes:
    return workbook_bytes(("附件1", fixture_rows(count), ["A2:K2"]), cells=cells)


def read(content: bytes, file_name: str = "主要指标责任分解表.xlsx"):
    return read_responsibility_sheet(file_name, content, YEARS)


def issue_messages(content: bytes) -> list[str]:
    with pytest.raises(SheetInvalid) as caught:
        read(content)
    return [str(issue) for issue in caught.value.issues]


def refusal(content: bytes, file_name: str = "主要指标责任分解表.xlsx") -> str:
    with pytest.raises(WorkbookRefused) as caught:
        read(content, file_name)
    return str(caught.value)


def targets(*values) -> dict:
    return {
        year: None if value is None else TargetCell(value=Decimal(str(value)))
        for year, value in zip((2021, 2022, 2023), values, strict=True)
    }


# 1. The real workbook ------------------------------------------------------------------------


def test_it_reads_all_42_indicators_of_the_wangcheng_sheet():
    rows = read(FIXTURE.read_bytes(), FIXTURE.name)

    assert [row.number for row in rows] == list(range(1, 43))
    first = rows[0]
    assert (first.name, first.unit, first.attribute, first.group) == (
        "工业总产值",
        "亿元",
        "cumulative",
        "规模总量",
    )
    assert (first.base_value, first.targets) == (Decimal("1000"), targets(1100, 1400, 1700))
    assert (first.lead, first.responsible, first.source_row) == (
        "区工信局",
        [DEVELOPMENT_BUREAU],
        4,
    )
    assert rows[3].attribute == "ratio"
    assert rows[3].base_value == Decimal("22.2")
    assert rows[3].targets == targets(23, 25, 27)
    assert rows[11].responsible == [DEVELOPMENT_BUREAU, "区工信局"]
    assert rows[17].attribute == "annual"
    assert rows[17].lead == "各产业链办公室"
    assert rows[26].base_value is None
    assert str(rows[26].targets[2022].value) == "3.05"
    assert [rows[i].group for i in (4, 25, 36, 39, 41)] == [
        "结构质量",
        "创新驱动",
        "绿色发展",
        "数字赋能",
        "数字赋能",
    ]


# 2–5. Layouts -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "above",
    [
        [],
        [["主要指标责任分解表"]],
        [["附件1"], [TITLE], ["单位：亿元、家、%　　数据截至2020年底（2021年3月填报）"]],
    ],
    ids=["no-title", "one-title-row", "title-and-notes"],
)
def test_it_finds_the_header_below_title_and_note_rows(above):
    merges = [f"A{n}:K{n}" for n in range(1, len(above) + 1)]
    sheet = [*above, HEADER, indicator(1, "规模总量"), indicator(2)]

    rows = read(workbook_bytes(("附件1", sheet, merges)))

    assert [(row.number, row.source_row) for row in rows] == [
        (1, len(above) + 2),
        (2, len(above) + 3),
    ]
    assert rows[1].targets == targets(1100, 1400, 1700)
    assert rows[1].base_value == Decimal("1000")


@pytest.mark.parametrize("merged_down", [True, False], ids=["merged-down", "first-row-only"])
@pytest.mark.parametrize("year_cell", [lambda y: f"{y}年", lambda y: y], ids=["text", "number"])
def test_it_reads_a_header_split_over_two_rows(merged_down, year_cell):
    first = [
        "序号",
        "指标名称",
        "单位",
        "属性",
        "2020年基期值",
        "目标值",
        None,
        None,
        "牵头单位",
        "责任单位",
    ]
    second = [None] * 5 + [year_cell(2021), year_cell(2022), year_cell(2023)] + [None, None]
    data = [
        [1, "工业总产值", "亿元", "累计值", 1000, 1100, 1400, 1700, "区工信局", DEVELOPMENT_BUREAU],
        [2, "制造业增加值占GDP比重", "%", "占比值", 22.2, 23, 25, 27, "区工信局", "区发改局"],
    ]
    merges = ["F1:H1"]
    if merged_down:
        merges += [f"{col}1:{col}2" for col in "ABCDEIJ"]

    rows = read(workbook_bytes(("附件1", [first, second, *data], merges)))

    assert [(row.number, row.name, row.source_row) for row in rows] == [
        (1, "工业总产值", 3),
        (2, "制造业增加值占GDP比重", 4),
    ]
    assert rows[0].targets == targets(1100, 1400, 1700)
    assert rows[1].targets == targets(23, 25, 27)
    assert rows[1].base_value == Decimal("22.2")
    assert (rows[1].attribute, rows[1].unit, rows[1].lead) == ("ratio", "%", "区工信局")
    assert rows[1].responsible == ["区发改局"]


def test_it_reads_years_above_and_target_labels_below():
    first = ["序号", "指标名称", "单位", "属性", "2020年", "2021年", "2022年", "2023年", "牵头单位"]
    second = [None, None, None, None, "基期值", "目标值", "目标值", "目标值", None]
    data = [[1, "工业总产值", "亿元", "累计值", 1000, 1100, 1400, 1700, "区工信局"]]

    rows = read(workbook_bytes(("附件1", [first, second, *data], [])))

    assert [(row.number, row.base_value, row.source_row) for row in rows] == [
        (1, Decimal("1000"), 3)
    ]
    assert rows[0].targets == targets(1100, 1400, 1700)


@pytest.mark.parametrize("merged", [True, False], ids=["merged", "first-row-only"])
def test_it_gives_every_row_the_category_of_its_block(merged):
    data = [
        indicator(1, "规模总量"),
        indicator(2),
        indicator(3),
        indicator(4, "结构质量"),
        indicator(5),
    ]
    merges = ["A2:A4", "A5:A6"] if merged else []

    rows = read(workbook_bytes(("附件1", [HEADER, *data], merges)))

    assert [row.group for row in rows] == ["规模总量"] * 3 + ["结构质量"] * 2


def test_it_finds_columns_by_header_not_position():
    header = [
        "属性",
        "责任单位",
        "序号",
        "指标名称",
        "2023年目标值",
        "2022年目标值",
        "2021年目标值",
        "2020年基期值",
        "单位",
        "牵头单位",
    ]
    data = [
        "占比值",
        "区工信局\n区科技局",
        1,
        "制造业增加值占GDP比重",
        27,
        25,
        23,
        22.2,
        "%",
        "区发改局",
    ]

    [row] = read(workbook_bytes(("附件1", [header, data])))

    assert (row.number, row.name, row.unit, row.attribute) == (
        1,
        "制造业增加值占GDP比重",
        "%",
        "ratio",
    )
    assert row.base_value == Decimal("22.2")
    assert row.targets == targets(23, 25, 27)
    assert (row.lead, row.responsible) == ("区发改局", ["区工信局", "区科技局"])
    assert row.group is UNSET


# 6–8. Cell contents -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        (" 1,100 ", Decimal("1100")),
        ("１７００", Decimal("1700")),
        ("1 400", Decimal("1400")),
        ("22.2", Decimal("22.2")),
        ("３.０５", Decimal("3.05")),
        ("１，２００", Decimal("1200")),
        (3.05, Decimal("3.05")),
    ],
)
def test_it_reads_numbers_typed_as_text(typed, expected):
    [row] = read(standard(1, cells={"E4": typed, "H4": typed}))

    assert row.base_value == expected
    assert row.targets[2023] == TargetCell(value=expected)
    assert str(row.targets[2023].value) == str(expected)


@pytest.mark.parametrize("mark", [None, "", " ", "—", "——", "-", "/", "／"])
def test_it_reads_missing_marks_as_none(mark):
    # A blank 牵头单位 is an error now (see test_it_refuses_a_blank_lead_cell).
    [row] = read(standard(1, cells={"E4": mark, "G4": mark}))

    assert row.base_value is None
    assert row.targets == targets(1100, None, 1700)


@pytest.mark.parametrize(
    "cell",
    [
        "区工信局\n区科技局",
        "区工信局、区科技局",
        "区工信局，区科技局",
        "区工信局,区科技局",
        "区工信局；区科技局",
        "区工信局;区科技局",
        "区工信局 区科技局",
        "区工信局\u3000区科技局",
        " 区工信局、\n区科技局 ",
    ],
)
def test_it_splits_several_departments_in_one_cell(cell):
    [row] = read(standard(1, cells={"K4": cell}))

    assert row.responsible == ["区工信局", "区科技局"]
    three = read(standard(1, cells={"K4": f"区工信局\n{DEVELOPMENT_BUREAU}、区金融办"}))
    assert three[0].responsible == ["区工信局", DEVELOPMENT_BUREAU, "区金融办"]


def test_it_does_not_read_an_uncalculated_formula_as_blank():
    with pytest.raises(SheetInvalid) as caught:
        read(standard(1, cells={"H4": "=G4+300"}))

    assert [(issue.row, issue.column) for issue in caught.value.issues] == [(4, "2023年目标值")]


# 9–10. Where the table starts and stops -----------------------------------------------------


@pytest.mark.parametrize(
    "note",
    [
        "注：1. 累计值指截至当年底的总量。",
        "注:累计值指截至当年底的总量",
        "注 ：累计值指当年底总量",
        "备注：以统计局数据为准",
        "说明：以统计局数据为准",
    ],
)
def test_it_stops_at_a_note_row_below_the_table(note):
    rows = [
        *fixture_rows(2),
        [],
        [note],
        ["2. 当年值指当年新增。"],
        # No 序号: prose, not an indicator (one with a 序号 is reported, see below).
        [None, None, "合计", None, "约1000", "待定", None, None, "累积", "区工信局、区科技局"],
    ]
    content = workbook_bytes(("附件1", rows, ["A2:K2", "A7:K7", "A8:K8"]))

    assert [row.number for row in read(content)] == [1, 2]


def test_it_reports_indicator_rows_below_a_note_instead_of_dropping_them():
    rows = [
        *fixture_rows(2),
        [],
        ["注：1. 累计值指截至当年底的总量。"],
        ["2. 当年值指当年新增。"],
        indicator(3),
        [None, 99, "合计", None, "约1000", "待定", None, None, "累积", "区工信局、区科技局"],
    ]
    content = workbook_bytes(("附件1", rows, ["A2:K2", "A7:K7", "A8:K8"]))

    assert issue_messages(content) == [
        "附件1 第9行「序号」：该行（序号 3“指标3”）位于第7行的说明之下，不会被导入："
        "如果是指标，请把它移到说明行之上；如果不是，请删除该行的序号",
        "附件1 第10行「序号」：该行（序号 99“合计”）位于第7行的说明之下，不会被导入："
        "如果是指标，请把它移到说明行之上；如果不是，请删除该行的序号",
    ]


def test_a_row_below_a_note_is_reported_with_the_bad_cells_above_it():
    rows = [*fixture_rows(3), ["说明：以统计局数据为准"], indicator(4)]
    content = workbook_bytes(("附件1", rows, ["A2:K2", "A7:K7"]), cells={"H5": "待定"})

    assert issue_messages(content) == [
        "附件1 第5行「2023年目标值」：“待定”不是数字",
        "附件1 第8行「序号」：该行（序号 4“指标4”）位于第7行的说明之下，不会被导入："
        "如果是指标，请把它移到说明行之上；如果不是，请删除该行的序号",
    ]


@pytest.mark.parametrize(
    "footer",
    ["数据来源：区统计局", "填报单位（盖章）：　　填表人：　　联系电话："],
    ids=["source", "sign-off"],
)
def test_it_stops_at_a_source_or_sign_off_line_below_the_table(footer):
    content = workbook_bytes(("附件1", [*fixture_rows(2), [], [footer]], ["A2:K2", "A7:K7"]))

    assert [row.number for row in read(content)] == [1, 2]


def test_it_skips_blank_rows_between_indicators():
    rows = [*fixture_rows(1), [], [None] * 11, indicator(2)]

    assert [(row.number, row.source_row) for row in read(workbook_bytes(("附件1", rows)))] == [
        (1, 4),
        (2, 7),
    ]


def test_it_finds_the_table_on_a_later_sheet_with_another_name():
    prose = [["填表说明"], ["1. 请按序号逐项填写各指标的目标值。"], ["2. 牵头单位只填一个。"]]
    tasks = [["序号", "主要任务", "牵头单位"], [1, "打造一个千亿园区", DEVELOPMENT_BUREAU]]
    content = workbook_bytes(
        ("说明", prose),
        ("指标表", [HEADER, indicator(1, "规模总量"), indicator(2)]),
        ("附件2", tasks),
    )

    rows = read(content)

    assert [(row.number, row.name, row.group) for row in rows] == [
        (1, "指标1", "规模总量"),
        (2, "指标2", "规模总量"),
    ]
    bad = workbook_bytes(
        ("说明", prose),
        ("指标表", [HEADER, indicator(1, "规模总量", targets=(1100, 1400, "待定"))]),
    )
    assert issue_messages(bad) == ["指标表 第2行「2023年目标值」：“待定”不是数字"]


def test_it_skips_an_indicator_glossary_sheet_placed_before_the_table():
    glossary = [["序号", "指标名称", "指标解释"], [1, "工业总产值", "规模以上工业企业总产值"]]
    content = workbook_bytes(("指标解释", glossary), ("附件1", [HEADER, indicator(1, "规模总量")]))

    assert [row.number for row in read(content)] == [1]


def test_it_ignores_an_indicator_explanation_column():
    header = [*HEADER, "指标解释"]
    [row] = read(workbook_bytes(("附件1", [header, [*indicator(1, "规模总量"), "规上企业产值"]])))

    assert (row.number, row.name) == (1, "指标1")


# 11. Bad cells ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        ({"H12": "待定"}, "附件1 第12行「2023年目标值」：“待定”不是数字"),
        ({"E4": "约1000"}, "附件1 第4行「2020年基期值」：“约1000”不是数字"),
        ({"I5": "累积"}, "附件1 第5行「属性」：“累积”不是有效的属性，应为累计值、当年值或占比值"),
        ({"I5": None}, "附件1 第5行「属性」：属性为空，应为累计值、当年值或占比值"),
        ({"B6": None}, "附件1 第6行「序号」：序号为空"),
        ({"B6": "三"}, "附件1 第6行「序号」：“三”不是数字，序号应为正整数"),
        ({"B7": 3}, "附件1 第7行「序号」：序号 3 与第6行重复"),
        ({"C8": None}, "附件1 第8行「主要指标」：指标名称为空"),
        ({"D9": None}, "附件1 第9行「单位」：单位为空"),
        (
            {"J9": "区工信局、区科技局"},
            "附件1 第9行「牵头单位」：牵头单位只能填写一个，这里有 2 个：区工信局、区科技局",
        ),
    ],
    ids=[
        "target",
        "base",
        "attribute",
        "attribute-blank",
        "number-blank",
        "number-text",
        "number-duplicate",
        "name-blank",
        "unit-blank",
        "two-leads",
    ],
)
def test_it_names_the_excel_row_and_column_of_a_bad_cell(cells, expected):
    assert issue_messages(standard(10, cells=cells)) == [expected]


@pytest.mark.parametrize("mark", [None, "", " ", "—", "-", "/", "无"])
def test_it_refuses_a_blank_lead_cell(mark):
    # Read as "no lead", a blank cell used to unassign the indicator's lead unit silently.
    assert issue_messages(standard(10, cells={"J9": mark})) == [
        "附件1 第9行「牵头单位」：不能为空，请填写该指标的牵头单位（一个）"
    ]


def test_the_real_sheet_names_a_lead_for_every_indicator():
    rows = read(FIXTURE.read_bytes(), FIXTURE.name)

    assert len(rows) == 42
    assert all(row.lead for row in rows)


def test_it_returns_the_sheet_name_and_the_title_lines_as_typed():
    sheet = read_sheet(FIXTURE.name, FIXTURE.read_bytes(), YEARS)

    assert sheet.source == SheetSource(
        "附件1",
        (
            "附件 1",
            "《长沙市望城区打造国家重要先进制造业高地三年行动计划（2021-2023年）》主要指标责任分解表",
        ),
    )
    assert [row.number for row in sheet.rows] == list(range(1, 43))


def test_it_reports_every_bad_cell_of_the_file_at_once():
    cells = {
        "H12": "待定",
        "F5": "abc",
        "I5": "累积",
        "B10": None,
        "E13": "x",
        "J4": "区工信局，区科技局",
    }

    messages = issue_messages(standard(10, cells=cells))

    assert sorted(messages) == sorted(
        [
            "附件1 第4行「牵头单位」：牵头单位只能填写一个，这里有 2 个：区工信局、区科技局",
            "附件1 第5行「2021年目标值」：“abc”不是数字",
            "附件1 第5行「属性」：“累积”不是有效的属性，应为累计值、当年值或占比值",
            "附件1 第10行「序号」：序号为空",
            "附件1 第12行「2023年目标值」：“待定”不是数字",
            "附件1 第13行「2020年基期值」：“x”不是数字",
        ]
    )
    rows_in_order = [int(message.split("第")[1].split("行")[0]) for message in messages]
    assert rows_in_order == sorted(rows_in_order)


@pytest.mark.parametrize(
    ("dropped", "expected"),
    [
        (["属性"], "附件1 第1行：表头中缺少「属性」列"),
        (["单位"], "附件1 第1行：表头中缺少「单位」列"),
        (["牵头单位"], "附件1 第1行：表头中缺少「牵头单位」列"),
        (
            ["2021年\n目标值", "2022年\n目标值", "2023年\n目标值"],
            "附件1 第1行：表头中缺少目标值列（如「2021年目标值」）",
        ),
    ],
    ids=["attribute", "unit", "lead", "targets"],
)
def test_it_names_a_missing_required_column(dropped, expected):
    keep = [i for i, label in enumerate(HEADER) if label not in dropped]
    rows = [[row[i] for i in keep] for row in [HEADER, indicator(1, "规模总量")]]

    assert issue_messages(workbook_bytes(("附件1", rows))) == [expected]


def test_it_accepts_a_text_target():
    rows = read(standard(2, cells={"H5": "完成市里下达任务"}))

    assert rows[1].targets[2023] == TargetCell(text="完成市里下达任务")
    assert rows[1].targets[2022] == TargetCell(value=Decimal("1400"))


# 12–13. Whole-file refusals -----------------------------------------------------------------


def _with_member(content: bytes, name: str, data: bytes) -> bytes:
    buffer = io.BytesIO(content)
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr(name, data)
    return buffer.getvalue()


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            for _ in range(60):
                member.write(bytes(1024 * 1024))
    assert len(buffer.getvalue()) < MAX_FILE_BYTES  # small on disk, 60 MB unpacked
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("file_name", "make_content", "keywords"),
    [
        ("指标.xls", lambda: standard(1), ["另存为", ".xlsx"]),
        ("指标.XLS", lambda: standard(1), ["另存为", ".xlsx"]),
        ("指标.csv", lambda: "序号,指标\n1,工业总产值\n".encode(), ["只接受", ".xlsx"]),
        ("指标.xlsx", lambda: b"PK\x03\x04" + bytes(MAX_FILE_BYTES), ["超过 5 MB"]),
        ("指标.xlsm", lambda: standard(1), ["宏"]),
        ("指标.xlsx", lambda: _with_member(standard(1), "xl/vbaProject.bin", b"\0" * 64), ["宏"]),
        ("指标.xlsx", _zip_bomb, ["压缩炸弹"]),
        ("指标.xlsx", lambda: bytes(range(256)) * 16, ["无法读取"]),
        ("指标.xlsx", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096), [".xls"]),
    ],
    ids=["xls", "xls-upper", "csv", "too-big", "xlsm", "vba-inside", "zip-bomb", "garbage", "ole2"],
)
def test_it_refuses_files_it_must_not_open(file_name, make_content, keywords):
    message = refusal(make_content(), file_name)

    for keyword in keywords:
        assert keyword in message


def test_it_accepts_an_upper_case_extension():
    assert [row.number for row in read(standard(2), "指标.XLSX")] == [1, 2]


@pytest.mark.parametrize(
    "sheets",
    [
        [("附件2", [["序号", "主要任务", "牵头单位"], [1, "打造一个千亿园区", "区工信局"]])],
        [("Sheet1", [["指标名称", "单位"], ["工业总产值", "亿元"]])],
        [("Sheet1", [])],
    ],
    ids=["tasks-only", "no-number-column", "empty"],
)
def test_it_refuses_a_workbook_without_an_indicator_table(sheets):
    message = refusal(workbook_bytes(*sheets))

    assert "未找到指标表" in message
    assert "序号" in message


def test_it_refuses_a_header_without_rows():
    assert "没有任何指标行" in refusal(workbook_bytes(("附件1", [HEADER])))
