"""Key tasks of a plan (望城区 附件2). Projects and milestones follow in their own issue."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from indicators.models import Department, Plan


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
