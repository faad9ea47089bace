"""The Excel upload pipeline every kind of reported figure uses.

Read the whole file first (every bad cell named by sheet, row and column), then check
every row by the kind's own rules and write them all at once in one transaction
(bulk.py): the same permissions, rules and history as the form, in a number of queries
that does not grow with the rows. Any bad row refuses the file, and nothing is written.
A row whose figure changed after its template was downloaded is refused too: the
template's version stamp (sheet.py) tells, so an upload never overwrites unseen work.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import permissions
from ..importers.workbook import CellIssue, SheetInvalid, WorkbookRefused
from ..upload_form import XlsxForm
from . import bulk
from .figure import ReviewState
from .kinds import FigureKind
from .sheet_reader import Subject, read_figure_sheet
from .workflow import FigureInvalid, WorkflowError, check_year

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DRAFT, SUBMIT, APPROVE = "draft", "submit", "approve"
MODES = (DRAFT, SUBMIT, APPROVE)
MODE_CHOICES = [
    (DRAFT, gettext_lazy("保存为草稿")),
    (SUBMIT, gettext_lazy("提交审核")),
    (APPROVE, gettext_lazy("直接审核通过")),
]
# How far a figure must already be for an identical row to need no save.
FAR_ENOUGH = {
    DRAFT: set(ReviewState),
    SUBMIT: {ReviewState.SUBMITTED, ReviewState.APPROVED},
    APPROVE: {ReviewState.APPROVED},
}


class UploadForm(XlsxForm):
    mode = forms.ChoiceField(label=gettext_lazy("导入后"), widget=forms.RadioSelect, initial=DRAFT)

    def __init__(self, *args, label: str, allow_approve: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].label = label
        self.fields["mode"].choices = [
            (mode, text) for mode, text in MODE_CHOICES if allow_approve or mode != APPROVE
        ]


def check_mode(user, mode: str) -> None:
    """Only the plan office approves while importing; refuse anyone else, in Chinese."""
    if mode not in MODES:
        raise ValueError(f"unknown import mode {mode!r}")
    permissions.require(
        mode != APPROVE or permissions.can_review(user),
        "只有规划办管理员可以在导入时直接审核通过，请选择“保存为草稿”或“提交审核”。",
    )


@dataclass(frozen=True)
class ImportSummary:
    """What an import wrote: the key of every saved row, and of rows already saved so."""

    year: int
    mode: str
    noun: str  # 实际值, 项目投资
    numbers: tuple
    unchanged: tuple = ()
    key_label: str = "序号"  # how the file names its rows

    @property
    def saved(self) -> int:
        return len(self.numbers)

    @property
    def submitted(self) -> int:
        return self.saved if self.mode != DRAFT else 0

    @property
    def approved(self) -> int:
        return self.saved if self.mode == APPROVE else 0

    def summary_lines(self) -> list[str]:
        listed = "、".join(str(number) for number in self.numbers) or "无"
        lines = [f"已导入 {self.year} 年{self.noun} {self.saved} 项（{self.key_label} {listed}）。"]
        if self.mode == DRAFT:
            lines.append(f"{self.saved} 项已保存为草稿，核对后请提交审核。")
        elif self.mode == SUBMIT:
            lines.append(f"{self.submitted} 项已提交审核。")
        else:
            lines.append(f"{self.approved} 项已审核通过。")
        if self.unchanged:
            lines.append(f"{len(self.unchanged)} 项与已保存的数据相同，未重复保存。")
        return lines


@dataclass(frozen=True)
class RowImport:
    """How one kind saves an uploaded row; the pipeline does the rest."""

    kind: FigureKind  # its rules check every row, as its save service (kind.save) does
    entry_of: Callable  # row → the entry the kind's save service takes
    # (figure, row) → True when the row says what is saved already
    same: Callable
    # (subject, user) → why this user may not report it
    not_yours: Callable
    # a rule problem's field → the row field its cell is in
    cell_of: Callable[[str], str]
    value_field: str
    noun: str  # as the summary says it: 实际值, 项目投资
    key_label: str = "序号"
    # For kinds read by the generic figure sheet (sheet_reader.py):
    sheet: object = None  # its SheetSpec
    subjects: Callable | None = None  # plan → {row key: subject}
    figures: Callable | None = None  # (plan, year) → the year's saved figures
    unit_of: Callable = lambda subject: subject.unit
    reportable: Callable | None = None  # plan → the subjects someone reports
    refused: str = ""  # why a user who reports none of them may not upload, in Chinese

    def may_upload(self, user, plan) -> bool:
        """True for the plan office, and for staff who report one of the plan's subjects."""
        return may_upload(user, self.reportable(plan))

    def allowed(self, *, user, plan, mode: str) -> None:
        """Raise PermissionDenied unless the user may upload so."""
        check_mode(user, mode)
        permissions.require(self.may_upload(user, plan), self.refused)

    def upload(self, *, plan, file_name: str, content: bytes, user, mode: str, year: int):
        """Read a figure sheet and import it: every issue at once, or everything written.

        Raises PermissionDenied before reading, WorkflowError, WorkbookRefused or SheetInvalid.
        """
        self.allowed(user=user, plan=plan, mode=mode)
        check_year(plan, year)
        subjects = self.subjects(plan)
        named = {key: Subject(s.name, self.unit_of(s)) for key, s in subjects.items()}
        return all_or_nothing(
            lambda: read_figure_sheet(self.sheet, file_name, content, subjects=named, year=year),
            lambda sheet: import_rows(
                self,
                rows=sheet.rows,
                subjects=subjects,
                figures=self.figures(plan, year),
                user=user,
                mode=mode,
                year=year,
                file_name=file_name,
            ),
        )


