"""The evaluation as a Word document (python-docx): headings, the summary in sentences, the
tables and the charts as images (images.py), on A4.
"""

import io
import struct

from django.utils import timezone
from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from indicators.evaluation.rules import STANDING_LABELS, Standing
from indicators.evaluation.summary import stage_label, summary_sentences
from indicators.formatting import percent_text

from . import images
from .cells import clean_text, completion_text, growth_text, latest_text, standing_text, target_text

BODY_FONT, HEADING_FONT = "宋体", "黑体"
COUNT_HEADERS = ["指标数", *(STANDING_LABELS[s] for s in Standing), "达到比例"]
INDICATOR_HEADERS = [
    "序号",
    "指标",
    "牵头单位",
    "终期目标",
    "最新值（年份）",
    "完成率",
    "年均增速 实际/需要",
    "评价",
]
INDICATOR_WIDTHS = [1.2, 6.2, 3.6, 2.8, 3.6, 3.0, 3.0, 3.2]  # cm, landscape: 26.6 in all
NOTES = [
    "评价只计已审核的实际值。累计值、占比值指标以评估年份及以前最新的已审核值对照终期目标；"
    "当年值指标（每年任务量）以已填报各年合计对照同期目标合计；年均增长类指标以已填报各年增速"
    "的平均值对照目标增速；占比值指标按百分点差距评价。",
    "文字目标（如“完成市里下达任务”）按审核认定的状态评价，单列为“人工评定”，不计入达到或未达到。",
    "年均增速：实际 =（最新值 ÷ 基期值）^(1/年数) − 1，需要 =（终期目标 ÷ 基期值）^(1/年数) − 1；"
    "基期值空缺时自首个填报年份起算。",
]


def _set_font(style, name: str, size: float | None = None) -> None:
    style.font.name = name
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)
    if size:
        style.font.size = Pt(size)


def _new_document() -> Document:
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(1.5)
    section.top_margin = section.bottom_margin = Cm(2)
    _set_font(document.styles["Normal"], BODY_FONT, 10.5)
    for name in ("Title", "Heading 1", "Heading 2"):
        _set_font(document.styles[name], HEADING_FONT)
    return document


def _repeat_header(row) -> None:
    """Mark a table's first row to repeat at the top of every page."""
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(header)


def _table(document, headers: list[str], rows: list[list[str]], widths=None, size=9) -> None:
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.autofit = widths is None
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        run.font.size = Pt(size)
    _repeat_header(table.rows[0])
    for values in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            cell.text = ""
            cell.paragraphs[0].add_run(clean_text(text)).font.size = Pt(size)
    if widths:  # Word reads the cells' widths, LibreOffice the columns'
        for column, width in zip(table.columns, widths, strict=True):
            column.width = Cm(width)
        for row in table.rows:
            for cell, width in zip(row.cells, widths, strict=True):
                cell.width = Cm(width)


def _picture(document, png: bytes, width_cm: float, height_cm: float = 16.0) -> None:
    """Add a PNG, centred, as large as fits `width_cm` × `height_cm` at its own proportions."""
    pixels_wide, pixels_high = struct.unpack(">II", png[16:24])  # the IHDR chunk
    width = min(width_cm, height_cm * pixels_wide / pixels_high)
    document.add_picture(io.BytesIO(png), width=Cm(width))
    document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER


def _landscape(document) -> None:
    """Start a new A4 landscape section, for the wide tables."""
    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21)
    section.top_margin = section.bottom_margin = Cm(1.5)


def _count_rows(counted) -> list[list[str]]:
    return [
        [
            each.name,
            str(each.indicator_count),
            *(str(each.counts[s]) for s in Standing),
            percent_text(each.met_share),
        ]
        for each in counted
    ]


def _indicator_rows(evaluation) -> list[list[str]]:
    return [
        [
            str(row.indicator.number),
            row.indicator.name,
            row.lead_name,
            target_text(row.final.rated, row.indicator.unit),
            latest_text(row),
            completion_text(row),
            growth_text(row),
            standing_text(row),
        ]
        for row in evaluation.rows
    ]


def _not_met_rows(evaluation) -> list[list[str]]:
    return [
        [
            f"{row.indicator.number}. {row.indicator.name}",
            row.lead_name,
            completion_text(row),
            row.explanation or "—",
            row.measures or "—",
        ]
        for row in evaluation.not_met
    ]


def _opening(document, evaluation) -> None:
    plan = evaluation.plan
    document.add_heading(clean_text(plan.name), level=0)
    document.add_paragraph(f"{evaluation.year}年{stage_label(evaluation)}报告").runs[0].bold = True
    meta = [
        plan.document_number,
        f"规划期 {plan.first_year}–{plan.last_year} 年，基期 {plan.base_year} 年",
        f"序时进度 {percent_text(evaluation.elapsed)}",
        f"生成日期 {timezone.localdate():%Y年%m月%d日}",
    ]
    document.add_paragraph(clean_text(" · ".join(part for part in meta if part)))
    if evaluation.has_demo:
        document.add_paragraph("注意：本报告含系统载入的示例数据，并非各部门填报的真实数据。")


def evaluation_document(evaluation) -> bytes:
    """Return the .docx of the evaluation."""
    document = _new_document()
    _opening(document, evaluation)
    document.add_heading("一、总体情况", level=1)
    for sentence in summary_sentences(evaluation):
        document.add_paragraph(clean_text(sentence))
    _picture(document, images.standing_chart(evaluation.counts), 13)
    document.add_heading("二、分类别情况", level=1)
    _table(document, ["类别", *COUNT_HEADERS], _count_rows(evaluation.groups))
    _picture(document, images.stack_chart(evaluation.groups, title="各类别指标评价"), 14)
    document.add_heading("三、分牵头单位情况", level=1)
    _table(document, ["牵头单位", *COUNT_HEADERS], _count_rows(evaluation.departments))
    _picture(document, images.stack_chart(evaluation.departments, title="各牵头单位指标评价"), 14)
    document.add_heading("四、各指标评估", level=1)
    document.add_paragraph("各指标对照终期目标的完成率如下图（黑线为 100%），明细见下表。")
    _picture(document, images.completion_chart(evaluation.rows), 17, 21)
    _landscape(document)
    document.add_paragraph("各指标评估明细表").runs[0].bold = True
    _table(document, INDICATOR_HEADERS, _indicator_rows(evaluation), INDICATOR_WIDTHS, size=9)
    document.add_heading("五、未达到终期目标的指标：原因分析与整改措施", level=1)
    if evaluation.not_met:
        headers = ["指标", "牵头单位", "完成率", "原因分析", "整改措施"]
        _table(document, headers, _not_met_rows(evaluation), [6.2, 3.6, 3.2, 6.8, 6.8])
    else:
        document.add_paragraph("没有未达到终期目标的指标。")
    document.add_heading("六、评价口径", level=1)
    for note in NOTES:
        document.add_paragraph(note)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
