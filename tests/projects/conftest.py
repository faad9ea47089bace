"""Fixtures for the projects tests: a project with a supervising department and its staff."""

from decimal import Decimal

import pytest

from indicators.models import Department, Role
from projects.models import Project
from tests.factories import SUPERVISOR, make_user


@pytest.fixture
def supervisor(db) -> Department:
    return Department.objects.get_or_create(name=SUPERVISOR)[0]


@pytest.fixture
def project(hitech, supervisor) -> Project:
    """Project 12, 湖南三安第三代半导体产业园项目 (160 亿元), supervised by 高新区发改局."""
    project = Project.objects.get(plan=hitech, number=12)
    project.supervising_department = supervisor
    project.save()
    return project


@pytest.fixture
def project_staff(supervisor):
    return make_user("fgj1", Role.STAFF, department=SUPERVISOR)


@pytest.fixture
def other_staff(db):
    """Staff of a department that supervises no project and leads no milestone."""
    return make_user("czj1", Role.STAFF, department="区财政局")


@pytest.fixture
def cyfzj_staff(db):
    """Staff of 望城经开区产业发展局: lead unit of tasks 1, 3, 4 and 5."""
    return make_user("cyfzj1", Role.STAFF, department="望城经开区产业发展局")


def figures(*values: str) -> list[Decimal]:
    return [Decimal(v) for v in values]
