"""The domain of a development plan: departments, plans, groups, indicators and targets.

Every figure is a Decimal. Rules that the database can hold (one number per plan, one
target per year, a target is a number or a text) are constraints, so a bug cannot break them.
"""

from decimal import Decimal

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..formatting import MISSING, grouped_decimal
from .lineage import IndicatorLineage, PlanLifecycle

# 18 digits with 4 decimals holds 1,000,000,000,000.0001 亿元, far beyond any plan figure.
FIGURE_DIGITS = 18
FIGURE_DECIMALS = 4


def figure_field(verbose_name, **kwargs) -> models.DecimalField:
    return models.DecimalField(
        verbose_name,
        max_digits=FIGURE_DIGITS,
        decimal_places=FIGURE_DECIMALS,
        **kwargs,
    )


class Department(models.Model):
    name = models.CharField(_("名称"), max_length=100, unique=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="department_name_not_blank"),
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    STAFF = "staff", _("填报员")
    ADMIN = "admin", _("管理员")
    LEADER = "leader", _("领导")


class UserManager(DjangoUserManager):
    """Django's user manager, with superusers that belong to the plan office.

    `manage.py createsuperuser` calls create_superuser(username, email, password) with
    REQUIRED_FIELDS (email) as keywords, interactive or with --noinput and
    DJANGO_SUPERUSER_PASSWORD. Without a role the new user would be a 填报员, who needs a
    department; a superuser is a 管理员 instead, needs no department, and joins the 管理员
    group like the admins that add_user creates.
    """

    use_in_migrations = True

    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", Role.ADMIN)
        user = super().create_superuser(username, email, password, **extra_fields)
        # indicators.users imports the models, so import it here and not at the top.
        from indicators.users import ensure_role_groups

        user.groups.set([ensure_role_groups()[Role(user.role)]])
        return user


class User(AbstractUser):
    """A user of one department with one role; the role also names the Django group."""

    department = models.ForeignKey(
        Department,
        verbose_name=_("所属单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    role = models.CharField(_("角色"), max_length=10, choices=Role.choices, default=Role.STAFF)

    objects = UserManager()

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=[r.value for r in Role]), name="user_role_valid"
            ),
            # Department staff report for their department, so they must have one.
            models.CheckConstraint(
                condition=~Q(role=Role.STAFF) | Q(department__isnull=False),
                name="staff_user_has_department",
            ),
        ]

    @property
    def is_plan_admin(self) -> bool:
        return self.is_superuser or self.role == Role.ADMIN

    @property
    def is_leader(self) -> bool:
        return self.role == Role.LEADER


