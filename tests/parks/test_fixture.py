"""The transcription of the three newspaper features (fixtures/published_figures.json)
checked against the documents themselves (tests/data/seeds/)."""

import json
import re
from collections import Counter
from decimal import Decimal

import pytest

from tests.factories import FIXTURES, TEST_DATA

SEEDS = TEST_DATA / "seeds"
WANGCHENG, XIANGJIANG, YONGZHOU = (
    "000_d6a5754dd4591bab",
    "002_158a7278fe846a94",
    "003_32114bcb5331f121",
)
DATA = json.loads((FIXTURES / "published_figures.json").read_text(encoding="utf-8"))
FIGURES = DATA["figures"]
TEXTS = {
    key: (SEEDS / f"{key}.txt").read_text(encoding="utf-8")
    for key in (WANGCHENG, XIANGJIANG, YONGZHOU)
}

DIGITS = {
    "零": 0,
    "一": 1,
    "两": 2,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
UNITS = {"十": 10, "百": 100, "千": 1000}


def numeral(text: str) -> Decimal:
    """A number as the texts write it: 152, 19.04, 五, 两, 三千亿 (in 亿), 五百亿, 百亿元."""
    text = re.sub(r"[亿元万]+$", "", text)
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return Decimal(text)
    total, digit = 0, None
    for char in text:
        if char in DIGITS:
            digit = DIGITS[char]
        elif char in UNITS:
            total += (1 if digit is None else digit) * UNITS[char]
            digit = None
        else:
            raise ValueError(text)
    return Decimal(total + (digit or 0))


@pytest.mark.parametrize("figure", FIGURES, ids=[f["key"] for f in FIGURES])
def test_every_quote_is_verbatim_in_its_document_and_holds_its_value(figure):
    assert figure["quote"] in TEXTS[figure["document"]]
    assert figure["stated_as"] in figure["quote"]
    if not figure["uncertain"]:
        # The number as written is the value recorded: 两 → 2, 三千亿 → 3000 (亿元).
        assert numeral(figure["stated_as"]) == Decimal(figure["value"])


def test_the_figures_are_counted_per_document_and_per_kind():
    assert Counter(f["document"] for f in FIGURES) == {WANGCHENG: 35, XIANGJIANG: 66, YONGZHOU: 27}
    assert Counter(f["kind"] for f in FIGURES) == {
        "result": 78,
        "attribute": 21,
        "rank": 16,
        "goal": 9,
        "rank_change": 3,
        "rank_goal": 1,
    }
    assert len({(f["document"], f["key"]) for f in FIGURES}) == len(FIGURES)


def test_repeated_paragraphs_of_002_give_one_figure():
    text = TEXTS[XIANGJIANG]
    for quote in (
        "4大主机园区",
        "10个站场配套项目全线开工",
        "3 国家级专精特新示范区",
        "249个重大项目实现集中开工",
    ):
        assert text.count(quote) >= 2  # the conversion repeated it
        assert [f["quote"] for f in FIGURES].count(quote) == 1
    series = Counter(
        (f["entity"], f["metric"], f["kind"], f["period"])
        for f in FIGURES
        if f["document"] == XIANGJIANG
    )
    assert max(series.values()) == 1


def _figure(key: str) -> dict:
    return next(f for f in FIGURES if f["key"] == key)


@pytest.mark.parametrize(
    ("key", "stated", "value"),
    [
        ("wc-goal-3000", "三千亿", "3000"),  # what 三千亿 measures is not said
        ("yz-chain-share", "近半", "50"),
        ("yz-goal-clusters", "2到3", "2"),
        ("box-gdp", "6000", "6000"),  # the 数说 box: labels and numbers drifted
        ("box-demo-zones-3", "3", "3"),
        ("box-rd-4000", "4000", "4000"),
    ],
)
def test_ambiguous_readings_are_marked_uncertain_with_a_note(key, stated, value):
    figure = _figure(key)
    assert figure["uncertain"] is True
    assert figure["stated_as"] == stated and figure["value"] == value
    assert len(figure["note"]) > 10


def test_every_line_of_the_shuoshuo_box_is_uncertain():
    box = TEXTS[XIANGJIANG].split("数说湖南湘江新区 2023")[1]
    from_box = [f for f in FIGURES if f["document"] == XIANGJIANG and f["quote"] in box]
    assert len(from_box) == 19
    assert all(f["uncertain"] and "数说" in f["note"] for f in from_box)


def test_ranks_are_lower_is_better_and_yongzhou_reads_161_152_then_top_120():
    ranks = [f for f in FIGURES if f["kind"] in ("rank", "rank_goal")]
    assert all(f["direction"] == "lower" for f in ranks)
    yongzhou = {
        (f["period"], f["value"])
        for f in ranks
        if f["entity"] == "永州经开区" and f["metric"] == "全国国家级经开区综合评价排名"
    }
    assert yongzhou == {("2023年", "161"), ("2024年", "152"), ("“十五五”末", "120")}
    assert _figure("yz-goal-rank")["qualifier"] == "前"


def test_links_name_existing_figures_and_say_their_scope():
    keys = {(f["document"], f["key"]) for f in FIGURES}
    for link in DATA["links"]:
        assert tuple(link["figure"]) in keys
        assert link["scope_note"]
    assert {(link["plan"], link["indicator"]) for link in DATA["links"]} == {
        ("wangcheng-2021-2023", 5),
        ("wangcheng-2021-2023", 6),
        ("wangcheng-2021-2023", 7),
        ("wangcheng-2021-2023", 8),
        ("changsha-hitech-2021-2025", 1),
    }
