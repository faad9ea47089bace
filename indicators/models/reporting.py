"""Yearly reporting: the actual of an indicator for a year, its evidence, comments, deadlines.

An Actual is the department's working copy (draft → submitted → approved, or returned)
plus the last approved figure, kept apart so that leaders keep seeing the approved value
while a correction waits for review.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..reporting.figure import ReviewedFigure, ReviewState
from .plan import Department, Indicator, Plan, figure_field


class ActualKind(models.TextChoices):
    PRELIMINARY = "preliminary", _("快报")
    FINAL = "final", _("年报")


# The review states of every reported figure, under the name this module always used.
ActualState = ReviewState


class TextStatus(models.TextChoices):
    """The outcome of a text target such as 完成市里下达任务."""

    DONE = "done", _("已完成")
    NOT_DONE = "not_done", _("未完成")


SOURCES = ["统计快报", "统计年报", "部门台账", "统计公报", "其他"]


class ActualQuerySet(models.QuerySet):
    def for_review(self):
        """Actuals with what a reviewer sees beside them, in a fixed number of queries."""
        return self.select_related(
            "indicator",
            "indicator__plan",
            "indicator__lead_department",
            "submitted_by",
            "entered_by",
        ).prefetch_related("indicator__targets")


class Actual(ReviewedFigure):
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("指标"), on_delete=models.CASCADE, related_name="actuals"
    )
    year = models.PositiveSmallIntegerField(_("年份"))

    # The working copy, as the department last saved it.
    value = figure_field(_("实际值"), null=True, blank=True)
    text_status = models.CharField(
        _("完成情况"), max_length=10, choices=TextStatus.choices, blank=True
    )
    kind = models.CharField(
        _("数据类型"), max_length=12, choices=ActualKind.choices, default=ActualKind.PRELIMINARY
    )
    explanation = models.TextField(_("原因分析"), blank=True)
    measures = models.TextField(_("整改措施"), blank=True)
    source = models.CharField(_("数据来源"), max_length=50, blank=True)
    # The figure leaders see: the last approved one, kept while a correction is reviewed.
    approved_value = figure_field(_("已审核实际值"), null=True, blank=True)
    approved_text_status = models.CharField(
        _("已审核完成情况"), max_length=10, choices=TextStatus.choices, blank=True
    )
    approved_kind = models.CharField(
        _("已审核数据类型"), max_length=12, choices=ActualKind.choices, blank=True
    )
    # What leaders read beside the approved figure: its explanation as approved, never a
    # correction's text still waiting for review.
    approved_explanation = models.TextField(_("已审核原因分析"), blank=True)
    approved_measures = models.TextField(_("已审核整改措施"), blank=True)
    APPROVED_FIELDS = {
        "value": "approved_value",
        "text_status": "approved_text_status",
        "kind": "approved_kind",
        "explanation": "approved_explanation",
        "measures": "approved_measures",
    }
    SAMPLE_FIELDS = ("value", "text_status", "explanation", "measures", "source")

    history = HistoricalRecords()
    objects = ActualQuerySet.as_manager()

    class Meta(ReviewedFigure.Meta):
        verbose_name = _("实际值")
        verbose_name_plural = _("实际值")
        ordering = ["indicator", "year"]
        constraints = [
            *ReviewedFigure.Meta.constraints,
            models.UniqueConstraint(fields=["indicator", "year"], name="actual_unique_per_year"),
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in ActualKind]), name="actual_kind_valid"
            ),
            # A number or a status, never both.
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(text_status=""),
                name="actual_value_or_status",
            ),
            # Only a complete figure leaves the department.
            models.CheckConstraint(
                condition=Q(state="draft") | Q(value__isnull=False) | ~Q(text_status=""),
                name="actual_submitted_has_figure",
            ),
            # An approved state always has its approved figure.
            models.CheckConstraint(
                condition=~Q(state="approved")
                | Q(approved_value__isnull=False)
                | ~Q(approved_text_status=""),
                name="actual_approved_has_figure",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.year}"


def evidence_path(instance: "Evidence", filename: str) -> str:
    return f"evidence/{instance.indicator_id}/{instance.year}/{filename}"


class Evidence(models.Model):
    """A file backing a reported figure (a bulletin page, a ledger)."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("指标"), on_delete=models.CASCADE, related_name="evidence"
    )
    year = models.PositiveSmallIntegerField(_("年份"))
    file = models.FileField(_("文件"), upload_to=evidence_path)
    original_name = models.CharField(_("原文件名"), max_length=255)
    department = models.ForeignKey(
        Department, verbose_name=_("上传单位"), on_delete=models.PROTECT, null=True, blank=True
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")
        ordering = ["indicator", "year", "uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class Comment(models.Model):
    """A remark on an indicator's year, from its lead or a responsible unit."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("指标"), on_delete=models.CASCADE, related_name="comments"
    )
    year = models.PositiveSmallIntegerField(_("年份"))
    text = models.TextField(_("意见"))
    department = models.ForeignKey(
        Department, verbose_name=_("单位"), on_delete=models.PROTECT, null=True, blank=True
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("填写人"), on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("意见")
        verbose_name_plural = _("意见")
        ordering = ["indicator", "year", "created_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="comment_not_blank"),
        ]

    def __str__(self) -> str:
        return self.text[:30]


class ReportingDeadline(models.Model):
    plan = models.ForeignKey(
        Plan, verbose_name=_("规划"), on_delete=models.CASCADE, related_name="deadlines"
    )
    year = models.PositiveSmallIntegerField(_("填报年份"))
    due_date = models.DateField(_("截止日期"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("设置人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("填报截止日期")
        verbose_name_plural = _("填报截止日期")
        ordering = ["plan", "year"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "year"], name="deadline_unique_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.plan} {self.year}: {self.due_date}"
