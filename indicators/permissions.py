"""Who may report, contribute to, review and see what. Every view and service asks here.

A reportable subject (an indicator, a project, a milestone, an enterprise) names the
departments that report its figures with `reporting_department_ids()`, and may name those
that only contribute remarks and evidence with `contributing_department_ids()`. Their
QuerySets offer `reportable_by(user)`, built on `reportable()` below.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from .models import Role


def is_active(user) -> bool:
    return bool(user.is_authenticated and user.is_active)


def can_review(user) -> bool:
    """Only the plan office reviews reported figures."""
    return is_active(user) and user.is_plan_admin


def _is_staff_of(user, department_ids) -> bool:
    return (
        user.role == Role.STAFF
        and user.department_id is not None
        and user.department_id in department_ids
    )


def can_report(user, subject) -> bool:
    """Return True if the user may enter the subject's figures.

    The plan office may enter any; department staff only what their department reports.
    """
    if not is_active(user):
        return False
    if user.is_plan_admin:
        return True
    return _is_staff_of(user, subject.reporting_department_ids())


def can_contribute(user, subject) -> bool:
    """Return True if the user may comment or add evidence: a reporting or contributing unit."""
    if can_report(user, subject):
        return True
    contributing = getattr(subject, "contributing_department_ids", None)
    return bool(contributing) and is_active(user) and _is_staff_of(user, contributing())


def can_see_working(user, subject) -> bool:
    """Drafts, submitted and returned figures, their texts and their every version: the plan
    office and the units that work on the subject only. Everyone else sees approved figures."""
    return can_review(user) or can_contribute(user, subject)


def can_see_history(user, subject) -> bool:
    """The history of a figure: every version for can_see_working, the approvals for leaders."""
    return is_active(user) and (user.is_leader or can_see_working(user, subject))


def reportable(queryset: QuerySet, user, department_lookup: str) -> QuerySet:
    """Return the part of `queryset` the user reports: all for the office, none for leaders."""
    if not is_active(user):
        return queryset.none()
    if user.is_plan_admin:
        return queryset
    if user.role != Role.STAFF or user.department_id is None:
        return queryset.none()
    return queryset.filter(**{department_lookup: user.department_id}).distinct()


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