def stamped_version(figure) -> int:
    """The version a template records for a saved figure: 0 for none or a sample."""
    return figure.version if figure is not None and not figure.is_demo else 0


def not_yours_reason(label: str, role: str, departments: str, user) -> str:
    """Why a row is not the user's to report, naming who reports it."""
    where = f"您所在的{user.department.name}" if user.department else "您"
    if not departments:
        return f"{label}尚未分配{role}，{where}不能填报"
    return f"{label}的{role}是{departments}，{where}不能填报"


def stale_reason(existing, row_version: int | None, noun: str) -> str:
    """Why a row may not overwrite the figure saved since its template was downloaded.

    A sample counts as no figure (version 0, as the template stamps it): replacing it, or
    clear_demo removing it meanwhile, takes nothing from anyone.
    """
    current = stamped_version(existing)
    if row_version is None or row_version == current:
        return ""
    if existing is None:
        return f"下载模板后，该{noun}已被删除，请重新下载模板，核对后再填报"
    who = existing.entered_by.username if existing.entered_by else "他人"
    return (
        f"下载模板后，该{noun}已被 {who} 修改（现为“{existing.get_state_display()}”），"
        "请重新下载模板，核对后再填报"
    )


@transaction.atomic
def import_rows(
    spec: RowImport, *, rows, subjects: dict, figures, user, mode: str, year: int, file_name: str
) -> ImportSummary:
    """Save every row; return what was saved. Raise SheetInvalid on any issue: then nothing is.

    `subjects` maps a row key to its subject; `figures` are the year's saved figures of
    the plan, locked here so no one saves between the comparison and the write. Every
    row is checked first, then all are written at once (bulk.py).
    """
    if mode == APPROVE:  # the rows skip the review queue: the plan office's call alone
        permissions.require(permissions.can_review(user), "只有规划办管理员可以审核。")
    link = f"{spec.kind.subject}_id"
    current = {getattr(f, link): f for f in figures.select_for_update().order_by("pk")}
    reason = f"Excel 导入 {file_name}".strip() if file_name else "Excel 导入"
    issues: list[CellIssue] = []
    prepared, unchanged = [], []
    for row in rows:
        subject = subjects[row.key]
        if not permissions.can_report(user, subject):
            issues.append(row.issue("key", spec.not_yours(subject, user)))
            continue
        existing = current.get(subject.pk)
        if existing is not None and spec.same(existing, row) and existing.state in FAR_ENOUGH[mode]:
            unchanged.append(row.key)
            continue
        stale = stale_reason(existing, row.version, spec.kind.noun)
        if stale:
            issues.append(row.issue(spec.value_field, stale))
            continue
        try:
            entered = bulk.prepare(
                spec.kind,
                subject=subject,
                existing=existing,
                entry=spec.entry_of(row),
                year=year,
                user=user,
                submit=mode != DRAFT,
            )
        except FigureInvalid as exc:
            issues.extend(row.issue(spec.cell_of(p.field), p.message) for p in exc.problems)
        except WorkflowError as exc:
            issues.append(row.issue(spec.value_field, str(exc)))
        else:
            prepared.append((row, entered))
    if issues:
        raise SheetInvalid(issues)
    try:
        bulk.figures_write(
            spec.kind,
            [entered for _row, entered in prepared],
            user=user,
            reason=f"{reason}：{'保存草稿' if mode == DRAFT else '提交审核'}",
            approve_reason=f"{reason}：直接审核通过" if mode == APPROVE else "",
        )
    except bulk.FiguresConflict as exc:
        raise SheetInvalid(
            [
                row.issue(spec.value_field, f"该{spec.kind.noun}刚被他人修改，请重新上传")
                for row, entered in prepared
                if getattr(entered.figure, link) in exc.subject_ids
            ]
        ) from exc
    saved = tuple(row.key for row, _entered in prepared)
    return ImportSummary(year, mode, spec.noun, saved, tuple(unchanged), key_label=spec.key_label)


