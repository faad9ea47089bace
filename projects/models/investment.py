"""Major projects (长沙高新区 附件二) and the investment planned and completed each year."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from indicators.models import Department, Plan, figure_field
from indicators.permissions import reportable
from indicators.reporting.figure import ReviewedFigure

# Every project figure is in 亿元, as 附件二 states them.
INVESTMENT_UNIT = "亿元"


class ProjectCategory(models.TextChoices):
    GOVERNMENT = "government", _("政府投资类")
    INDUSTRY = "industry", _("产业类")
    TECHNOLOGY = "technology", _("科技类")


class ProjectStatus(models.TextChoices):
    """The stage of a project. 附件二 states none: blank until someone records it."""

    PREPARATION = "preparation", _("前期")
    CONSTRUCTION = "construction", _("在建")
    COMPLETED = "completed", _("竣工")
    OPERATING = "operating", _("投产")


STATUS_UNKNOWN = _("未登记")


class ProjectQuerySet(models.QuerySet):
    def for_listing(self):
        """Projects with what a list page or the API shows, in a fixed number of queries."""
        return self.select_related("plan", "supervising_department").order_by("plan", "number")

    def reportable_by(self, user):
        """The projects whose investment the user reports (indicators/permissions.py)."""
        return reportable(self, user, "supervising_department")


class Project(models.Model):
    plan = models.ForeignKey(
        Plan, verbose_name=_("规划"), on_delete=models.CASCADE, related_name="projects"
    )
    number = models.PositiveSmallIntegerField(_("序号"))
    category = models.CharField(_("类别"), max_length=12, choices=ProjectCategory.choices)
    name = models.CharField(_("项目名称"), max_length=200)
    builder = models.CharField(_("建设主体"), max_length=200)
    total_investment = figure_field(_("总投资（亿元）"))
    content = models.TextField(_("建设内容"))
    # Blank in the source stays blank: 未登记, never a guessed 前期.
    status = models.CharField(
        _("项目状态"), max_length=12, choices=ProjectStatus.choices, blank=True
    )
    supervising_department = models.ForeignKey(
        Department,
        verbose_name=_("主管部门"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervised_projects",
        help_text=_("负责填报该项目年度投资的单位；规划未列明，由管理员分配。"),
    )
    notes = models.TextField(_("备注"), blank=True)

    history = HistoricalRecords()
    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("重大项目")
        verbose_name_plural = _("重大项目")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="project_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="project_number_positive"),
            models.CheckConstraint(
                condition=Q(category__in=[c.value for c in ProjectCategory]),
                name="project_category_valid",
            ),
            models.CheckConstraint(
                condition=Q(status="") | Q(status__in=[s.value for s in ProjectStatus]),
                name="project_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(total_investment__gte=0), name="project_investment_not_negative"
            ),
            models.CheckConstraint(condition=~Q(name=""), name="project_name_not_blank"),
            models.CheckConstraint(condition=~Q(builder=""), name="project_builder_not_blank"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"

    @property
    def status_label(self) -> str:
        return self.get_status_display() if self.status else str(STATUS_UNKNOWN)

    def reporting_department_ids(self) -> set[int]:
        """The supervising department reports the investment (indicators/permissions.py)."""
        return {self.supervising_department_id} if self.supervising_department_id else set()

    @property
    def department_name(self) -> str | None:
        department = self.supervising_department
        return department.name if department else None


class ProjectInvestment(ReviewedFigure):
    """A project's investment for a year: planned and completed, in 亿元, reviewed like an actual.

    The plan for the year may be reported before the year's completed figure is known.
    """

    APPROVED_FIELDS = {
        "planned": "approved_planned",
        "completed": "approved_completed",
        "explanation": "approved_explanation",
    }
    SAMPLE_FIELDS = ("planned", "completed", "explanation")

    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="investments"
    )
    year = models.PositiveSmallIntegerField(_("年份"))
    planned = figure_field(_("计划投资（亿元）"), null=True, blank=True)
    completed = figure_field(_("完成投资（亿元）"), null=True, blank=True)
    explanation = models.TextField(_("说明"), blank=True)
    approved_planned = figure_field(_("已审核计划投资"), null=True, blank=True)
    approved_completed = figure_field(_("已审核完成投资"), null=True, blank=True)
    approved_explanation = models.TextField(_("已审核说明"), blank=True)

    history = HistoricalRecords()

    class Meta(ReviewedFigure.Meta):
        verbose_name = _("项目年度投资")
        verbose_name_plural = _("项目年度投资")
        ordering = ["project", "year"]
        constraints = [
            *ReviewedFigure.Meta.constraints,
            models.UniqueConstraint(
                fields=["project", "year"], name="project_investment_unique_per_year"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100),
                name="project_investment_year_sane",
            ),
            models.CheckConstraint(
                condition=(Q(planned__isnull=True) | Q(planned__gte=0))
                & (Q(completed__isnull=True) | Q(completed__gte=0)),
                name="project_investment_figures_not_negative",
            ),
            # Only a figure with its year's plan leaves the department.
            models.CheckConstraint(
                condition=Q(state="draft") | Q(planned__isnull=False),
                name="project_investment_submitted_has_plan",
            ),
            models.CheckConstraint(
                condition=~Q(state="approved") | Q(approved_planned__isnull=False),
                name="project_investment_approved_has_plan",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.year}"
