"""The Excel route for reporting actuals: download the prefilled template, upload it filled in."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from . import actual_import
from .models import Plan
from .reporting import upload


def _plan_year_for_upload(request, slug: str, year: int) -> Plan:
    """Return the plan; 404 for an unknown plan or year, 403 for a user who may not report."""
    plan = get_object_or_404(Plan, slug=slug)
    if year not in plan.years:
        raise Http404(_("该年份不在规划期内。"))
    if not actual_import.may_upload(request.user, plan):
        raise PermissionDenied(_("只有指标牵头单位的填报员或规划办管理员可以导入实际值。"))
    return plan


@login_required
def actual_template(request, slug: str, year: int):
    plan = _plan_year_for_upload(request, slug, year)
    return upload.xlsx_response(
        *actual_import.actual_template(plan=plan, year=year, user=request.user)
    )


@login_required
def actual_upload(request, slug: str, year: int):
    plan = _plan_year_for_upload(request, slug, year)
    page = upload.UploadPage(
        title=_("%(year)s年实际值 Excel 导入") % {"year": year},
        label=_("实际值填报表（.xlsx）"),
        intro=_(
            "先下载填报模板，在“实际值”列按“单位”列的单位填写数字（目标为文字的指标填写“已完成”或"
            "“未完成”），未达到目标值或与上年相比变动超过50%时在“说明”列写明原因分析及整改措施，"
            "然后上传。实际值为空的行不导入。"
        ),
        own_sheet=_(
            "也可上传自制的表格：表头含「序号」（或「指标名称」）和「%(year)s年实际值」（或「实际值」）"
            "列，可选「说明」「数据类型」（快报/年报）列。"
        )
        % {"year": year},
        template_url=reverse("actual_template", args=[slug, year]),
        cancel_url=reverse("report_page", args=[slug, year]),
    )
    return upload.upload_page(
        request,
        plan=plan,
        year=year,
        page=page,
        upload=lambda name, content, mode: actual_import.actuals_upload(
            plan=plan, file_name=name, content=content, user=request.user, mode=mode, year=year
        ),
        done=lambda: redirect("report_page", slug=plan.slug, year=year),
    )
