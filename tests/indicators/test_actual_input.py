"""The input rules for a reported actual, as tables of hand-made cases."""

from decimal import Decimal as D

import pytest

from indicators.actual_input import (
    ActualValueError,
    IndicatorFacts,
    check_actual,
    parse_actual_value,
)


@pytest.mark.parametrize(
    ("text", "unit", "expected"),
    [
        ("１,234.5亿元", "亿元", D("1234.5")),
        (" 1 234.5 ", "亿元", D("1234.5")),
        ("1,700", "亿元", D("1700")),
        ("45%", "%", D("45")),
        ("４５．５％", "%", D("45.5")),
        ("12家", "家", D("12")),
        ("", "家", None),
        ("   ", "家", None),
        ("-3.5", "%", D("-3.5")),
    ],
)
def test_parse_accepts_what_people_type(text, unit, expected):
    assert parse_actual_value(text, unit=unit) == expected


@pytest.mark.parametrize(
    ("text", "unit", "message"),
    [
        ("120万元", "亿元", "单位应为“亿元”，不能填写“万元”：请换算为亿元后填写数字"),
        ("1234.5亿", "亿元", "单位应为“亿元”，不能填写“亿”：请换算为亿元后填写数字"),
        ("待定", "亿元", "“待定”不是数字"),
        ("1.2.3", "亿元", "“1.2.3”不是数字"),
        ("12a3", "家", "“12a3”不是数字"),
        ("1,23", "亿元", "“1,23”不是数字"),
    ],
)
def test_parse_refuses_with_a_reason(text, unit, message):
    with pytest.raises(ActualValueError) as raised:
        parse_actual_value(text, unit=unit)
    assert str(raised.value) == message


def facts(**overrides) -> IndicatorFacts:
    base = dict(
        unit="亿元",
        attribute="cumulative",
        direction="increase",
        is_rate=False,
        target_value=D("1100"),
        target_text="",
        previous_value=D("1000"),
        previous_label="2020年基期值",
    )
    return IndicatorFacts(**{**base, **overrides})


def problems(
    fact: IndicatorFacts,
    value,
    *,
    submitting=True,
    status="",
    explanation="",
    measures="",
    confirm=False,
    measures_required=True,
) -> list[tuple[str, str]]:
    found = check_actual(
        fact,
        value=value,
        text_status=status,
        explanation=explanation,
        measures=measures,
        confirm_jump=confirm,
        submitting=submitting,
        measures_required=measures_required,
    )
    return [(p.field, p.message) for p in found]


COUNT = facts(unit="家", target_value=D("395"), previous_value=D("365"))
RATIO = facts(unit="%", attribute="ratio", target_value=D("23"), previous_value=D("22.2"))
RATE = facts(
    unit="%", attribute="ratio", is_rate=True, target_value=D("19"), previous_value=D("29")
)
TEXT = facts(
    unit="%",
    attribute="ratio",
    target_value=None,
    target_text="完成市里下达任务",
    previous_value=D("98.4"),
)
RANK = facts(unit="名", direction="decrease", target_value=D("90"), previous_value=D("95"))

CASES = [
    # name, facts, value, kwargs, expected problems
    ("on target", facts(), D("1100"), {}, []),
    ("above target", facts(), D("1200"), {}, []),
    (
        "below target needs cause and remedy",
        facts(),
        D("1050"),
        {},
        [
            ("explanation", "未达到目标值 1,100 亿元，请填写原因分析"),
            ("measures", "未达到目标值 1,100 亿元，请填写整改措施"),
        ],
    ),
    ("below target explained", facts(), D("1050"), {"explanation": "疫情", "measures": "招商"}, []),
    (
        "excel 说明 stands for both",
        facts(),
        D("1050"),
        {"measures_required": False},
        [("explanation", "未达到目标值 1,100 亿元，请在说明中写明原因分析和整改措施")],
    ),
    ("draft below target is fine", facts(), D("1050"), {"submitting": False}, []),
    ("submitting nothing", facts(), None, {}, [("value", "请填写实际值")]),
    ("draft of nothing", facts(), None, {"submitting": False}, []),
    (
        "negative level",
        facts(),
        D("-1"),
        {"submitting": False},
        [("value", "-1 亿元：实际值不能为负数")],
    ),
    (
        "count must be whole",
        COUNT,
        D("400.5"),
        {},
        [("value", "400.5 家：家数应为不小于 0 的整数")],
    ),
    (
        "count must not be negative",
        COUNT,
        D("-2"),
        {},
        [("value", "-2 家：家数应为不小于 0 的整数")],
    ),
    ("count on target", COUNT, D("400"), {}, []),
    ("ratio above 100", RATIO, D("101"), {}, [("value", "101%：占比应在 0 到 100 之间")]),
    ("ratio of 100", RATIO, D("100"), {"confirm": True, "explanation": "核实"}, []),
    ("ratio below 0", RATIO, D("-0.1"), {}, [("value", "-0.1%：占比应在 0 到 100 之间")]),
    (
        "a growth rate may be negative",
        RATE,
        D("-5"),
        {"explanation": "下滑", "measures": "扶持", "confirm": True},
        [],
    ),
    (
        "jump over 50% needs confirmation and explanation",
        facts(),
        D("1600"),
        {},
        [
            (
                "confirm_jump",
                "与2020年基期值 1,000 亿元 相比变动 60%，超过 50%：请核实数值，勾选“确认数值无误”",
            ),
            ("explanation", "与2020年基期值相比变动超过 50%，请说明原因"),
        ],
    ),
    (
        "jump confirmed and explained",
        facts(),
        D("1600"),
        {"confirm": True, "explanation": "新项目投产"},
        [],
    ),
    ("exactly 50% is no jump", facts(), D("1500"), {}, []),
    ("no previous figure, no jump", facts(previous_value=None), D("5000"), {}, []),
    ("previous zero, no share", facts(previous_value=D("0"), target_value=D("1")), D("3"), {}, []),
    (
        "a decrease misses when above target",
        RANK,
        D("92"),
        {},
        [
            ("explanation", "未达到目标值 90 名，请填写原因分析"),
            ("measures", "未达到目标值 90 名，请填写整改措施"),
        ],
    ),
    ("a decrease meets when below target", RANK, D("88"), {}, []),
    ("text target done", TEXT, None, {"status": "done"}, []),
    ("text target needs a status", TEXT, None, {}, [("text_status", "请选择完成情况")]),
    (
        "text target not done needs explanation",
        TEXT,
        None,
        {"status": "not_done"},
        [("explanation", "未完成目标，请填写原因分析"), ("measures", "未完成目标，请填写整改措施")],
    ),
    (
        "text target refuses a number",
        TEXT,
        D("98"),
        {"status": "done"},
        [("value", "该指标的目标为“完成市里下达任务”，请选择完成情况，不填数字")],
    ),
    (
        "numeric target refuses a status",
        facts(),
        D("1100"),
        {"status": "done"},
        [("text_status", "该指标需填写数字，不需选择完成情况")],
    ),
]


@pytest.mark.parametrize(
    ("fact", "value", "kwargs", "expected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_check_actual(fact, value, kwargs, expected):
    assert problems(fact, value, **kwargs) == expected


def test_one_explanation_column_merges_the_jump_messages():
    found = problems(facts(), D("1600"), measures_required=False)
    assert found == [
        (
            "explanation",
            "与2020年基期值 1,000 亿元 相比变动 60%，超过 50%："
            "请核实数值；数值无误的，请在说明中写明原因",
        )
    ]
    assert problems(facts(), D("1600"), measures_required=False, explanation="投产") == []
