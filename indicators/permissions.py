"""Who may report, contribute to, review and see what. Every view and service asks here.

A reportable subject (an indicator, a project, a milestone, an enterprise) names the
departments that report its figures with `reporting_department_ids()`, and may name those
that only contribute remarks and evidence with `contributing_department_ids()`. Their
QuerySets offer `reportable_by(user)`, built on `reportable()` below.
"""

import operator
from collections.abc import Callable
from functools import reduce

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, QuerySet
from django.http import Http404

from .models import Role, User


def is_active(user) -> bool:
    return bool(user.is_authenticated and user.is_active)


def can_review(user) -> bool:
    """Only the plan office reviews reported figures."""
    return is_active(user) and user.is_plan_admin


def can_manage_plans(user) -> bool:
    """Only the plan office creates, closes and reopens plans and revises their targets."""
    return is_active(user) and user.is_plan_admin


def can_edit_published(user) -> bool:
    """Only the plan office adds and corrects figures published about parks (parks/)."""
    return can_review(user)


def can_search(user) -> bool:
    """Every signed-in user searches every plan: the pages it lands on are theirs to read."""
    return is_active(user)


def can_remove_samples(user) -> bool:
    """The sample data loaded for a first start is removed by the plan office only."""
    return is_active(user) and user.is_plan_admin


def _is_staff_of(user, department_ids: Callable[[], object]) -> bool:
    """Whether the user is staff of one of the departments; they are read (a query, often)
    only for department staff: a leader or a user without a department is answered free."""
    return (
        user.role == Role.STAFF
        and user.department_id is not None
        and user.department_id in department_ids()
    )


def can_report(user, subject) -> bool:
    """Return True if the user may enter the subject's figures.

    The plan office may enter any; department staff only what their department reports.
    """
    if not is_active(user):
        return False
    if user.is_plan_admin:
        return True
    return _is_staff_of(user, subject.reporting_department_ids)


def can_contribute(user, subject) -> bool:
    """Return True if the user may comment or add evidence: a reporting or contributing unit."""
    if can_report(user, subject):
        return True
    contributing = getattr(subject, "contributing_department_ids", None)
    return bool(contributing) and is_active(user) and _is_staff_of(user, contributing)


def can_see_working(user, subject) -> bool:
    """Drafts, submitted and returned figures, their texts and their every version: the plan
    office and the units that work on the subject only. Everyone else sees approved figures."""
    return can_review(user) or can_contribute(user, subject)


def can_see_history(user, subject) -> bool:
    """The history of a figure: every version for can_see_working, the approvals for leaders."""
    return is_active(user) and (user.is_leader or can_see_working(user, subject))


def is_recipient(user, message) -> bool:
    """A message (a notification) is read by the user it is addressed to, and no one else."""
    return is_active(user) and message.recipient_id == user.pk


def reportable(queryset: QuerySet, user, department_lookup: str) -> QuerySet:
    """Return the part of `queryset` the user reports: all for the office, none for leaders."""
    if not is_active(user):
        return queryset.none()
    if user.is_plan_admin:
        return queryset
    if user.role != Role.STAFF or user.department_id is None:
        return queryset.none()
    return queryset.filter(**{department_lookup: user.department_id}).distinct()


def has_reporting_work(user, subjects: dict[str, Callable[[], list[QuerySet]]]) -> set[str]:
    """Return the keys of `subjects` the user has something to report in.

    The navigation shows a report page only to those with work there: every one to the
    office, none to leaders; to staff, those where one of the QuerySets `subjects[key]()`
    returns (already limited to the user's department) holds a row, asked in one query.
    """
    if not is_active(user) or user.role == Role.LEADER:
        return set()
    if user.is_plan_admin:
        return set(subjects)
    if user.department_id is None:
        return set()
    conditions = {}
    for key, querysets in subjects.items():
        found = [Exists(queryset) for queryset in querysets()]
        conditions[f"work_{key}"] = reduce(operator.or_, found)
    row = User.objects.filter(pk=user.pk).annotate(**conditions).values(*conditions).first()
    return {key for key in subjects if row and row[f"work_{key}"]}


def object_for_user_or_404(queryset: QuerySet, user, may=can_report, subject=None, **lookup):
    """Return the object if `may(user, its subject)`; 404 for anything else, so another
    unit's objects look like no object at all. `subject(obj)` finds the subject (the
    object itself by default)."""
    found = queryset.filter(**lookup).first()
    if found is None or not may(user, subject(found) if subject else found):
        raise Http404
    return found


def require(allowed: bool, message: str) -> None:
    """Raise PermissionDenied with the Chinese message unless `allowed`."""
    if not allowed:
        raise PermissionDenied(message)


def can_see_evaluation(user) -> bool:
    """A plan's evaluation (中期/终期评估) is written for the leaders, by the plan office."""
    return is_active(user) and (user.is_leader or user.is_plan_admin)
