"""Signal receivers: the role groups after migrations, and the progress cache's bumps.

Every ORM save or delete of something a plan's progress shows — the plan, its groups,
indicators, targets, actuals, deadline, a department's name, an indicator's responsible
units — bumps the plan's data version once the transaction commits (indicators/cache.py).
Signals are the one place every ORM write passes: the Django admin, the importers, the
commands, the shell. Bulk writes (bulk_create, QuerySet.update) send no signals; their
callers bump explicitly (indicators/demo.py). QuerySet.delete sends them for each row,
since receivers are connected. Writes past the ORM — a database restored from a backup,
migrations — bump every plan.
"""

from dbbackup.signals import post_restore
from django.core.signals import request_finished, request_started
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save, pre_save
from django.dispatch import receiver

from . import cache, kept
from .cache import bump_all_on_commit, bump_many_on_commit, bump_on_commit
from .models import (
    Actual,
    Department,
    Indicator,
    IndicatorGroup,
    Plan,
    ReportingDeadline,
    Target,
    User,
)


@receiver(post_migrate)
def ensure_role_groups(sender, **kwargs) -> None:
    from .users import ensure_role_groups as ensure

    # After every app: the 管理员 group must also get the permissions of apps migrated
    # after this one (projects). It is idempotent and cheap.
    ensure()


# A request reads each version once (indicators/cache.py).
request_started.connect(cache.start_request, dispatch_uid="versions-start")
request_finished.connect(cache.end_request, dispatch_uid="versions-end")


# The plan's own rows and rows that name their plan directly.


@receiver([post_save, post_delete], sender=Plan)
def plan_changed(sender, instance: Plan, **kwargs) -> None:
    """Every plan's kept pages carry the plan menu, which names this plan: all move."""
    bump_on_commit(instance.pk)
    bump_all_on_commit()
    kept.plans_changed()  # the plan menu and the plans each process keeps


# The signed-in user each process keeps (indicators/kept.py): its row and its department.


@receiver([post_save, post_delete], sender=User)
def user_changed(sender, instance: User, **kwargs) -> None:
    kept.user_changed(instance.pk)


def _all_users_changed() -> None:
    for user_id in User._default_manager.values_list("pk", flat=True):
        kept.user_changed(user_id)


@receiver([post_save, post_delete], sender=IndicatorGroup)
@receiver([post_save, post_delete], sender=ReportingDeadline)
def plan_row_changed(sender, instance, **kwargs) -> None:
    bump_on_commit(instance.plan_id)


@receiver(pre_save, sender=IndicatorGroup)
@receiver(pre_save, sender=ReportingDeadline)
@receiver(pre_save, sender=Indicator)
def plan_row_moving(sender, instance, **kwargs) -> None:
    """A row moved to another plan (in the admin) leaves the old one changed too."""
    if not instance._state.adding and instance.pk is not None:
        old = sender._default_manager.filter(pk=instance.pk).values_list("plan_id", flat=True)
        for plan_id in old:
            if plan_id != instance.plan_id:
                bump_on_commit(plan_id)


@receiver([post_save, post_delete], sender=Indicator)
def indicator_changed(sender, instance: Indicator, **kwargs) -> None:
    bump_on_commit(instance.plan_id)


# Rows of an indicator: their plan is the indicator's.


def _indicator_plan_id(instance) -> int | None:
    """The plan of a target's or an actual's indicator: free when the indicator is loaded."""
    if type(instance).indicator.is_cached(instance):
        return instance.indicator.plan_id
    return (
        Indicator.objects.filter(pk=instance.indicator_id).values_list("plan_id", flat=True).first()
    )


@receiver(pre_save, sender=Target)
@receiver(pre_save, sender=Actual)
def indicator_row_saving(sender, instance, **kwargs) -> None:
    """An update: remember the stored row's plan (one query), in case it moved."""
    if instance._state.adding or instance.pk is None:
        return
    stored = (
        sender._default_manager.filter(pk=instance.pk)
        .values_list("indicator_id", "indicator__plan_id")
        .first()
    )
    instance._plan_before_save = stored


@receiver(post_save, sender=Target)
@receiver(post_save, sender=Actual)
def indicator_row_saved(sender, instance, **kwargs) -> None:
    stored = instance.__dict__.pop("_plan_before_save", None)
    if stored is None:
        bump_on_commit(_indicator_plan_id(instance))
        return
    indicator_id, plan_id = stored
    bump_on_commit(plan_id)
    if indicator_id != instance.indicator_id:  # moved to another indicator
        bump_on_commit(_indicator_plan_id(instance))


@receiver(post_delete, sender=Target)
@receiver(post_delete, sender=Actual)
def indicator_row_deleted(sender, instance, **kwargs) -> None:
    bump_on_commit(_indicator_plan_id(instance))


@receiver(m2m_changed, sender=Indicator.responsible_departments.through)
def responsible_units_changed(sender, instance, action: str, reverse: bool, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    if not reverse:  # indicator.responsible_departments.set/add/remove/clear
        bump_on_commit(instance.plan_id)
    elif pk_set:  # department.responsible_indicators.add/remove(indicators)
        bump_many_on_commit(
            Indicator.objects.filter(pk__in=pk_set).values_list("plan_id", flat=True)
        )
    else:  # department.responsible_indicators.clear(): which indicators is not told
        bump_all_on_commit()


@receiver(post_save, sender=Department)
@receiver(post_delete, sender=Department)
def department_changed(sender, instance: Department, created: bool = False, **kwargs) -> None:
    """A renamed department shows in every plan it serves, and beside each of its users'
    names; a new one in none yet."""
    if not created:
        bump_all_on_commit()
        kept.plans_changed()  # the departments each process keeps (kept.kept_department)
        for user_id in User._default_manager.filter(department=instance).values_list(
            "pk", flat=True
        ):
            kept.user_changed(user_id)


@receiver(post_restore)
def database_restored(sender, **kwargs) -> None:
    """`restore` (dbrestore) replaced every row: no cached progress, kept plan or kept user
    is right any more."""
    bump_all_on_commit()
    kept.plans_changed()
    _all_users_changed()


@receiver(post_migrate)
def migrated(sender, plan=None, **kwargs) -> None:
    """Migrations were applied (sent per app; acted on once): data migrations may change figures."""
    if plan and sender.name == "indicators":
        bump_all_on_commit()
        kept.plans_changed()
        _all_users_changed()
