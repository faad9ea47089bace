"""The comparison page for leaders, and the 管理员's form and Excel upload."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from indicators import permissions
from indicators.importers.workbook import SheetInvalid, WorkbookRefused
from indicators.reporting.upload import xlsx_response
from indicators.upload_form import XlsxForm

from . import charts
from .excel import figures_upload, figures_workbook
from .forms import IndicatorLinkForm, PublishedFigureForm
from .models import PublishedFigure
from .selectors import comparison
from .services import REFUSED, figure_save, link_save


def _require_editor(request) -> None:
    permissions.require(permissions.can_edit_published(request.user), REFUSED)


@require_GET
@login_required
def compare(request):
    found = comparison()
    colors = charts.entity_colors(found.entities)
    topics = [
        (group, f"topic-{i}", charts.topic_bars(group, colors))
        for i, group in enumerate(found.topics, start=1)
    ]
    # A chart where there is a path or a goal; single ranks are in the table.
    drawn = [s for s in found.rank_series if len(s.ranks) > 1 or s.goal is not None]
    ranks = [
        (series, f"rank-{i}", charts.rank_lines(series, colors))
        for i, series in enumerate(drawn, start=1)
    ]
    context = {
        "found": found,
        "topics": topics,
        "rank_charts": ranks,
        "can_edit": permissions.can_edit_published(request.user),
    }
    return render(request, "parks/compare.html", context)


@login_required
def figure_edit(request, pk: int | None = None):
    _require_editor(request)
    figure = get_object_or_404(PublishedFigure.objects.with_source(), pk=pk) if pk else None
    form = PublishedFigureForm(request.POST or None, instance=figure)
    if request.method == "POST" and form.is_valid():
        saved, wrote = figure_save(figure=figure, data=form.cleaned_data, user=request.user)
        if wrote:
            messages.success(request, f"已保存：{saved}")
        else:
            messages.info(request, "没有修改。")
        return redirect("parks_compare")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "figure": figure, "link_form": IndicatorLinkForm() if figure else None}
    return render(request, "parks/figure_form.html", context, status=status)


@require_POST
@login_required
def link_add(request, pk: int):
    _require_editor(request)
    figure = get_object_or_404(PublishedFigure.objects.with_source(), pk=pk)
    link_form = IndicatorLinkForm(request.POST)
    if link_form.is_valid():
        link = link_save(figure=figure, user=request.user, **link_form.cleaned_data)
        messages.success(request, f"已关联：{link.indicator}")
        return redirect("parks_figure_edit", pk=figure.pk)
    form = PublishedFigureForm(instance=figure)
    context = {"form": form, "figure": figure, "link_form": link_form}
    return render(request, "parks/figure_form.html", context, status=400)


@require_GET
@login_required
def figures_download(request):
    _require_editor(request)
    return xlsx_response("公开报道数据.xlsx", figures_workbook())


@login_required
def upload(request):
    _require_editor(request)
    form = XlsxForm(request.POST or None, request.FILES or None)
    form.fields["file"].label = "公开报道数据表（.xlsx）"
    issues: list[str] = []
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        try:
            created, corrected, unchanged = figures_upload(
                file_name=file.name, content=file.read(), user=request.user
            )
        except WorkbookRefused as exc:
            form.add_error("file", str(exc))
        except SheetInvalid as exc:
            issues = [str(issue) for issue in exc.issues]
        else:
            messages.success(
                request, f"已导入：新增 {created} 条，修改 {corrected} 条，{unchanged} 条未变。"
            )
            return redirect("parks_compare")
    status = 400 if request.method == "POST" else 200
    return render(request, "parks/upload.html", {"form": form, "issues": issues}, status=status)