class Plan(PlanLifecycle):
    slug = models.SlugField(_("标识"), max_length=60, unique=True)
    name = models.CharField(_("规划名称"), max_length=200)
    short_name = models.CharField(_("简称"), max_length=60)
    issuer = models.CharField(_("印发机关"), max_length=200, blank=True)
    document_number = models.CharField(_("文号"), max_length=60, blank=True)
    base_year = models.PositiveSmallIntegerField(_("基期年份"))
    first_year = models.PositiveSmallIntegerField(_("起始年份"))
    last_year = models.PositiveSmallIntegerField(_("终止年份"))
    near_points = models.DecimalField(
        _("占比值基本达标容差（百分点）"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("1.00"),
        help_text=_("占比值低于目标不超过此百分点数即为基本达标，默认 1 个百分点。"),
    )
    near_threshold = models.DecimalField(
        _("基本达标阈值"),
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.900"),
        help_text=_("完成率达到此比例即为基本达标，默认 0.9（90%）。"),
    )
    notes = models.TextField(_("备注"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("规划")
        verbose_name_plural = _("规划")
        ordering = ["first_year", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=Q(first_year__gt=models.F("base_year")),
                name="plan_first_year_after_base",
            ),
            models.CheckConstraint(
                condition=Q(last_year__gte=models.F("first_year")),
                name="plan_last_year_not_before_first",
            ),
            models.CheckConstraint(
                condition=Q(near_threshold__gt=0) & Q(near_threshold__lte=1),
                name="plan_near_threshold_in_range",
            ),
        ]

    def __str__(self) -> str:
        return self.short_name or self.name

    @property
    def years(self) -> list[int]:
        """The plan years, first to last."""
        return list(range(self.first_year, self.last_year + 1))


class IndicatorGroup(models.Model):
    """A plan's category (规模总量 …) or goal (综合实力 …), in the plan's order."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("规划"), on_delete=models.CASCADE, related_name="groups"
    )
    name = models.CharField(_("名称"), max_length=100)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("指标类别")
        verbose_name_plural = _("指标类别")
        ordering = ["plan", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "name"], name="group_name_unique_in_plan"),
        ]

    def __str__(self) -> str:
        return self.name


class Attribute(models.TextChoices):
    CUMULATIVE = "cumulative", _("累计值")
    ANNUAL = "annual", _("当年值")
    RATIO = "ratio", _("占比值")


class Direction(models.TextChoices):
    INCREASE = "increase", _("越大越好")
    DECREASE = "decrease", _("越小越好")


class IndicatorQuerySet(models.QuerySet):
    def for_listing(self):
        """Indicators with everything a list page or the API shows, in a fixed number of queries.

        Each target carries its live revision, if any (lifecycle.py), at no extra query.
        """
        from .lifecycle import with_revisions

        return (
            self.select_related("group", "lead_department", "plan")
            .prefetch_related("responsible_departments", with_revisions("targets"))
            .order_by("plan", "number")
        )

    def reportable_by(self, user):
        """The indicators whose actuals the user reports (indicators/permissions.py)."""
        from ..permissions import reportable

        return reportable(self, user, "lead_department")


class Indicator(IndicatorLineage):
    plan = models.ForeignKey(
        Plan, verbose_name=_("规划"), on_delete=models.CASCADE, related_name="indicators"
    )
    group = models.ForeignKey(
        IndicatorGroup,
        verbose_name=_("类别"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicators",
    )
    number = models.PositiveSmallIntegerField(_("序号"))
    name = models.CharField(_("指标名称"), max_length=200)
    unit = models.CharField(_("单位"), max_length=20)
    attribute = models.CharField(
        _("属性"), max_length=12, choices=Attribute.choices, default=Attribute.CUMULATIVE
    )
    direction = models.CharField(
        _("方向"), max_length=10, choices=Direction.choices, default=Direction.INCREASE
    )
    is_rate = models.BooleanField(
        _("增速类指标"),
        default=False,
        help_text=_("数值本身是年度增速或降幅（如“年均增长”），分解目标逐年取同一值。"),
    )
    lead_department = models.ForeignKey(
        Department,
        verbose_name=_("牵头单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_indicators",
    )
    responsible_departments = models.ManyToManyField(
        Department,
        verbose_name=_("责任单位"),
        blank=True,
        related_name="responsible_indicators",
    )
    # Blank in the source stays blank: None, never 0.
    base_value = figure_field(_("基期值"), null=True, blank=True)
    aligned_with_city = models.BooleanField(
        _("对应长沙市指标体系"), null=True, blank=True, default=None
    )
    aligned_with_most = models.BooleanField(
        _("对应科技部考核指标体系"), null=True, blank=True, default=None
    )
    alignment_remark = models.CharField(_("对标备注"), max_length=200, blank=True)
    notes = models.TextField(_("备注"), blank=True)

    history = HistoricalRecords(m2m_fields=[responsible_departments])
    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("指标")
        verbose_name_plural = _("指标")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="indicator_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="indicator_number_positive"),
            models.CheckConstraint(
                condition=Q(attribute__in=[a.value for a in Attribute]),
                name="indicator_attribute_valid",
            ),
            models.CheckConstraint(
                condition=Q(direction__in=[d.value for d in Direction]),
                name="indicator_direction_valid",
            ),
            models.CheckConstraint(condition=~Q(name=""), name="indicator_name_not_blank"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"

    def reporting_department_ids(self) -> set[int]:
        """The lead department reports the actuals (indicators/permissions.py)."""
        return {self.lead_department_id} if self.lead_department_id else set()

    def contributing_department_ids(self) -> set[int]:
        """Responsible units add remarks and evidence; uses the prefetched departments."""
        return {d.pk for d in self.responsible_departments.all()}

    @property
    def is_ratio(self) -> bool:
        return self.attribute == Attribute.RATIO

    @property
    def base_year(self) -> int:
        return self.plan.base_year


class Target(models.Model):
    """A yearly target: a Decimal value, or a text target such as 完成市里下达任务."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("指标"), on_delete=models.CASCADE, related_name="targets"
    )
    year = models.PositiveSmallIntegerField(_("年份"))
    value = figure_field(_("目标值"), null=True, blank=True)
    text = models.CharField(_("文字目标"), max_length=100, blank=True)
    is_derived = models.BooleanField(
        _("推算目标"),
        default=False,
        help_text=_("规划只给出终期目标时，按规则推算的中间年份目标。"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("目标")
        verbose_name_plural = _("目标")
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="target_unique_per_year"),
            # Exactly one of a number and a text.
            models.CheckConstraint(
                condition=(Q(value__isnull=False) & Q(text=""))
                | (Q(value__isnull=True) & ~Q(text="")),
                name="target_value_or_text",
            ),
            # Only numbers are derived; a text target is always stated by the plan.
            models.CheckConstraint(
                condition=Q(is_derived=False) | Q(value__isnull=False),
                name="derived_target_has_value",
            ),
        ]

    def __str__(self) -> str:
        # Plain figures (1,447, not 1447.0000): this text names the row in the admin.
        shown = self.text or grouped_decimal(self.value) or MISSING
        return f"{self.indicator} {self.year}: {shown}"


class SheetImport(models.Model):
    """An uploaded responsibility sheet: kept for the preview, the confirmation and the record."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("待确认")
        APPLIED = "applied", _("已导入")
        DISCARDED = "discarded", _("已放弃")

    plan = models.ForeignKey(
        Plan, verbose_name=_("规划"), on_delete=models.CASCADE, related_name="sheet_imports"
    )
    file_name = models.CharField(_("文件名"), max_length=255)
    content = models.BinaryField(_("文件内容"))
    sha256 = models.CharField(_("文件摘要"), max_length=64)
    uploaded_by = models.ForeignKey(
        User, verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="sheet_imports"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PREVIEWED
    )
    # The digest of the previewed changes: confirming applies only what was shown.
    preview_digest = models.CharField(_("预览摘要"), max_length=64)
    applied_at = models.DateTimeField(_("导入时间"), null=True, blank=True)
    summary = models.JSONField(_("导入结果"), default=dict, blank=True)

    class Meta:
        verbose_name = _("责任分解表导入记录")
        verbose_name_plural = _("责任分解表导入记录")
        ordering = ["-uploaded_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["previewed", "applied", "discarded"]),
                name="sheet_import_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"
