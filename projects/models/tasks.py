"""Key tasks of a plan (望城区 附件2), their numbered items, the quantified milestones of the
task texts (§三) with their yearly progress, and the named 标杆企业 with their status."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from indicators.models import Attribute, Department, Direction, Plan, figure_field
from indicators.permissions import reportable
from indicators.reporting.figure import ReviewedFigure


class KeyTask(models.Model):
    """A 重点任务 with its lead and responsible units, as 附件2 assigns them."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("规划"), on_delete=models.CASCADE, related_name="key_tasks"
    )
    number = models.PositiveSmallIntegerField(_("序号"))
    name = models.CharField(_("主要任务"), max_length=200)
    content = models.TextField(_("主要内容"), blank=True)
    lead_departments = models.ManyToManyField(
        Department, verbose_name=_("牵头单位"), blank=True, related_name="led_key_tasks"
    )
    responsible_departments = models.ManyToManyField(
        Department, verbose_name=_("责任单位"), blank=True, related_name="responsible_key_tasks"
    )

    history = HistoricalRecords(m2m_fields=[lead_departments, responsible_departments])

    class Meta:
        verbose_name = _("重点任务")
        verbose_name_plural = _("重点任务")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="key_task_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="key_task_number_positive"),
            models.CheckConstraint(condition=~Q(name=""), name="key_task_name_not_blank"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class TaskItem(models.Model):
    """A numbered item of a task: its title as 附件2 words it, its text from §三."""

    task = models.ForeignKey(
        KeyTask, verbose_name=_("重点任务"), on_delete=models.CASCADE, related_name="items"
    )
    number = models.PositiveSmallIntegerField(_("序号"))
    title = models.CharField(_("事项"), max_length=200)
    text = models.TextField(_("任务内容"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("任务事项")
        verbose_name_plural = _("任务事项")
        ordering = ["task", "number"]
        constraints = [
            models.UniqueConstraint(fields=["task", "number"], name="task_item_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="task_item_number_positive"),
            models.CheckConstraint(condition=~Q(title=""), name="task_item_title_not_blank"),
        ]

    def __str__(self) -> str:
        return f"{self.task.number}.{self.number} {self.title}"


class MilestoneQuerySet(models.QuerySet):
    def reportable_by(self, user):
        """The milestones whose progress the user reports (indicators/permissions.py)."""
        return reportable(self, user, "lead_departments")


class Milestone(models.Model):
    """A quantified target in a task text, tracked like an indicator.

    A 当年值 milestone is a quota for every plan year (每年引进产业链企业35家以上); the
    others are to be reached by `target_year` (到2023年…), reported each year as the
    level reached (for 新增…, the count since the plan began). A rank is a decrease.
    """

    task = models.ForeignKey(
        KeyTask, verbose_name=_("重点任务"), on_delete=models.CASCADE, related_name="milestones"
    )
    item = models.ForeignKey(
        TaskItem,
        verbose_name=_("所属事项"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="milestones",
    )
    number = models.PositiveSmallIntegerField(_("序号"))
    name = models.CharField(_("目标名称"), max_length=100)
    text = models.CharField(_("原文"), max_length=300)
    target_value = figure_field(_("目标值"))
    unit = models.CharField(_("单位"), max_length=20)
    attribute = models.CharField(
        _("属性"), max_length=12, choices=Attribute.choices, default=Attribute.CUMULATIVE
    )
    direction = models.CharField(
        _("方向"), max_length=10, choices=Direction.choices, default=Direction.INCREASE
    )
    target_year = models.PositiveSmallIntegerField(
        _("目标年份"), null=True, blank=True, help_text=_("当年值（每年）目标不填。")
    )
    lead_departments = models.ManyToManyField(
        Department, verbose_name=_("牵头单位"), blank=True, related_name="led_milestones"
    )
    notes = models.TextField(_("备注"), blank=True)

    history = HistoricalRecords(m2m_fields=[lead_departments])
    objects = MilestoneQuerySet.as_manager()

    class Meta:
        verbose_name = _("任务目标")
        verbose_name_plural = _("任务目标")
        ordering = ["task", "number"]
        constraints = [
            models.UniqueConstraint(fields=["task", "number"], name="milestone_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="milestone_number_positive"),
            models.CheckConstraint(condition=~Q(text=""), name="milestone_text_not_blank"),
            models.CheckConstraint(condition=~Q(name=""), name="milestone_name_not_blank"),
            models.CheckConstraint(
                condition=Q(target_value__gte=0), name="milestone_target_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(attribute__in=[a.value for a in Attribute]),
                name="milestone_attribute_valid",
            ),
            models.CheckConstraint(
                condition=Q(direction__in=[d.value for d in Direction]),
                name="milestone_direction_valid",
            ),
            # A yearly quota has no target year; every other milestone has one.
            models.CheckConstraint(
                condition=(Q(attribute="annual") & Q(target_year__isnull=True))
                | (~Q(attribute="annual") & Q(target_year__isnull=False)),
                name="milestone_period_consistent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task.number}-{self.number} {self.name}"

    def reporting_department_ids(self) -> set[int]:
        """The lead units report progress; uses the prefetched departments."""
        return {d.pk for d in self.lead_departments.all()}

    @property
    def is_annual(self) -> bool:
        return self.attribute == Attribute.ANNUAL

    @property
    def is_decrease(self) -> bool:
        return self.direction == Direction.DECREASE

    @property
    def code(self) -> str:
        """The milestone as people cite it: 任务序号-目标序号, e.g. 5-11."""
        return f"{self.task.number}-{self.number}"

    @property
    def period_label(self) -> str:
        return "每年" if self.is_annual else f"到{self.target_year}年"

    def target_for(self, year: int) -> Decimal | None:
        """Return the target of `year`: every year for a quota, else the target year only."""
        if self.is_annual or year == self.target_year:
            return self.target_value
        return None


class MilestoneProgress(ReviewedFigure):
    """The figure a lead unit reports for a milestone and year, reviewed like an actual."""

    APPROVED_FIELDS = {
        "value": "approved_value",
        "explanation": "approved_explanation",
        "measures": "approved_measures",
    }
    SAMPLE_FIELDS = ("value", "explanation", "measures")

    milestone = models.ForeignKey(
        Milestone, verbose_name=_("任务目标"), on_delete=models.CASCADE, related_name="progress"
    )
    year = models.PositiveSmallIntegerField(_("年份"))
    value = figure_field(_("完成值"), null=True, blank=True)
    explanation = models.TextField(_("原因分析"), blank=True)
    measures = models.TextField(_("整改措施"), blank=True)
    approved_value = figure_field(_("已审核完成值"), null=True, blank=True)
    approved_explanation = models.TextField(_("已审核原因分析"), blank=True)
    approved_measures = models.TextField(_("已审核整改措施"), blank=True)

    history = HistoricalRecords()

    class Meta(ReviewedFigure.Meta):
        verbose_name = _("任务目标进展")
        verbose_name_plural = _("任务目标进展")
        ordering = ["milestone", "year"]
        constraints = [
            *ReviewedFigure.Meta.constraints,
            models.UniqueConstraint(
                fields=["milestone", "year"], name="milestone_progress_unique_per_year"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100),
                name="milestone_progress_year_sane",
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=0),
                name="milestone_progress_not_negative",
            ),
            # Only a complete figure leaves the department.
            models.CheckConstraint(
                condition=Q(state="draft") | Q(value__isnull=False),
                name="milestone_progress_submitted_has_value",
            ),
            models.CheckConstraint(
                condition=~Q(state="approved") | Q(approved_value__isnull=False),
                name="milestone_progress_approved_has_value",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.milestone} {self.year}"


class EnterpriseKind(models.TextChoices):
    """The five kinds of 标杆企业 of task 5, in the plan's order."""

    LEADER = "leader", _("龙头领军企业")
    SMART_MANUFACTURING = "smart_manufacturing", _("智能制造示范企业")
    QUALITY_BRAND = "quality_brand", _("质量品牌标杆企业")
    SPECIALISED = "specialised", _("专精特新企业")
    LISTING = "listing", _("上市（挂牌）企业")


class EnterpriseStatus(models.TextChoices):
    CULTIVATING = "cultivating", _("培育中")
    CHAMPION = "champion", _("已获评单项冠军")
    DEMONSTRATION = "demonstration", _("已获评智能制造示范")
    BENCHMARK = "benchmark", _("已获评质量品牌标杆")
    LITTLE_GIANT = "little_giant", _("已获评专精特新（小巨人）")
    COUNSELLING = "counselling", _("上市辅导中")
    FILED = "filed", _("已申报上市")
    LISTED = "listed", _("已上市")
    QUOTED = "quoted", _("已挂牌")
    WITHDRAWN = "withdrawn", _("已退出培育")


# What each kind can become; any enterprise may also leave the programme (已退出培育).
STATUSES_BY_KIND: dict[str, list[EnterpriseStatus]] = {
    EnterpriseKind.LEADER: [
        EnterpriseStatus.CULTIVATING,
        EnterpriseStatus.CHAMPION,
        EnterpriseStatus.WITHDRAWN,
    ],
    EnterpriseKind.SMART_MANUFACTURING: [
        EnterpriseStatus.CULTIVATING,
        EnterpriseStatus.DEMONSTRATION,
        EnterpriseStatus.WITHDRAWN,
    ],
    EnterpriseKind.QUALITY_BRAND: [
        EnterpriseStatus.CULTIVATING,
        EnterpriseStatus.BENCHMARK,
        EnterpriseStatus.WITHDRAWN,
    ],
    EnterpriseKind.SPECIALISED: [
        EnterpriseStatus.CULTIVATING,
        EnterpriseStatus.LITTLE_GIANT,
        EnterpriseStatus.WITHDRAWN,
    ],
    EnterpriseKind.LISTING: [
        EnterpriseStatus.CULTIVATING,
        EnterpriseStatus.COUNSELLING,
        EnterpriseStatus.FILED,
        EnterpriseStatus.LISTED,
        EnterpriseStatus.QUOTED,
        EnterpriseStatus.WITHDRAWN,
    ],
}


def _status_fits_kind() -> Q:
    condition = Q()
    for kind, statuses in STATUSES_BY_KIND.items():
        condition |= Q(kind=kind, status__in=[s.value for s in statuses])
    return condition


class Enterprise(models.Model):
    """A named enterprise of one of the five kinds, with the status its lead unit keeps."""

    task = models.ForeignKey(
        KeyTask, verbose_name=_("重点任务"), on_delete=models.CASCADE, related_name="enterprises"
    )
    kind = models.CharField(_("类别"), max_length=24, choices=EnterpriseKind.choices)
    order = models.PositiveSmallIntegerField(_("顺序"))
    name = models.CharField(_("企业"), max_length=100)
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=EnterpriseStatus.choices,
        default=EnterpriseStatus.CULTIVATING,
    )
    note = models.CharField(_("情况说明"), max_length=300, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("更新人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("更新时间"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("标杆企业")
        verbose_name_plural = _("标杆企业")
        ordering = ["task", "kind", "order"]
        constraints = [
            models.UniqueConstraint(fields=["task", "kind", "name"], name="enterprise_unique"),
            models.UniqueConstraint(
                fields=["task", "kind", "order"], name="enterprise_order_unique"
            ),
            models.CheckConstraint(condition=~Q(name=""), name="enterprise_name_not_blank"),
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in EnterpriseKind]),
                name="enterprise_kind_valid",
            ),
            models.CheckConstraint(
                condition=_status_fits_kind(), name="enterprise_status_fits_kind"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="enterprise_version_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_kind_display()}）"

    def reporting_department_ids(self) -> set[int]:
        """The task's lead units keep the status; uses the prefetched departments."""
        return {d.pk for d in self.task.lead_departments.all()}

    @property
    def status_choices(self) -> list[tuple[str, str]]:
        return [(s.value, s.label) for s in STATUSES_BY_KIND[self.kind]]
