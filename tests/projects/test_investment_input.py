"""The investment input rules as a table: negatives refused, the plan required on submit,
completed far above plan explained. Pure functions, no database."""

from decimal import Decimal

import pytest

from projects.investment_input import InvestmentEntry, check_investment, is_overrun

D = Decimal


@pytest.mark.parametrize(
    "planned, completed, explanation, submitting, expected",
    [
        (D("2"), D("1.8"), "", True, []),
        (D("2"), None, "", True, []),  # the plan alone may be submitted early in the year
        (D("2"), D("3"), "", True, []),  # exactly 50% above plan: no explanation needed
        (
            D("2"),
            D("3.01"),
            "",
            True,
            [
                (
                    "explanation",
                    "完成投资 3.01 亿元，比计划投资 2 亿元高出 50.5%，超过 50%："
                    "请核实数值，并在说明中写明原因",
                )
            ],
        ),
        (D("2"), D("3.01"), "追加设备采购", True, []),
        (
            D("0"),
            D("0.1"),
            "",
            True,
            [
                (
                    "explanation",
                    "计划投资为 0，完成投资 0.1 亿元：请核实数值，并在说明中写明原因",
                )
            ],
        ),
        (None, D("1"), "", True, [("planned", "请填写本年度计划投资")]),
        (None, D("1"), "", False, []),  # a draft is held only to the format rules
        (D("-1"), None, "", False, [("planned", "计划投资 -1 亿元：投资额不能为负数")]),
        (D("1"), D("-0.5"), "", True, [("completed", "完成投资 -0.5 亿元：投资额不能为负数")]),
    ],
)
def test_check_investment(planned, completed, explanation, submitting, expected):
    problems = check_investment(
        InvestmentEntry(planned, completed, explanation), submitting=submitting
    )
    assert [(p.field, p.message) for p in problems] == expected


@pytest.mark.parametrize(
    "planned, completed, overrun",
    [
        (D("10"), D("15"), False),
        (D("10"), D("15.0001"), True),
        (None, D("1"), False),
        (D("1"), None, False),
    ],
)
def test_is_overrun(planned, completed, overrun):
    assert is_overrun(planned, completed) is overrun
