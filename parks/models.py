"""Figures published about parks (newspaper features, bulletins), kept apart from the
figures departments report: they are shown beside approved actuals, never counted in
completion or ratings (DESIGN.md §3).

A published figure keeps the text's own words: the period as stated (十四五, 2023年,
“十五五”末), the qualifier (超, 近, 以上 …), the number as written (三千亿, 近半) and the
verbatim quote, with the source document. Rules the database can hold are constraints.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from indicators.models import Indicator, figure_field


class SourceDocument(models.Model):
    """A public document figures are taken from: a newspaper feature, a bulletin."""

    key = models.CharField(
        _("文档编号"),
        max_length=60,
        unique=True,
        help_text=_("如 000_d6a5754dd4591bab：来源文本文件的名称。"),
    )
    title = models.CharField(_("标题"), max_length=200)
    series = models.CharField(_("栏目或总题"), max_length=200, blank=True)
    authors = models.CharField(_("作者"), max_length=200, blank=True)
    published = models.CharField(
        _("发表时间"), max_length=40, help_text=_("精确到已知的程度，如 2026年1月。")
    )
    note = models.TextField(_("说明"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("来源文档")
        verbose_name_plural = _("来源文档")
        ordering = ["key"]
        constraints = [
            models.CheckConstraint(condition=~Q(key=""), name="source_key_not_blank"),
            models.CheckConstraint(condition=~Q(title=""), name="source_title_not_blank"),
            models.CheckConstraint(condition=~Q(published=""), name="source_published_not_blank"),
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.published}）"


class EntityKind(models.TextChoices):
    PARK = "park", _("园区")
    AREA = "area", _("国家级新区")
    SUBAREA = "subarea", _("片区")
    CITY = "city", _("城市")
    PROJECT = "project", _("项目或载体")
    ENTERPRISE = "enterprise", _("企业")


# The comparison page draws parks and new areas; the other entities are in its table.
COMPARED_ENTITIES = (EntityKind.PARK, EntityKind.AREA)


class FigureKind(models.TextChoices):
    RESULT = "result", _("实绩")
    GOAL = "goal", _("目标")
    RANK = "rank", _("排名")
    RANK_GOAL = "rank_goal", _("排名目标")
    RANK_CHANGE = "rank_change", _("名次变化")
    ATTRIBUTE = "attribute", _("描述性数据")


RANK_KINDS = (FigureKind.RANK, FigureKind.RANK_GOAL)
GOAL_KINDS = (FigureKind.GOAL, FigureKind.RANK_GOAL)


class Topic(models.TextChoices):
    """What the comparison page lines up across parks."""

    NONE = "", _("（不参与对比）")
    ENTERPRISES = "enterprises", _("企业")
    PROJECTS = "projects", _("项目")
    INVESTMENT = "investment", _("投资与资金")
    OUTPUT = "output", _("产值与营收")
    RANK = "rank", _("排名")


class Qualifier(models.TextChoices):
    NONE = "", _("（无）")
    OVER = "超", "超"
    NEARLY = "近", "近"
    ABOUT = "约", "约"
    AT_LEAST = "以上", "以上"
    BREAKTHROUGH = "突破", "突破"
    TOP = "前", "前"
    ODD = "余", "余"
    MORE = "多", "多"
    AROUND = "左右", "左右"
    LEVEL = "级", "级"
    UNDER = "不足", "不足"


class Direction(models.TextChoices):
    HIGHER = "higher", _("越大越好")
    LOWER = "lower", _("越小越好")


# What the form, the upload and the loader write of a figure (besides its source and key).
FIGURE_FIELDS = (
    "entity",
    "entity_kind",
    "metric",
    "kind",
    "topic",
    "period",
    "reference_year",
    "value",
    "stated_as",
    "unit",
    "qualifier",
    "direction",
    "uncertain",
    "note",
    "quote",
)


class PublishedFigureQuerySet(models.QuerySet):
    def with_source(self):
        return self.select_related("source")

    def for_listing(self):
        """Figures with their source and their links to plan indicators: three queries."""
        return (
            self.with_source()
            .prefetch_related(
                models.Prefetch(
                    "indicator_links",
                    queryset=IndicatorLink.objects.select_related("indicator__plan").order_by("pk"),
                )
            )
            .order_by("source__key", "entity", "metric", "reference_year", "pk")
        )


class PublishedFigure(models.Model):
    source = models.ForeignKey(
        SourceDocument, verbose_name=_("来源文档"), on_delete=models.PROTECT, related_name="figures"
    )
    key = models.SlugField(
        _("编号"), max_length=60, help_text=_("在来源文档内唯一，如 yz-rank-2024。")
    )
    entity = models.CharField(_("主体"), max_length=60)
    entity_kind = models.CharField(
        _("主体类型"), max_length=12, choices=EntityKind.choices, default=EntityKind.PARK
    )
    metric = models.CharField(_("指标"), max_length=100)
    kind = models.CharField(_("类别"), max_length=12, choices=FigureKind.choices)
    topic = models.CharField(_("对比主题"), max_length=12, choices=Topic.choices, blank=True)
    period = models.CharField(
        _("时期"), max_length=40, help_text=_("按原文写法：2023年、“十四五”、“十五五”末。")
    )
    reference_year = models.PositiveSmallIntegerField(
        _("参照年份"),
        help_text=_("时期对应的年份，用于排序：“十四五”记 2025，“十五五”末记 2030。"),
    )
    value = figure_field(_("数值"))
    stated_as = models.CharField(
        _("原文写法"), max_length=40, help_text=_("数字在原文中的写法，如 三千亿、近半、152。")
    )
    unit = models.CharField(_("单位"), max_length=20, blank=True)
    qualifier = models.CharField(_("修饰词"), max_length=4, choices=Qualifier.choices, blank=True)
    direction = models.CharField(
        _("方向"), max_length=8, choices=Direction.choices, default=Direction.HIGHER
    )
    uncertain = models.BooleanField(_("存疑"), default=False)
    note = models.TextField(_("说明"), blank=True)
    quote = models.TextField(_("原文"))

    history = HistoricalRecords()
    objects = PublishedFigureQuerySet.as_manager()

    class Meta:
        verbose_name = _("公开报道数据")
        verbose_name_plural = _("公开报道数据")
        ordering = ["source", "entity", "metric", "reference_year", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["source", "key"], name="published_key_unique"),
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in FigureKind]), name="published_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(entity_kind__in=[k.value for k in EntityKind]),
                name="published_entity_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(topic__in=[t.value for t in Topic]), name="published_topic_valid"
            ),
            models.CheckConstraint(
                condition=Q(qualifier__in=[q.value for q in Qualifier]),
                name="published_qualifier_valid",
            ),
            models.CheckConstraint(
                condition=Q(direction__in=[d.value for d in Direction]),
                name="published_direction_valid",
            ),
            # A rank is better when lower, and is a place: 1 or more.
            models.CheckConstraint(
                condition=~Q(kind__in=RANK_KINDS) | (Q(direction="lower") & Q(value__gte=1)),
                name="published_rank_lower_is_better",
            ),
            # Only a change of rank may be negative (a fall); everything else is a count,
            # an amount, a share or a place.
            models.CheckConstraint(
                condition=Q(value__gte=0) | Q(kind=FigureKind.RANK_CHANGE),
                name="published_value_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(uncertain=False) | ~Q(note=""), name="published_uncertain_has_note"
            ),
            models.CheckConstraint(condition=~Q(quote=""), name="published_quote_not_blank"),
            models.CheckConstraint(condition=~Q(entity=""), name="published_entity_not_blank"),
            models.CheckConstraint(condition=~Q(metric=""), name="published_metric_not_blank"),
            models.CheckConstraint(condition=~Q(period=""), name="published_period_not_blank"),
            models.CheckConstraint(
                condition=~Q(stated_as=""), name="published_stated_as_not_blank"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entity} · {self.metric}（{self.period}）"

    @property
    def is_rank(self) -> bool:
        return self.kind in RANK_KINDS

    @property
    def is_goal(self) -> bool:
        return self.kind in GOAL_KINDS


class IndicatorLink(models.Model):
    """A published figure that measures the same thing as a plan indicator, with the scope
    difference spelled out (park vs district, another period)."""

    figure = models.ForeignKey(
        PublishedFigure,
        verbose_name=_("公开报道数据"),
        on_delete=models.CASCADE,
        related_name="indicator_links",
    )
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("规划指标"),
        on_delete=models.CASCADE,
        related_name="published_links",
    )
    scope_note = models.TextField(_("口径说明"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("报道与指标的对应")
        verbose_name_plural = _("报道与指标的对应")
        ordering = ["indicator", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["figure", "indicator"], name="published_link_unique"),
            models.CheckConstraint(condition=~Q(scope_note=""), name="published_link_scope_note"),
        ]

    def __str__(self) -> str:
        return f"{self.figure} ↔ {self.indicator}"