def all_or_nothing(read: Callable, write: Callable):
    """Read the file, then write it in one transaction; every issue of both, or the result.

    `read()` returns a sheet with `.issues`; `write(sheet)` saves its rows and raises
    SheetInvalid. Rows that did save are rolled back when any row or cell is bad.
    """
    sheet = read()
    with transaction.atomic():
        issues: list[CellIssue] = []
        result = None
        try:
            result = write(sheet)
        except SheetInvalid as exc:
            issues = exc.issues
        if sheet.issues or issues:
            raise SheetInvalid(sorted([*sheet.issues, *issues], key=lambda i: i.row or 0))
    return result


def xlsx_response(file_name: str, content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, file_name)
    return response


@dataclass(frozen=True)
class ExcelRoute:
    """One kind's Excel template download and upload pages, for a plan and year."""

    plans: Callable[[], object]  # the plans that have this kind's subjects
    rows: RowImport  # who may upload, and the upload itself
    template_file: Callable  # (plan=, year=, user=) → (file name, .xlsx bytes)
    what: str  # the figures, as the page names them: 项目投资
    page: str  # the upload page's template: its instructions, extending reporting/upload.html
    name: str  # the URL names: <name>_template and <name>_upload
    report_page: str  # the URL name of the reporting page the upload returns to
    refused: str = ""  # why a user may not (403); the rows' refusal by default

    def plan_year(self, request, slug: str, year: int):
        """The plan; 404 for an unknown plan or year, 403 for a user who may not upload."""
        plan = get_object_or_404(self.plans(), slug=slug)
        if year not in plan.years:
            raise Http404(_("该年份不在规划期内。"))
        permissions.require(
            self.rows.may_upload(request.user, plan), self.refused or self.rows.refused
        )
        return plan

    def template_view(self, request, slug: str, year: int):
        plan = self.plan_year(request, slug, year)
        return xlsx_response(*self.template_file(plan=plan, year=year, user=request.user))

    def upload_view(self, request, slug: str, year: int):
        plan = self.plan_year(request, slug, year)
        if request.method == "POST" and request.POST.get("mode") == APPROVE:
            # Not offered to staff; a forged post is refused before the file is read.
            check_mode(request.user, APPROVE)
        is_admin = permissions.can_review(request.user)
        form = UploadForm(
            request.POST or None,
            request.FILES or None,
            label=f"{self.what}填报表（.xlsx）",
            allow_approve=is_admin,
        )
        issues: list[str] = []
        if request.method == "POST" and form.is_valid():
            file = form.cleaned_data["file"]
            try:
                summary = self.rows.upload(
                    plan=plan,
                    file_name=file.name,
                    content=file.read(),
                    user=request.user,
                    mode=form.cleaned_data["mode"],
                    year=year,
                )
            except (WorkbookRefused, WorkflowError) as exc:
                # WorkflowError: the whole upload is refused (a closed plan), not a row.
                form.add_error("file", str(exc))
            except SheetInvalid as exc:
                issues = [str(issue) for issue in exc.issues]
            else:
                for line in summary.summary_lines():
                    messages.success(request, line)
                return redirect(self.report_page, slug=plan.slug, year=year)
        context = {
            "plan": plan,
            "year": year,
            "form": form,
            "issues": issues,
            "is_admin": is_admin,
            "what": self.what,
            "template_url": reverse(f"{self.name}_template", args=[plan.slug, year]),
            "cancel_url": reverse(self.report_page, args=[plan.slug, year]),
        }
        status = 400 if request.method == "POST" else 200
        return render(request, self.page, context, status=status)

    def urls(self, prefix: str) -> list:
        """The template and upload routes under `prefix` (…/<slug:slug>/…/<int:year>/)."""
        return [
            path(
                f"{prefix}template.xlsx",
                login_required(self.template_view),
                name=f"{self.name}_template",
            ),
            path(f"{prefix}upload/", login_required(self.upload_view), name=f"{self.name}_upload"),
        ]


def may_upload(user, subjects) -> bool:
    """True for the plan office, and for staff who report at least one of `subjects`."""
    if not permissions.is_active(user):
        return False
    return user.is_plan_admin or subjects.reportable_by(user).exists()
