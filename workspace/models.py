"""A user's notifications and preferences."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class NotificationKind(models.TextChoices):
    RETURNED = "returned", _("数据被退回")
    APPROVED = "approved", _("数据已审核")
    COMMENT = "comment", _("新意见")
    DEADLINE_WEEK = "deadline_week", _("7 天后截止")
    DEADLINE_DAY = "deadline_day", _("明天截止")
    DEADLINE_PASSED = "deadline_passed", _("已过截止日期")
    REMINDER = "reminder", _("填报提醒")


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One message to one user, shown at /notifications/ until read."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("类型"), max_length=20, choices=NotificationKind.choices)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    # Events sent by a schedule (deadline notices) name themselves, so a second run of the
    # same day finds its notice already there.
    event_key = models.CharField(_("事件标识"), max_length=120, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    history = HistoricalRecords()
    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in NotificationKind]),
                name="notification_kind_valid",
            ),
            models.UniqueConstraint(
                fields=["recipient", "event_key"],
                condition=~Q(event_key=""),
                name="notification_event_once",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class Preference(models.Model):
    """What a user chose for themselves; the default plan wins over the automatic choice."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="preference",
    )
    default_plan = models.ForeignKey(
        "indicators.Plan",
        verbose_name=_("默认规划"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("个人设置")
        verbose_name_plural = _("个人设置")

    def __str__(self) -> str:
        return str(self.user)
