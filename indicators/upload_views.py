"""The Excel route for reporting actuals: download the prefilled template, upload it filled in."""

from django.utils.translation import gettext_lazy as _

from . import actual_import
from .models import Plan
from .reporting.upload import ExcelRoute, UploadPage

ACTUALS_EXCEL = ExcelRoute(
    Plan.objects.all,
    actual_import.ACTUAL_ROWS,
    actual_import.actual_template,
    page=UploadPage(
        title=_("实际值 Excel 导入"),
        label=_("实际值填报表（.xlsx）"),
        intro=_(
            "先下载填报模板，在“实际值”列按“单位”列的单位填写数字（目标为文字的指标填写“已完成”或"
            "“未完成”），未达到目标值或与上年相比变动超过50%时在“说明”列写明原因分析及整改措施，"
            "然后上传。实际值为空的行不导入。"
        ),
        own_sheet=_(
            "也可上传自制的表格：表头含「序号」（或「指标名称」）和「%(year)s年实际值」（或「实际值」）"
            "列，可选「说明」「数据类型」（快报/年报）列。"
        ),
    ),
    url_names=("actual_template", "actual_upload", "report_page"),
)
