"""Shared steps of the workspace tests: staff of the Wangcheng plan and their figures."""

from decimal import Decimal

from indicators.actuals import ActualEntry, actual_save
from indicators.models import Actual, Indicator, Role
from tests.factories import make_user

WANGCHENG = "wangcheng-2021-2023"
HITECH = "changsha-hitech-2021-2025"
HIGH_TECH = 26  # 高新技术企业: lead 区科技局 (26–29), responsible 区工信局, 望城经开区产业发展局


def staff(username: str, department: str):
    return make_user(username, Role.STAFF, department=department)


def wangcheng_indicator(number: int) -> Indicator:
    return Indicator.objects.select_related("plan").get(plan__slug=WANGCHENG, number=number)


def submit(user, number: int = HIGH_TECH, value: str = "260", year: int = 2021, submit=True):
    """Save (and by default submit) a figure of a Wangcheng indicator as `user`."""
    return actual_save(
        indicator=wangcheng_indicator(number),
        year=year,
        user=user,
        entry=ActualEntry(value=Decimal(value), explanation="说明", measures="措施"),
        expected_version=None,
        submit=submit,
    )


def sample(indicator: Indicator, year: int, approved_at: str = "2022-03-01T00:00:00Z"):
    """An approved sample figure (load_demo's kind): it counts for nobody's submission."""
    return Actual.objects.create(
        indicator=indicator,
        year=year,
        value=1,
        approved_value=1,
        state="approved",
        approved_at=approved_at,
        is_demo=True,
    )


def staff_of_both_plans():
    """A 填报员 of 区科技局, which here also leads the first Hi-Tech indicator."""
    user = staff("both", "区科技局")
    Indicator.objects.filter(
        pk=Indicator.objects.filter(plan__slug=HITECH).order_by("number").first().pk
    ).update(lead_department=user.department)
    return user
